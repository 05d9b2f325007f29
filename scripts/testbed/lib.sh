# shellcheck shell=bash disable=SC2034
# Shared helpers for scripts/testbed/*.sh (sourced, not run).

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pins.sh
. "$TESTBED_DIR/pins.sh"

# Downloads, rootfs tarballs and private apt state live outside the repo.
TESTBED_CACHE=${SLIPWAY_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway-testbed}
DOCKERD_LOG=${SLIPWAY_DOCKERD_LOG:-/var/log/slipway-dockerd.log}
DOCKERD_PIDFILE=${SLIPWAY_DOCKERD_PIDFILE:-/var/run/slipway-dockerd.pid}
export DEBIAN_FRONTEND=noninteractive

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 needs root (it installs Debian packages). Fix: run as root, e.g. 'sudo bash $0'."
}

docker_ok() { timeout 15 docker info >/dev/null 2>&1; }
buildx_ok() { timeout 15 docker buildx version >/dev/null 2>&1; }

# apt-get update only when apt knows no candidate for the package (fresh machine, empty lists);
# stale lists are caught by apt_install's retry.
apt_update_if_needed() {
  local pkg=$1
  if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed. Fix: check that Debian's archive is reachable and /etc/apt/sources.list* is valid."
  fi
}

# Install Debian packages (from the system's bookworm sources) unless already installed.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root "installing ${missing[*]}"
  apt_update_if_needed "${missing[0]}"
  log "apt-get install ${missing[*]}"
  if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" >&2; then
    log "install failed; refreshing package lists and retrying once"
    if ! { apt-get update -qq && apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" >&2; }; then
      die "apt-get install ${missing[*]} failed. Fix: see the apt output above (archive reachable? dpkg lock held by another apt?)."
    fi
  fi
}

# The Debian mirror the system already uses (so no host name is written down here).
debian_mirror() {
  local uri
  if [ -n "${SLIPWAY_DEBIAN_MIRROR:-}" ]; then printf '%s\n' "$SLIPWAY_DEBIAN_MIRROR"; return; fi
  # shellcheck disable=SC2016 # the $ fields are apt's own format, not shell expansions
  uri=$(apt-get indextargets --format '$(REPO_URI)' 'Origin: Debian' 'Identifier: Packages' 2>/dev/null \
    | grep -v -- '-security' | head -n1)
  if [ -z "$uri" ]; then
    uri=$(grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{print $2}' | head -n1)
  fi
  [ -n "$uri" ] || die "cannot find the Debian archive in the apt sources. Fix: set SLIPWAY_DEBIAN_MIRROR to a Debian mirror URL."
  printf '%s\n' "${uri%/}"
}

# Short digest that changes when a stand-in recipe (or the host CAs baked into it) changes.
recipe_digest() { sha256sum | cut -c1-16; }

image_label() { docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

# --- Stand-in images (images.sh, distroless.sh, services.sh): pull when a registry answers, else build.
PULL_TIMEOUT=${SLIPWAY_PULL_TIMEOUT:-20}
HOST_CA_DIR=/usr/local/share/ca-certificates

host_cas() { find "$HOST_CA_DIR" -maxdepth 2 -name '*.crt' -type f 2>/dev/null | sort; }

# 0 = nothing to do. A real (pulled) image is kept; a stand-in with an old recipe is rebuilt.
image_current() {
  local image=$1 want=$2
  docker image inspect "$image" >/dev/null 2>&1 || return 1
  [ "$(image_label "$image" "$STANDIN_LABEL")" = true ] || return 0
  [ "${SLIPWAY_TESTBED_REBUILD:-}" != 1 ] || return 1
  [ "$(image_label "$image" "$STANDIN_LABEL.recipe")" = "$want" ]
}

try_pull() {
  local image=$1
  # A stand-in that is present but stale is rebuilt, not replaced by a pull.
  docker image inspect "$image" >/dev/null 2>&1 && return 1
  log "trying 'docker pull $image' (at most ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" docker pull -q "$image" >/dev/null 2>&1; then
    log "pulled $image"
    return 0
  fi
  log "pull failed (no registry reachable); building a local stand-in"
  return 1
}

# A rebuilt stand-in leaves its predecessor untagged: remove it (kept if a container uses it).
drop_old() {
  local old=$1 image=$2
  [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null)" ] || return 0
  if docker rmi "$old" >/dev/null 2>&1; then
    old=${old#sha256:}
    log "removed the previous $image stand-in ${old:0:12}"
  fi
}
