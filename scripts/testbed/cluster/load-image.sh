#!/usr/bin/env bash
# Copy images from Docker into the test cluster's containerd (k8s.io namespace), where the kubelet
# finds them without a registry: use a fixed tag and imagePullPolicy Never or IfNotPresent.
# Usage: load-image.sh IMAGE[:TAG]...   Skips an image containerd already holds (same Docker id).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$#" -ge 1 ] || die "usage: $0 IMAGE[:TAG]... (images that 'docker image ls' shows)"
[ -x "$CTR" ] || die "ctr not found at $CTR. Fix: bash scripts/testbed/cluster/up.sh."
"$CTR" -a "$CONTAINERD_SOCK" version >/dev/null 2>&1 \
  || die "the cluster's containerd does not answer on $CONTAINERD_SOCK. Fix: bash scripts/testbed/cluster/up.sh."
docker_ok || die "docker does not answer. Fix: bash scripts/testbed/engine.sh."

# The name containerd (and the kubelet) use for a Docker reference: docker.io/library/x:latest etc.
normalize() {
  local ref=$1 first=${1%%/*}
  if [[ $ref != */* ]]; then ref=docker.io/library/$ref
  elif [[ $first != *.* && $first != *:* && $first != localhost ]]; then ref=docker.io/$ref
  fi
  [[ ${ref##*/} == *[:@]* ]] || ref=$ref:latest
  printf '%s\n' "$ref"
}

for image in "$@"; do
  id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) \
    || die "docker has no image '$image'. Fix: build it first (docker buildx build --load -t $image ...)."
  ref=$(normalize "$image")
  [[ $ref == *:latest ]] && log "warning: $image has tag 'latest'; the kubelet pulls such images unless imagePullPolicy is Never. Use a fixed tag."
  if ctr_k8s images ls "name==$ref" 2>/dev/null | grep -qF "io.slipway.docker-id=$id"; then
    log "$image already in the cluster ($ref)"
    continue
  fi
  start=$SECONDS
  docker save "$image" | ctr_k8s images import - >/dev/null \
    || die "importing $image into containerd failed (ctr output above). Fix: check $CLUSTER_LOGS/containerd.log and free disk space under $CONTAINERD_ROOT."
  ctr_k8s images ls -q "name==$ref" | grep -qxF "$ref" \
    || die "imported $image but containerd has no image named $ref. Fix: tag it with a full name (e.g. localhost/NAME:TAG) and use that name in the pod spec."
  ctr_k8s images label "$ref" "io.slipway.docker-id=$id" >/dev/null
  log "loaded $image into the cluster as $ref in $((SECONDS - start))s"
done
