#!/usr/bin/env bash
# The main job on the bundled example, from a fresh machine: bring up the engine when none answers,
# check the machine with `slipway doctor`, ship the reference backend (`slipway ship --example`: analyze,
# init, check, build, verify with the scan) and serve the image under the pod's restrictions on
# http://127.0.0.1:8000 until Ctrl-C. `--once` stops after the first 200 from the health route.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
once=false
[ "${1:-}" = "--once" ] && once=true
say() { printf 'example: %s\n' "$*" >&2; }

[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/bin/cli.js ] || npm run build --silent
if ! node bin/slipway.js doctor >/dev/null 2>&1; then
  say "no usable engine or base image yet: bringing up the test bed"
  bash scripts/testbed/up.sh
fi
node bin/slipway.js doctor

# The main job: analyze, init, check, build, verify (with the scan), one summary.
node bin/slipway.js ship --example
image=$(node bin/slipway.js analyze --example --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log((m.config.image.name??m.name)+":"+m.version)})')

name=slipway-example-$$
# A throwaway key for this local run only; it is never printed.
INVENTORY_API_KEY=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export INVENTORY_API_KEY
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
docker run -d --name "$name" --label io.slipway.owner=slipway -e INVENTORY_API_KEY \
  -p 127.0.0.1:8000:8000 --read-only --tmpfs /tmp --cap-drop ALL \
  --security-opt no-new-privileges "$image" >/dev/null

for _ in $(seq 1 120); do
  if curl -fsS http://127.0.0.1:8000/healthz >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS http://127.0.0.1:8000/healthz >&2 && echo >&2 || { docker logs "$name" >&2; exit 1; }
say "serving on http://127.0.0.1:8000 (docs at /docs); the API key is in this shell only"
$once && exit 0
say "Ctrl-C stops and removes the container"
docker logs -f "$name"
