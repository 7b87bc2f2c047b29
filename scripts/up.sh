#!/usr/bin/env bash
# The main job on a fresh Debian machine, as root: installs the system packages and npm dependencies,
# builds the extension for Chrome and Firefox, then runs the sandbox and the relay until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
# npm ci rejects this lockfile here: the registry lacks other platforms' optional packages, so the lockfile cannot list them.
npm install --no-audit --no-fund
npm run build
exec npm start
