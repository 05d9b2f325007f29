#!/usr/bin/env bash
# A real container registry for the deploy tests: the CNCF distribution registry, built once from
# the Go module proxy (about 2 minutes on 2 cores, cached), serving plain HTTP on $REGISTRY_ADDR
# (loopback only). `docker push 127.0.0.1:5000/...` works without daemon configuration (Docker
# treats loopback registries as insecure); the test cluster's containerd is told the same in
# scripts/testbed/cluster/configs.sh. Idempotent: a second run only checks that it answers.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

REGISTRY_HOME=${SLIPWAY_REGISTRY_HOME:-/var/lib/slipway-registry}
REGISTRY_BIN=$TESTBED_CACHE/registry/$REGISTRY_VERSION/registry
REGISTRY_LOG=/var/log/slipway-registry.log
REGISTRY_PIDFILE=/run/slipway-registry.pid

answers() { curl -fsS --max-time 3 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }

if answers; then
  log "registry answers on http://$REGISTRY_ADDR"
  exit 0
fi

if [ ! -x "$REGISTRY_BIN" ]; then
  command -v go >/dev/null || die "building the registry needs Go. Fix: install Go (the Go module proxy serves $REGISTRY_MODULE)."
  log "building $REGISTRY_MODULE/cmd/registry@$REGISTRY_VERSION from the Go module proxy (once, ~2 min)"
  mkdir -p "$(dirname "$REGISTRY_BIN")"
  tmp=$(mktemp -d)
  if ! GOBIN=$tmp GOFLAGS=-mod=mod go install "$REGISTRY_MODULE/cmd/registry@$REGISTRY_VERSION" >&2; then
    rm -rf "$tmp"
    die "go install $REGISTRY_MODULE/cmd/registry@$REGISTRY_VERSION failed. Fix: check that the Go module proxy is reachable (go env GOPROXY)."
  fi
  mv "$tmp/registry" "$REGISTRY_BIN"
  rm -rf "$tmp"
fi

mkdir -p "$REGISTRY_HOME/data"
cat >"$REGISTRY_HOME/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_HOME/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
if [ -f "$REGISTRY_PIDFILE" ] && kill -0 "$(cat "$REGISTRY_PIDFILE")" 2>/dev/null; then
  log "registry (pid $(cat "$REGISTRY_PIDFILE")) runs but does not answer; restarting it"
  kill "$(cat "$REGISTRY_PIDFILE")" 2>/dev/null || true
  sleep 1
fi
# OTEL_TRACES_EXPORTER=none: the registry would otherwise try to export traces to a collector.
setsid env OTEL_TRACES_EXPORTER=none "$REGISTRY_BIN" serve "$REGISTRY_HOME/config.yml" \
  >>"$REGISTRY_LOG" 2>&1 </dev/null &
echo $! >"$REGISTRY_PIDFILE"
for _ in $(seq 1 50); do
  answers && { log "registry $REGISTRY_VERSION serving on http://$REGISTRY_ADDR (log $REGISTRY_LOG)"; exit 0; }
  sleep 0.2
done
tail -n 20 "$REGISTRY_LOG" >&2 || true
die "the registry did not answer on http://$REGISTRY_ADDR. Fix: see $REGISTRY_LOG (is the port taken?)."
