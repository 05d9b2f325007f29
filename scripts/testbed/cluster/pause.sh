#!/usr/bin/env bash
# Give the cluster's containerd its sandbox ("pause") image without a registry: a FROM-scratch image
# holding Debian's static catatonit in pause mode, built with Docker and imported into the k8s.io
# namespace. Idempotent: returns at once when containerd already has the image.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ctr_k8s images ls -q 2>/dev/null | grep -qxF "$CLUSTER_PAUSE_IMAGE"; then
  exit 0
fi
catatonit=$(command -v catatonit || true)
[ -n "$catatonit" ] || die "no catatonit on PATH. Fix: apt-get install -y catatonit."
case $(ldd "$catatonit" 2>&1 || true) in
  *"not a dynamic executable"*) ;;
  *) die "$catatonit is not statically linked; a FROM-scratch image cannot run it. Fix: use Debian's catatonit package (static)." ;;
esac
docker_ok || die "docker does not answer; the pause image is built with it. Fix: bash scripts/testbed/engine.sh."

if ! docker image inspect "$CLUSTER_PAUSE_IMAGE" >/dev/null 2>&1; then
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  install -m 0755 "$catatonit" "$ctx/catatonit"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY catatonit /catatonit
USER 65535:65535
ENTRYPOINT ["/catatonit", "-P"]
LABEL $STANDIN_LABEL=true $STANDIN_LABEL.source="Debian catatonit $(dpkg-query -W -f='${Version}' catatonit 2>/dev/null || echo unknown) (pause mode)"
DOCKERFILE
  log "building the pause image $CLUSTER_PAUSE_IMAGE from $catatonit"
  docker buildx build --load -q -t "$CLUSTER_PAUSE_IMAGE" "$ctx" >/dev/null \
    || die "docker buildx build of the pause image failed (output above). Fix: check 'docker buildx version' (bash scripts/testbed/engine.sh)."
fi
log "importing $CLUSTER_PAUSE_IMAGE into containerd (k8s.io namespace)"
docker save "$CLUSTER_PAUSE_IMAGE" | ctr_k8s images import - >/dev/null \
  || die "ctr images import of $CLUSTER_PAUSE_IMAGE failed. Fix: check that the cluster containerd answers on $CONTAINERD_SOCK (see $CLUSTER_LOGS/containerd.log)."
# Keep kubelet's image garbage collection away from it.
ctr_k8s images label "$CLUSTER_PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null || true
