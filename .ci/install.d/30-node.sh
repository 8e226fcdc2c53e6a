#!/usr/bin/env bash
# Node.js for the dynamic-token client interop (Examples/clients/node-dynamic-token): built-in
# modules only, so no npm packages. Installed from the distribution when absent.
set -euo pipefail
if ! command -v node >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq nodejs >/dev/null
fi
node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 16) { console.error("Node.js >= 16 needed, found " + process.version); process.exit(1); } console.log("node", process.version)'
