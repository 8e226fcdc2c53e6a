#!/usr/bin/env bash
# Python packages for the interop tests: PyJWT and cryptography (OpenSSL underneath), requests.
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check 'PyJWT>=2.8' 'cryptography>=41' 'requests>=2.31'
python3 -c 'import jwt, cryptography; print("PyJWT", jwt.__version__, "cryptography", cryptography.__version__)'
