#!/usr/bin/env bash
# One-shot set-up on a fresh machine (run as root): system packages, Docker engine, npm
# dependencies, build (TypeScript + the static shim) and the local fixture images.
# Every step is idempotent and prints what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== faultbox setup: system services (PostgreSQL, Redis) =="
bash scripts/setup-services.sh
echo "== faultbox setup: Go toolchain (the Go targets of examples/targets) =="
bash scripts/setup-go.sh
echo "== faultbox setup: Docker engine =="
bash scripts/setup-docker.sh
echo "== faultbox setup: npm dependencies and build =="
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
echo "== faultbox setup: local images (no registry needed) =="
bash scripts/build-images.sh
echo "== faultbox setup: done =="
