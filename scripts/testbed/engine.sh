#!/usr/bin/env bash
# Make a real Docker engine (dockerd + BuildKit via the buildx CLI plugin) answer on this machine.
# Idempotent: returns in well under a second when docker and buildx already work.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLUGIN_DIR=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
BUILDX_SUITE=${SLIPWAY_BUILDX_SUITE:-trixie}

if docker_ok && buildx_ok; then
  log "docker engine and buildx already answer"
  exit 0
fi

install_engine() {
  command -v dockerd >/dev/null 2>&1 && return 0
  need_root "installing docker.io"
  # No init system here: keep the package's postinst from starting its own dockerd;
  # we start one below with a log file and pid file we control.
  local made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt_install docker.io
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is not on PATH. Fix: add /usr/sbin to PATH."
}

# buildx from Debian trixie, fetched with a private apt state so the system sources stay bookworm-only.
install_buildx() {
  buildx_ok && return 0
  command -v docker >/dev/null 2>&1 || die "no docker client on PATH. Fix: apt-get install -y docker.io."
  local apt_root="$TESTBED_CACHE/apt-$BUILDX_SUITE" debs="$TESTBED_CACHE/debs" mirror deb tmp
  mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial" "$apt_root/parts" "$debs"
  deb=$(find "$debs" -maxdepth 1 -name 'docker-buildx_*.deb' | sort -V | tail -n1)
  if [ -z "$deb" ]; then
    mirror=$(debian_mirror)
    cat >"$apt_root/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $BUILDX_SUITE main
SRC
    : >"$apt_root/status"
    local apt_opts=(
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
    log "fetching docker-buildx from Debian $BUILDX_SUITE (private apt state in $apt_root)"
    apt-get "${apt_opts[@]}" update -qq \
      || die "apt-get update for $BUILDX_SUITE failed. Fix: check that Debian's archive is reachable and /usr/share/keyrings/debian-archive-keyring.gpg knows $BUILDX_SUITE (upgrade debian-archive-keyring)."
    (cd "$debs" && apt-get "${apt_opts[@]}" download docker-buildx >&2) \
      || die "apt-get download docker-buildx failed. Fix: see the apt output above."
    deb=$(find "$debs" -maxdepth 1 -name 'docker-buildx_*.deb' | sort -V | tail -n1)
    [ -n "$deb" ] || die "docker-buildx .deb missing after download in $debs."
  fi
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$tmp/usr/libexec/docker/cli-plugins/docker-buildx" "$PLUGIN_DIR/docker-buildx"
  rm -rf "$tmp"
  log "installed $(basename "$deb") as $PLUGIN_DIR/docker-buildx"
}

start_dockerd() {
  docker_ok && return 0
  need_root "starting dockerd"
  local pid=
  [ -s "$DOCKERD_PIDFILE" ] && pid=$(cat "$DOCKERD_PIDFILE")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  else
    mkdir -p "$(dirname "$DOCKERD_LOG")" "$(dirname "$DOCKERD_PIDFILE")"
    log "starting dockerd (log: $DOCKERD_LOG)"
    setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$DOCKERD_PIDFILE"
  fi
  local deadline=$((SECONDS + ${SLIPWAY_DOCKERD_TIMEOUT:-60}))
  until docker_ok; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd exited during start-up (log tail above, full log: $DOCKERD_LOG). Fix: address the error in the log (another dockerd running? /var/run/docker.pid stale?)."
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not answer 'docker info' within ${SLIPWAY_DOCKERD_TIMEOUT:-60}s (log tail above). Fix: see $DOCKERD_LOG; stop it with scripts/testbed/down.sh and retry."
    fi
    sleep 1
  done
  log "dockerd (pid $pid) answers"
}

install_engine
install_buildx
start_dockerd
buildx_ok || die "'docker buildx version' fails: $(docker buildx version 2>&1 | tail -n1). Fix: remove $PLUGIN_DIR/docker-buildx and $TESTBED_CACHE/debs, then rerun."
log "engine ready: server $(docker version -f '{{.Server.Version}}'), $(docker buildx version)"
