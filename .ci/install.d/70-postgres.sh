#!/usr/bin/env bash
# PostgreSQL for Examples/PostgresStores (issue 11): Debian's server, only when no initdb is
# found (this machine image ships one under /usr/lib/postgresql/*/bin). The CI step starts a
# throw-away server itself; the package's own service is not started.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "initdb found: $(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | head -1)"
  exit 0
fi
apt-get update -qq
# policy-rc.d: no service start inside the CI container.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
rm -f /usr/sbin/policy-rc.d
ls /usr/lib/postgresql/*/bin/initdb
