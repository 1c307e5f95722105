#!/usr/bin/env bash
# Runs a throwaway PostgreSQL from Debian's server binaries for the demo.
#   postgres.sh PORT [-c name=value ...]     (extra arguments go to postgres)
# The data directory is copied from a cached initdb template (initdb once per machine, ~1 s
# saved per start) into $FAULTBOX_SERVICE_DIR (a scratch dir faultbox keeps across restarts
# within a test and removes afterwards, so a restart finds its data again) or a temp dir removed
# on exit. The fresh copy is synced (syncfs) before PostgreSQL starts: a modelled power loss
# then finds the data directory as initdb left it. PostgreSQL refuses to run as root, so it runs
# as the `postgres` user.
set -euo pipefail
port="${1:?usage: postgres.sh PORT [postgres options...]}"
shift
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "postgres.sh: PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/setup-services.sh)" >&2
  exit 127
fi
as_pg() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }

template="/var/tmp/faultbox-cache/pg-template-$(basename "$(dirname "$bindir")")"
if [ ! -f "$template/PG_VERSION" ]; then
  mkdir -p "$(dirname "$template")"
  staging=$(mktemp -d "$template.XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres: "$staging"
  as_pg "$bindir/initdb" -D "$staging" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
  mv -T "$staging" "$template" 2>/dev/null || rm -rf "$staging" # a parallel start won the race
fi

if [ -n "${FAULTBOX_SERVICE_DIR:-}" ]; then
  data="$FAULTBOX_SERVICE_DIR/pgdata"
else
  data=$(mktemp -d /tmp/faultbox-pg.XXXXXX)
  trap 'rm -rf "$data"' EXIT
fi
if [ ! -f "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  cp -a "$template/." "$data/"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$data"
  chmod 700 "$data"
  sync -f "$data"
fi
# After a crash the killed postmaster may linger as a zombie until its new parent reaps it, and
# PostgreSQL refuses lock files naming a pid that still answers kill -0: drop a dead one's.
for lock in "$data/postmaster.pid" "$data"/.s.PGSQL.*.lock; do
  [ -f "$lock" ] || continue
  old=$(head -n 1 "$lock")
  state=$(sed -e 's/.*) //' "/proc/$old/stat" 2>/dev/null | cut -d ' ' -f 1 || true)
  if [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]; then rm -f "$lock"; fi
done

as_pg "$bindir/postgres" -D "$data" -p "$port" -k "$data" -c listen_addresses=127.0.0.1 -c log_min_messages=warning "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
status=0
wait "$pid" || status=$?
# A signal interrupted the first wait: wait for PostgreSQL itself to finish shutting down.
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || status=$?; done
exit "$status"
