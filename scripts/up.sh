#!/usr/bin/env bash
# The main job on a fresh Debian machine, as root: installs the system packages and npm dependencies,
# builds the extension for Chrome and Firefox, then runs the sandbox and the relay until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm run build
exec npm start
