#!/usr/bin/env bash
# Build kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and kubectl
# from the k8s.io/kubernetes Go module (through the Go module proxy) into the cache.
# Idempotent: returns at once when the binaries of KUBE_VERSION and this go.mod/go.sum exist.
# A cold build took 8.5 min on 2 busy cores (+30 s module downloads); it runs under nice.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
stamp=$KUBE_BIN/.built
# Rebuild when the module pins or the build recipe change (bump RECIPE when the go build line does).
RECIPE=1
want=$({ cat "$here/go.mod" "$here/go.sum"; echo "recipe $RECIPE ${BINARIES[*]}"; } | recipe_digest)

built_ok() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] || return 1
  local b
  for b in "${BINARIES[@]}"; do [ -x "$KUBE_BIN/$b" ] || return 1; done
}

if built_ok; then
  log "kubernetes $KUBE_VERSION binaries already built in $KUBE_BIN"
  exit 0
fi

# One build at a time (a second up.sh waits for the first build instead of starting another).
mkdir -p "$(dirname "$KUBE_BIN")"
exec 9>"$(dirname "$KUBE_BIN")/.build.lock"
if ! flock -n 9; then
  log "another build of kubernetes $KUBE_VERSION is running; waiting for it"
  flock 9
  built_ok && { log "kubernetes $KUBE_VERSION binaries built by the other run"; exit 0; }
fi

command -v go >/dev/null 2>&1 || die "no 'go' on PATH. Fix: install Go >= 1.25 (k8s.io/kubernetes $KUBE_VERSION needs it)."
mod_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3} $1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2}' "$here/go.mod" | head -n1)
[ "$mod_version" = "$KUBE_VERSION" ] \
  || die "kube/go.mod requires k8s.io/kubernetes ${mod_version:-?} but pins.sh says KUBE_VERSION=$KUBE_VERSION. Fix: make them agree (and pin the staging modules to v0.${KUBE_VERSION#v1.}), then 'go mod tidy' in $here."
staging=v0.${KUBE_VERSION#v1.}
if bad=$(grep -E '^\s+k8s\.io/[a-z-]+ => k8s\.io/[a-z-]+ v' "$here/go.mod" | grep -v " $staging\$"); then
  die "kube/go.mod replaces staging modules at a version other than $staging: $bad. Fix: pin every staging module to $staging."
fi

minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

pkgs=()
for b in "${BINARIES[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
tmp=$KUBE_BIN.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
log "building kubernetes $KUBE_VERSION (${BINARIES[*]}) into $KUBE_BIN; a cold build takes about 9 min on 2 cores (plus ~30 s of module downloads)"
start=$SECONDS
# CGO off: static binaries like the official release; -trimpath so the cache path does not leak.
if ! (cd "$here" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" nice -n "${SLIPWAY_BUILD_NICE:-10}" \
      go build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}" >&2); then
  die "go build of kubernetes $KUBE_VERSION failed (output above). Fix: if a module fetch failed, check that the Go module proxy (GOPROXY=$(go env GOPROXY)) is reachable; if compilation failed, check 'go version' (needs >= 1.25)."
fi
mkdir -p "$KUBE_BIN"
for b in "${BINARIES[@]}"; do mv -f "$tmp/$b" "$KUBE_BIN/$b"; done
printf '%s\n' "$want" >"$stamp"
log "built kubernetes $KUBE_VERSION in $((SECONDS - start))s: $("$KUBE_BIN/kubectl" version --client 2>/dev/null | head -n1)"
