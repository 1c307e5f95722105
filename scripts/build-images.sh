#!/usr/bin/env bash
# Builds faultbox's local container images without any container registry:
#   faultbox-local/debian:12    root filesystem from mmdebstrap (the machine's apt sources), imported
#   faultbox-local/postgres:16  PostgreSQL (Debian 12 ships major 15) with an official-style entrypoint
#   faultbox-local/redis:7      redis-server --protected-mode no
#   faultbox-local/node:20      the host's node binary and npm
# Each image carries a `faultbox.content` label hashing its inputs; a tag whose label matches is
# skipped, so re-running is cheap and editing these scripts rebuilds what changed.
# Usage: scripts/build-images.sh [--force]   (root; run scripts/setup-docker.sh first)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES="$HERE/images"
FORCE=0
[ "${1:-}" = --force ] && FORCE=1

BASE_TAG=faultbox-local/debian:12
POSTGRES_TAG=faultbox-local/postgres:16
REDIS_TAG=faultbox-local/redis:7
NODE_TAG=faultbox-local/node:20
SUITE=bookworm
BASE_PACKAGES=postgresql,redis-server,ca-certificates,procps,netbase
# PostgreSQL's JIT provider pulls in LLVM and Z3 (~130 MB); the base drops their files (the packages
# stay registered, so apt in derived images still works). Without the provider the server simply
# runs without JIT, as documented for a missing jit_provider.

die() { echo "build-images: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap and docker need it)"
docker info >/dev/null 2>&1 || die "no Docker engine answers; run scripts/setup-docker.sh first"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run scripts/setup-docker.sh (it installs it)"
# The legacy builder speaks the same build API the runtime uses (dockerode), and needs no plugin.
export DOCKER_BUILDKIT=0

hash_of() { sha256sum | cut -c1-16; }
# Hash of this script plus every file under the given image directories, plus extra strings.
inputs_hash() {
  {
    cat "${BASH_SOURCE[0]}"
    for dir in "$@"; do
      [ -d "$IMAGES/$dir" ] || { echo "$dir"; continue; }
      find "$IMAGES/$dir" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s#$IMAGES/##"
    done
  } | hash_of
}

label_of() { docker image inspect --format '{{index .Config.Labels "faultbox.content"}}' "$1" 2>/dev/null || true; }

up_to_date() { # tag hash
  [ "$FORCE" = 0 ] && [ "$(label_of "$1")" = "$2" ]
}

# The machine's apt sources for this Debian suite (one-line or deb822 files), in order.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -qE "^[^#]*\b$SUITE\b" "$f" && echo "$f"
  done
}

TOTAL_START=$(now)
TMP=$(mktemp -d /tmp/faultbox-images.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# --- base root filesystem -------------------------------------------------------------------------
BASE_HASH=$(inputs_hash base "$SUITE" "$BASE_PACKAGES")
if up_to_date "$BASE_TAG" "$BASE_HASH"; then
  echo "build-images: $BASE_TAG is up to date (content $BASE_HASH)"
else
  start=$(now)
  mapfile -t sources < <(apt_sources)
  [ ${#sources[@]} -gt 0 ] || die "no apt source for '$SUITE' found under /etc/apt"
  echo "build-images: creating the $SUITE root filesystem with mmdebstrap (sources: ${sources[*]})"
  mmdebstrap --variant=minbase --include="$BASE_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --customize-hook='rm -rf "$1"/var/lib/postgresql/*/main "$1"/etc/postgresql/*/main' \
    --customize-hook='rm -f "$1"/usr/lib/postgresql/*/lib/llvmjit*.so "$1"/usr/lib/*-linux-gnu/libLLVM-*.so* "$1"/usr/lib/*-linux-gnu/libz3.so*; rm -rf "$1"/usr/lib/postgresql/*/lib/bitcode' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log "$1"/var/log/apt/*' \
    --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname' \
    "$SUITE" "$TMP/rootfs.tar" "${sources[@]}" \
    || die "mmdebstrap failed (see above); check that apt can reach the sources listed"
  docker import \
    --change "LABEL faultbox.content=$BASE_HASH" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$TMP/rootfs.tar" "$BASE_TAG" >/dev/null
  rm -f "$TMP/rootfs.tar"
  echo "build-images: built $BASE_TAG in $(elapsed "$start")s"
fi

# --- images on top of the base --------------------------------------------------------------------
build_on_base() { # tag dir context hash
  local tag=$1 dir=$2 context=$3 hash=$4 start log
  if up_to_date "$tag" "$hash"; then
    echo "build-images: $tag is up to date (content $hash)"
    return
  fi
  start=$(now)
  log="$TMP/$dir.build.log"
  if ! docker build --quiet --build-arg "BASE=$BASE_TAG" --label "faultbox.content=$hash" \
       -t "$tag" "$context" >"$log" 2>&1; then
    cat "$log" >&2
    die "building $tag failed (output above)"
  fi
  echo "build-images: built $tag in $(elapsed "$start")s"
}

build_on_base "$POSTGRES_TAG" postgres "$IMAGES/postgres" "$(inputs_hash postgres "$BASE_HASH")"
build_on_base "$REDIS_TAG" redis "$IMAGES/redis" "$(inputs_hash redis "$BASE_HASH")"

NODE_BIN=$(command -v node) || die "no node on PATH to copy into $NODE_TAG"
NODE_BIN=$(readlink -f "$NODE_BIN")
NPM_DIR=$(dirname "$(dirname "$NODE_BIN")")/lib/node_modules/npm
NODE_HASH=$(inputs_hash node "$BASE_HASH" "$("$NODE_BIN" --version)" "$NODE_BIN")
if up_to_date "$NODE_TAG" "$NODE_HASH"; then
  echo "build-images: $NODE_TAG is up to date (content $NODE_HASH)"
else
  mkdir -p "$TMP/node-context"
  cp "$IMAGES/node/Dockerfile" "$TMP/node-context/"
  cp "$NODE_BIN" "$TMP/node-context/node"
  if [ -d "$NPM_DIR" ]; then
    cp -r "$NPM_DIR" "$TMP/node-context/npm"
  else
    die "npm not found at $NPM_DIR (expected next to $NODE_BIN)"
  fi
  build_on_base "$NODE_TAG" node "$TMP/node-context" "$NODE_HASH"
fi

# Earlier builds of these tags are now untagged; drop them so rebuilds don't accumulate.
docker image prune -f --filter label=faultbox.content >/dev/null
echo "build-images: done in $(elapsed "$TOTAL_START")s"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^  faultbox-local/' || true

# The default substitutes: faultbox uses these local images for the official names they stand in
# for whenever the official image is not present (flags and FAULTBOX_IMAGE_MAP still win).
DEFAULTS=${FAULTBOX_IMAGE_DEFAULTS:-${XDG_CONFIG_HOME:-$HOME/.config}/faultbox/image-map}
mkdir -p "$(dirname "$DEFAULTS")"
{
  echo "# Written by scripts/build-images.sh: official image = local image faultbox uses when the official one is absent."
  for ref in debian:12 debian:bookworm debian:12-slim debian:bookworm-slim; do echo "$ref=$BASE_TAG"; done
  for ref in postgres:16 postgres:16-alpine postgres:16-bookworm postgres:15 postgres:15-alpine; do echo "$ref=$POSTGRES_TAG"; done
  for ref in redis:7 redis:7-alpine redis:7-bookworm; do echo "$ref=$REDIS_TAG"; done
  for ref in node:20 node:20-slim node:20-alpine node:20-bookworm node:20-bookworm-slim; do echo "$ref=$NODE_TAG"; done
} > "$DEFAULTS"
echo "build-images: wrote the default image substitutes to $DEFAULTS"
