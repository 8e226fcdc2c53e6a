#!/usr/bin/env bash
# The committed hash/HMAC/PBKDF2 fixture must be exactly what its generator produces.
set -euo pipefail
cd "$(dirname "$0")/../.."
fixture=Tests/TokenCoreTests/Fixtures/crypto/hash_vectors.json
cp "$fixture" /tmp/hash_vectors.committed.json
python3 scripts/vectors/gen_hash_vectors.py
if ! cmp -s "$fixture" /tmp/hash_vectors.committed.json; then
  cp /tmp/hash_vectors.committed.json "$fixture"
  echo "crypto fixture differs from scripts/vectors/gen_hash_vectors.py output" >&2
  exit 1
fi
echo "crypto fixture reproduces from its generator"
