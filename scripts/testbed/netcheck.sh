#!/usr/bin/env bash
# Early proof that a container can resolve packages from the Python package index with uv,
# using exactly the base images the generated Dockerfile names. Leaves nothing behind.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

docker_ok || die "docker does not answer. Fix: run scripts/testbed/engine.sh first."
for image in "$PYTHON_IMAGE" "$UV_IMAGE"; do
  docker image inspect "$image" >/dev/null 2>&1 || die "image $image is missing. Fix: run scripts/testbed/images.sh."
done

tmp=$(mktemp -d)
cid=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$cid" ]; then docker rm -f "$cid" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The uv image is FROM scratch (no shell): copy /uv out of a created, never started container.
cid=$(docker create "$UV_IMAGE")
docker cp -q "$cid:/uv" "$tmp/uv" 2>/dev/null || docker cp "$cid:/uv" "$tmp/uv" >/dev/null
docker rm -f "$cid" >/dev/null && cid=

# uv's default index on purpose: the check must exercise what 'uv sync' in a build uses.
if out=$(echo six | timeout "${SLIPWAY_NETCHECK_TIMEOUT:-90}" docker run --rm -i \
    --mount "type=bind,src=$tmp/uv,dst=/usr/local/bin/uv,readonly" \
    "$PYTHON_IMAGE" uv pip compile - --no-cache --quiet 2>&1); then
  if grep -q '^six==' <<<"$out"; then
    log "netcheck ok: a container resolved '$(grep '^six==' <<<"$out")' from the package index with uv"
    exit 0
  fi
fi

printf '%s\n' "$out" | tail -n 15 >&2
case "$out" in
  *certificate*|*UnknownIssuer*|*CertificateUnknown*|*SSL*|*TLS*)
    die "uv in a $PYTHON_IMAGE container does not trust the package index's TLS certificate (an intercepting egress proxy?). Fix: put the proxy's CA certs in /usr/local/share/ca-certificates/*.crt on this host, then rebuild the stand-in: SLIPWAY_TESTBED_REBUILD=1 bash scripts/testbed/images.sh" ;;
  *dns*|*"failed to lookup"*|*resolve*|*"Name or service"*)
    die "a container cannot resolve the package index's host name. Fix: check /etc/resolv.conf on this host (dockerd copies it into containers) and the dockerd log $DOCKERD_LOG." ;;
  *)
    die "a container could not resolve 'six' from the package index with uv (output above). Fix: check container networking (iptables/NAT set up by dockerd, log $DOCKERD_LOG) and that the index is reachable from this host." ;;
esac
