#!/usr/bin/env bash
# Make rootful Podman a second, working engine on this machine, beside Docker (not in up.sh):
#   - Debian's podman 4.3 with netavark (its own bridge podman0 on 10.90.0.0/24, see below);
#   - containers.conf / registries.conf drop-ins for what this machine needs;
#   - the stand-in base images copied from Docker under the names the Dockerfile uses;
#   - proof that a podman container reaches the Python package index (via the egress proxy).
# Needs Docker with the base images first (scripts/testbed/up.sh). Idempotent: a second run only
# compares image ids and repeats the network check (a few seconds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

start=$SECONDS
CONF_D=/etc/containers/containers.conf.d
ENGINE_CONF=$CONF_D/50-slipway-testbed.conf
REGISTRIES_CONF=/etc/containers/registries.conf.d/50-slipway-testbed.conf
STORAGE_CONF=/etc/containers/storage.conf
# Podman's default network is 10.88.0.0/16, the test cluster's pod network (bridge slipway0).
# Podman gets its own: the default network on podman0, created networks carved out of 10.91/16.
# Docker keeps docker0 (172.17/16) and its 172.18+ pools; the cluster keeps 10.88/16 and 10.96/16.
PODMAN_SUBNET=${SLIPWAY_PODMAN_SUBNET:-10.90.0.0/24}
PODMAN_POOL=${SLIPWAY_PODMAN_POOL:-10.91.0.0/16}

podman_ok() { timeout 30 podman info >/dev/null 2>&1; }

# Writes stdin to $1 when the content differs; 0 when it changed.
write_if_changed() {
  local file=$1 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 1; fi
  need_root "writing $file"
  mkdir -p "$(dirname "$file")"
  mv "$tmp" "$file" && chmod 0644 "$file"
  log "wrote $file"
}

# Rootful podman on a local filesystem: no fuse-overlayfs, slirp4netns or uidmap (rootless only).
# netavark + aardvark-dns rather than CNI: podman then never writes CNI configs, and the cluster's
# CNI plugins in /usr/lib/cni and its configs stay podman's no business.
if ! command -v podman >/dev/null 2>&1 || ! command -v /usr/lib/podman/netavark >/dev/null 2>&1; then
  # No init system here: keep postinst scripts from starting services (podman needs none).
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt_install podman netavark aardvark-dns
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# Rootful podman gives containers RLIMIT_NOFILE/NPROC 1048576 unless told otherwise; this machine
# withholds CAP_SYS_RESOURCE, so runc cannot raise them and every container fails to start
# ("error setting rlimit type 7"). Docker containers inherit dockerd's limits instead. Use this
# shell's hard limits; podman 4.3 runs its runtime with at most 32768 processes here (observed).
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=1048576
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
write_if_changed "$ENGINE_CONF" <<CONF || true
# Written by slipway scripts/testbed/podman.sh.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
# No journald here.
log_driver = "k8s-file"

[engine]
# No systemd here: cgroupfs, events to a file. HEALTHCHECK timers need systemd too; slipway's
# PodmanEngine runs due probes itself when systemd is absent.
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
default_subnet = "$PODMAN_SUBNET"
default_subnet_pools = [{ base = "$PODMAN_POOL", size = 24 }]
CONF

# Short names resolve the way Docker resolves them (docker.io), so FROM python:3.13-slim finds
# the local docker.io/library/python:3.13-slim and a build never asks which registry to use.
write_if_changed "$REGISTRIES_CONF" <<'CONF' || true
# Written by slipway scripts/testbed/podman.sh.
unqualified-search-registries = ["docker.io"]
CONF

if ! out=$(timeout 60 podman info 2>&1 >/dev/null); then
  # overlay is podman's default and works on ext4/xfs; on an overlay or other filesystem that
  # cannot hold overlay's upper dirs, fall back to vfs (slower: full copies per layer).
  if grep -qi overlay <<<"$out" && [ ! -e "$STORAGE_CONF" ]; then
    log "overlay storage does not work here ($(head -n1 <<<"$out")); falling back to vfs"
    write_if_changed "$STORAGE_CONF" <<'CONF' || true
# Written by slipway scripts/testbed/podman.sh: overlay failed on this filesystem.
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
CONF
  fi
  podman_ok || die "podman does not answer: $(timeout 60 podman info 2>&1 | tail -n 3). Fix: see the error; 'podman system reset' clears a broken store."
fi
backend=$(podman info --format '{{.Host.NetworkBackend}}')
[ "$backend" = netavark ] || die "podman uses the $backend network backend, not netavark (a store made earlier with CNI). Fix: podman system reset --force, then rerun."

docker_ok || die "docker does not answer; the base images are copied from it. Fix: bash scripts/testbed/up.sh"

# Docker normalises a short name to docker.io/library/…; podman 4.3 loads a docker-archive short
# name as localhost/…, so the name is set explicitly after the load.
qualified() {
  local name=$1 first=${1%%/*}
  if [ "$first" = "$name" ]; then
    printf 'docker.io/library/%s\n' "$name"
  elif [[ $first == *.* || $first == *:* || $first == localhost ]]; then
    printf '%s\n' "$name"
  else
    printf 'docker.io/%s\n' "$name"
  fi
}

copy_image() {
  local image=$1 name docker_id podman_id
  name=$(qualified "$image")
  docker_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) \
    || die "docker has no $image. Fix: bash scripts/testbed/up.sh"
  docker_id=${docker_id#sha256:}
  podman_id=$(podman image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)
  if [ "$podman_id" = "$docker_id" ]; then
    log "$name present in podman"
    return 0
  fi
  log "copying $image from docker to podman as $name"
  docker save "$image" | podman load -q >/dev/null \
    || die "docker save $image | podman load failed (output above). Fix: check free space in /var/lib/containers."
  podman tag "$docker_id" "$name"
  if [ "$name" != "localhost/$image" ]; then podman untag "$docker_id" "localhost/$image" 2>/dev/null || true; fi
  # The previous copy of a rebuilt stand-in, unless a container still uses it.
  if [ -n "$podman_id" ]; then podman rmi "$podman_id" >/dev/null 2>&1 || true; fi
  [ "$(podman image inspect --format '{{.Id}}' "$name")" = "$docker_id" ] \
    || die "$name in podman is not docker's $image after the copy. Fix: podman rmi $name; rerun."
}

copy_image "$PYTHON_IMAGE"
copy_image "$UV_IMAGE"

# Same proof as netcheck.sh, under podman: uv (mounted from the uv image, which has no shell)
# resolves a package from its default index inside the python image.
if ! out=$(echo six | timeout "${SLIPWAY_NETCHECK_TIMEOUT:-90}" podman run --rm -i \
    --mount "type=image,source=$(qualified "$UV_IMAGE"),destination=/opt/uv" \
    "$(qualified "$PYTHON_IMAGE")" /opt/uv/uv pip compile - --no-cache --quiet 2>&1) \
  || ! grep -q '^six==' <<<"$out"; then
  printf '%s\n' "$out" | tail -n 15 >&2
  die "a podman container could not resolve 'six' from the package index (output above). Fix: check netavark's iptables rules (iptables -S | grep NETAVARK) and that docker's python stand-in trusts the proxy CA (netcheck.sh)."
fi
log "netcheck ok: a podman container resolved '$(grep '^six==' <<<"$out")' from the package index"

log "podman ready in $((SECONDS - start))s: podman $(podman version --format '{{.Client.Version}}'), buildah $(podman info --format '{{.Host.BuildahVersion}}'), $(podman info --format '{{.Store.GraphDriverName}}') storage, $backend on $PODMAN_SUBNET"
