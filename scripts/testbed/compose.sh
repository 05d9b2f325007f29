#!/usr/bin/env bash
# Docker Compose v2 for the tests of `slipway init --with compose` (docker compose config on
# every generated compose.yaml). Bookworm's docker-compose is 1.29 (the Python v1); trixie's is
# Compose v2 in Go (2.26.1), a static-enough binary (libc6 >= 2.34) that runs on bookworm. It is
# fetched with a private apt state, like docker-buildx in engine.sh, and installed as the CLI
# plugin, so `docker compose` answers. Idempotent: returns at once when `docker compose` works.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLUGIN_DIR=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
COMPOSE_SUITE=${SLIPWAY_COMPOSE_SUITE:-trixie}

compose_ok() { timeout 15 docker compose version >/dev/null 2>&1; }

if compose_ok; then
  log "$(docker compose version) already answers"
  exit 0
fi
command -v docker >/dev/null 2>&1 || die "no docker client on PATH. Fix: bash scripts/testbed/engine.sh first."

apt_root="$TESTBED_CACHE/apt-$COMPOSE_SUITE"
debs="$TESTBED_CACHE/debs"
mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial" "$apt_root/parts" "$debs"
deb=$(find "$debs" -maxdepth 1 -name 'docker-compose_2.*.deb' | sort -V | tail -n1)
if [ -z "$deb" ]; then
  mirror=$(debian_mirror)
  cat >"$apt_root/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $COMPOSE_SUITE main
SRC
  [ -e "$apt_root/status" ] || : >"$apt_root/status"
  apt_opts=(
    -o "Dir::Etc::SourceList=$apt_root/sources.list"
    -o "Dir::Etc::SourceParts=$apt_root/parts"
    -o "Dir::State::Lists=$apt_root/lists"
    -o "Dir::State::status=$apt_root/status"
    -o "Dir::Cache=$apt_root"
    -o "Dir::Cache::archives=$apt_root/archives"
    -o "Dir::Etc::Preferences=/dev/null"
    -o "Dir::Etc::PreferencesParts=$apt_root/parts"
    -o "APT::Sandbox::User=root"
  )
  if ! apt-cache "${apt_opts[@]}" policy docker-compose 2>/dev/null | grep -q 'Candidate: 2\.'; then
    log "apt-get update for Debian $COMPOSE_SUITE (private apt state in $apt_root)"
    apt-get "${apt_opts[@]}" update -qq \
      || die "apt-get update for $COMPOSE_SUITE failed. Fix: check that Debian's archive is reachable and /usr/share/keyrings/debian-archive-keyring.gpg knows $COMPOSE_SUITE (upgrade debian-archive-keyring)."
  fi
  log "fetching docker-compose (Compose v2) from Debian $COMPOSE_SUITE"
  (cd "$debs" && apt-get "${apt_opts[@]}" download docker-compose >&2) \
    || die "apt-get download docker-compose failed. Fix: see the apt output above."
  deb=$(find "$debs" -maxdepth 1 -name 'docker-compose_2.*.deb' | sort -V | tail -n1)
  [ -n "$deb" ] || die "no docker-compose 2.x .deb in $debs after the download (is $COMPOSE_SUITE's docker-compose still v1?). Fix: set SLIPWAY_COMPOSE_SUITE to a suite with Compose v2."
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
binary=
for candidate in usr/libexec/docker/cli-plugins/docker-compose usr/lib/docker/cli-plugins/docker-compose usr/bin/docker-compose; do
  if [ -f "$tmp/$candidate" ] && [ ! -L "$tmp/$candidate" ]; then binary=$tmp/$candidate; break; fi
done
[ -n "$binary" ] || die "$(basename "$deb") holds no docker-compose binary where expected. Fix: list it with dpkg-deb -c $deb and adjust scripts/testbed/compose.sh."
mkdir -p "$PLUGIN_DIR"
install -m 0755 "$binary" "$PLUGIN_DIR/docker-compose"
compose_ok || die "installed $PLUGIN_DIR/docker-compose but \`docker compose version\` fails. Fix: run it by hand to see why."
log "installed $(basename "$deb") as $PLUGIN_DIR/docker-compose: $(docker compose version)"
