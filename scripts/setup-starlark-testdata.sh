#!/usr/bin/env bash
# Makes starlark-go's own test data available to the test suite: installs Debian's
# golang-starlark-dev (the Go sources of starlark-go, test data included) if it is missing, and
# prints the directory holding the .star files. Idempotent; prints what it installs. The files
# are read in place, never copied into this repository.
set -euo pipefail

say() { printf 'setup-starlark-testdata: %s\n' "$*" >&2; }
die() { printf 'setup-starlark-testdata: error: %s\n' "$*" >&2; exit 1; }

PKG=golang-starlark-dev
DIR=/usr/share/gocode/src/go.starlark.net/starlark/testdata

if [ ! -f "$DIR/assign.star" ]; then
  [ "$(id -u)" -eq 0 ] || die "$PKG is not installed and installing it needs root: run 'apt-get install -y $PKG' as root"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $PKG (Debian) by other means"
  say "installing $PKG (starlark-go's sources and test data)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PKG" >&2; then
    say "apt-get install failed; refreshing the package lists and retrying"
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PKG" >&2
  fi
  [ -f "$DIR/assign.star" ] || die "$PKG is installed but $DIR/assign.star is missing"
  say "installed $PKG $(dpkg-query -W -f='${Version}' "$PKG")"
else
  say "$PKG $(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null || echo '(version unknown)') already present"
fi
printf '%s\n' "$DIR"
