#!/usr/bin/env bash
# Makes a working Docker engine available for faultbox's container mode (idempotent; run as root).
# Installs Debian's docker.io and mmdebstrap when missing and starts dockerd without systemd when
# PID 1 is not systemd (logs in /var/log/dockerd.log).
set -euo pipefail

LOG=/var/log/dockerd.log
WAIT_SECONDS=${FAULTBOX_DOCKERD_WAIT:-60}

die() { echo "setup-docker: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts dockerd); try: sudo $0"

engine_ok() { docker info >/dev/null 2>&1; }

# Package installation, even when an engine already runs: build-images.sh needs mmdebstrap too.
missing=()
for pkg in docker.io mmdebstrap; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
# An engine that already answers (e.g. Docker's own packages) makes docker.io unnecessary.
if engine_ok; then
  missing=("${missing[@]/docker.io}")
fi
to_install=()
for pkg in "${missing[@]}"; do [ -n "$pkg" ] && to_install+=("$pkg"); done
if [ ${#to_install[@]} -gt 0 ]; then
  echo "setup-docker: installing with apt-get: ${to_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || die "apt-get update failed; check the machine's apt sources"
  apt-get install -y -q --no-install-recommends "${to_install[@]}" \
    || die "apt-get install ${to_install[*]} failed (see the output above)"
else
  echo "setup-docker: packages present: docker.io mmdebstrap"
fi

if engine_ok; then
  echo "setup-docker: engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

command -v dockerd >/dev/null || die "dockerd not found after installing docker.io"

if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ] && command -v systemctl >/dev/null; then
  echo "setup-docker: starting docker with systemctl"
  systemctl start docker || die "systemctl start docker failed; see: journalctl -u docker"
else
  if pgrep -x dockerd >/dev/null; then
    echo "setup-docker: dockerd is running but not answering yet; waiting"
  else
    echo "setup-docker: PID 1 is not systemd; starting dockerd directly (log: $LOG)"
    # The kernel may lack iptables support; dockerd then cannot create bridge networks. Detect it
    # up front and run without iptables (bridges and the userland port proxy still work).
    extra=()
    if ! iptables -t nat -L >/dev/null 2>&1; then
      echo "setup-docker: iptables NAT is unavailable on this kernel; starting dockerd with --iptables=false"
      extra+=(--iptables=false --ip-masq=false)
    fi
    setsid nohup dockerd "${extra[@]}" >>"$LOG" 2>&1 </dev/null &
  fi
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if engine_ok; then
    echo "setup-docker: engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
    exit 0
  fi
  sleep 1
done
echo "setup-docker: dockerd did not answer within ${WAIT_SECONDS}s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
