#!/usr/bin/env bash
# One entry point: make this machine able to run slipway's end-to-end tests against a real
# Docker engine. Idempotent; a second run takes a few seconds.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

start=$SECONDS
bash "$here/engine.sh"
bash "$here/compose.sh"
bash "$here/images.sh"
bash "$here/distroless.sh"
bash "$here/services.sh"
bash "$here/netcheck.sh"

log "ready in $((SECONDS - start))s"
log "  docker server $(docker version -f '{{.Server.Version}}'), client $(docker version -f '{{.Client.Version}}')"
log "  $(docker buildx version)"
for image in "$PYTHON_IMAGE" "$UV_IMAGE"; do
  size=$(docker image inspect -f '{{.Size}}' "$image")
  kind=$([ "$(image_label "$image" "$STANDIN_LABEL")" = true ] && echo "stand-in: $(image_label "$image" "$STANDIN_LABEL.source")" || echo pulled)
  log "  $image  $((size / 1000000)) MB  ($kind)"
done
