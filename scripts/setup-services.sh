#!/usr/bin/env bash
# Installs the real servers faultbox's end-to-end tests start themselves (PostgreSQL, Redis) on a
# Debian 12 machine. Idempotent. Debian's packaged services are stopped and kept from starting on
# boot: the tests start their own servers on ports they choose, and a system instance on 5432/6379
# would collide with specs that declare those ports.
set -euo pipefail

say() { printf 'setup-services: %s\n' "$*"; }
die() { printf 'setup-services: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages with apt-get)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found; this script supports Debian 12 only"

# The newest /usr/lib/postgresql/<ver>/bin that holds a server binary, or nothing.
postgres_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] || continue
    if [ -z "$best" ] || [ "$(basename "$(dirname "$dir")")" -gt "$(basename "$(dirname "$best")")" ]; then
      best="$dir"
    fi
  done
  printf '%s' "$best"
}

missing=()
if ! command -v postgres >/dev/null 2>&1 && [ -z "$(postgres_bindir)" ]; then
  missing+=(postgresql)
fi
if ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  say "installing: ${missing[*]}"
  # Keep maintainer scripts from starting the packaged services during install (policy-rc.d is
  # the Debian mechanism; exit 101 = "action forbidden"). Only ours is removed afterwards.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup_policy() { [ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d; return 0; }
  trap cleanup_policy EXIT
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get update; then
    die "apt-get update failed (see the output above); check the network and /etc/apt/sources.list"
  fi
  if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    die "apt-get install ${missing[*]} failed (see the output above)"
  fi
else
  say "postgresql and redis-server already installed; nothing to install"
fi

# Debian keeps the PostgreSQL server binaries off PATH; link them where the tests look first.
bindir="$(postgres_bindir)"
if [ -n "$bindir" ]; then
  for tool in postgres initdb pg_ctl; do
    if [ "$(readlink -f "/usr/local/bin/$tool" 2>/dev/null)" != "$(readlink -f "$bindir/$tool")" ]; then
      ln -sf "$bindir/$tool" "/usr/local/bin/$tool"
      say "linked /usr/local/bin/$tool -> $bindir/$tool"
    fi
  done
elif ! command -v postgres >/dev/null 2>&1; then
  die "postgres server binary not found after install (looked on PATH and in /usr/lib/postgresql/*/bin)"
fi

# Stop and disable the packaged PostgreSQL clusters.
if command -v pg_lsclusters >/dev/null 2>&1; then
  while read -r ver cluster _port status _rest; do
    [ -n "$ver" ] || continue
    conf="/etc/postgresql/$ver/$cluster/start.conf"
    if [ -f "$conf" ] && ! grep -qx 'manual' <(grep -v '^#' "$conf" | tr -d ' '); then
      sed -i 's/^[[:space:]]*\(auto\|disabled\)[[:space:]]*$/manual/' "$conf"
      say "set PostgreSQL cluster $ver/$cluster to start manually"
    fi
    if [ "$status" = "online" ] || [ "${status#online}" != "$status" ]; then
      say "stopping the packaged PostgreSQL cluster $ver/$cluster"
      pg_ctlcluster "$ver" "$cluster" stop -m fast || die "could not stop PostgreSQL cluster $ver/$cluster"
    fi
  done < <(pg_lsclusters --no-header 2>/dev/null || true)
fi

# Stop and disable the packaged redis-server service.
if [ -x /etc/init.d/redis-server ] || [ -f /lib/systemd/system/redis-server.service ]; then
  if [ -d /run/systemd/system ]; then
    if systemctl is-enabled --quiet redis-server 2>/dev/null || systemctl is-active --quiet redis-server 2>/dev/null; then
      say "stopping and disabling the packaged redis-server service"
      systemctl disable --now redis-server || die "could not stop the redis-server service"
    fi
  else
    update-rc.d redis-server disable >/dev/null 2>&1 || true
    if pidof redis-server >/dev/null 2>&1 && [ -f /run/redis/redis-server.pid ]; then
      say "stopping the packaged redis-server service"
      service redis-server stop || kill "$(cat /run/redis/redis-server.pid)" || die "could not stop redis-server"
    fi
  fi
fi

# A packaged server still listening on the default ports would collide with specs declaring them.
for port in 5432 6379; do
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    say "warning: something still listens on port $port:"
    ss -Hltnp "sport = :$port" 2>/dev/null | sed 's/^/  /' || true
  fi
done

say "postgres: $(command -v postgres || printf '%s/postgres' "$bindir")"
say "redis-server: $(command -v redis-server)"
say "done"
