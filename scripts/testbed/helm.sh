#!/usr/bin/env bash
# helm for the chart that `slipway init --with helm` writes (test/e2e/helm-chart.test.ts runs
# `helm lint` and `helm template` on it): built once from the Go module proxy into the test bed
# cache (a few minutes on 2 cores), then reused. Idempotent: a second run only checks the version.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$TESTBED_CACHE/helm/$HELM_VERSION
bin=$dir/bin/helm
# `helm version --short` prints e.g. v3.22.0+g<sha>; without the ldflags below it would print the
# version compiled into the module's default, so the check also proves the build used them.
if "$bin" version --short 2>/dev/null | grep -q "^$HELM_VERSION\\b"; then
  log "helm $HELM_VERSION present ($bin)"
  exit 0
fi
command -v go >/dev/null || die "building helm needs Go. Fix: install Go (the Go module proxy serves $HELM_MODULE)."
log "building $HELM_MODULE/cmd/helm@$HELM_VERSION from the Go module proxy (once, a few minutes)"
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
# helm's Makefile sets the version through these ldflags; `go install` alone would leave the
# module's placeholder version, which `helm version` (and chart apiVersion checks) would report.
ldflags="-s -w -X $HELM_MODULE/internal/version.version=$HELM_VERSION"
if ! GOBIN=$dir.tmp/bin CGO_ENABLED=0 GOFLAGS=-mod=mod go install -ldflags "$ldflags" "$HELM_MODULE/cmd/helm@$HELM_VERSION" >&2; then
  rm -rf "$dir.tmp"
  die "go install $HELM_MODULE/cmd/helm@$HELM_VERSION failed. Fix: check that the Go module proxy is reachable (go env GOPROXY)."
fi
"$dir.tmp/bin/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION\\b" \
  || die "the helm built from $HELM_MODULE@$HELM_VERSION reports '$("$dir.tmp/bin/helm" version --short 2>&1)', not $HELM_VERSION. Fix: check the version ldflags in $0."
rm -rf "$dir" && mv "$dir.tmp" "$dir"
log "helm $("$bin" version --short) built ($bin)"
