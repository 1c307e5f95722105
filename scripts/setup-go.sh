#!/usr/bin/env bash
# Installs Debian's Go toolchain (golang-go), which builds the Go targets of examples/targets
# (scripts/build-examples.mjs). Idempotent; prints what it installs.
set -euo pipefail

say() { printf 'setup-go: %s\n' "$*"; }
die() { printf 'setup-go: error: %s\n' "$*" >&2; exit 1; }

if command -v go >/dev/null 2>&1 || [ -x /usr/lib/go/bin/go ]; then
  say "go present: $( (command -v go || echo /usr/lib/go/bin/go) | head -1)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "go is missing; run as root to install Debian's golang-go"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install a Go toolchain (>= 1.19) yourself"
say "installing: golang-go"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go
say "installed: $(go version)"
