#!/usr/bin/env bash
# syft for the SBOM side-by-side test (test/e2e/sbom-syft.test.ts): built once from the Go module
# proxy ($SYFT_MODULE/cmd/syft@$SYFT_VERSION; about 7 minutes on 2 cores, cached) into the test bed
# cache. Idempotent: a second run only checks that the cached binary reports the pinned version.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$TESTBED_CACHE/syft/$SYFT_VERSION
bin=$dir/bin/syft
want=${SYFT_VERSION#v}

if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -Eq "^Version: +$want\$"; then
  log "syft $SYFT_VERSION present ($bin)"
  exit 0
fi

command -v go >/dev/null || die "building syft needs Go. Fix: install Go (the Go module proxy serves $SYFT_MODULE)."
log "building $SYFT_MODULE/cmd/syft@$SYFT_VERSION from the Go module proxy (once, ~7 min)"
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# CGO off: syft's catalogers are pure Go, and a static binary does not depend on the host's libc.
# The version string is stamped the way syft's own release build does, so `syft version` names it.
ldflags="-s -w -X main.version=$want"
if ! GOBIN=$tmp/bin CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 \
  go install -trimpath -ldflags "$ldflags" "$SYFT_MODULE/cmd/syft@$SYFT_VERSION" >&2; then
  die "go install $SYFT_MODULE/cmd/syft@$SYFT_VERSION failed. Fix: check that the Go module proxy is reachable (go env GOPROXY) and that the Go in PATH satisfies the module's go line (see the build output above)."
fi
rm -rf "${dir:?}/bin" && mv "$tmp/bin" "$dir/bin"
"$bin" version 2>/dev/null | grep -Eq "^Version: +$want\$" \
  || die "the syft built from $SYFT_MODULE@$SYFT_VERSION does not report version $want. Fix: remove $dir and run this script again."
log "syft $SYFT_VERSION built ($bin)"
