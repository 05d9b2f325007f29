#!/usr/bin/env bash
# Stop the dockerd that engine.sh started (by its pid file). Uninstalls nothing.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The test bed's registry (registry.sh), when it runs.
if [ -s /run/slipway-registry.pid ] && kill -0 "$(cat /run/slipway-registry.pid)" 2>/dev/null; then
  log "stopping the registry (pid $(cat /run/slipway-registry.pid))"
  kill -TERM "$(cat /run/slipway-registry.pid)" || true
  rm -f /run/slipway-registry.pid
fi

if [ ! -s "$DOCKERD_PIDFILE" ]; then
  log "no pid file $DOCKERD_PIDFILE: no dockerd started by engine.sh"
  exit 0
fi
pid=$(cat "$DOCKERD_PIDFILE")
if ! kill -0 "$pid" 2>/dev/null || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
  log "dockerd (pid $pid) is not running"
  rm -f "$DOCKERD_PIDFILE"
  exit 0
fi
log "stopping dockerd (pid $pid)"
kill -TERM "$pid"
for _ in $(seq 1 30); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$DOCKERD_PIDFILE"; log "dockerd stopped"; exit 0; }
  sleep 1
done
die "dockerd (pid $pid) still running 30 s after SIGTERM. Fix: see $DOCKERD_LOG, then 'kill -KILL $pid' if it is stuck."
