#!/usr/bin/env bash
# npm run bench [-- --reps N --duration S --concurrency C]: bring up what the bench needs
# (engine, base images, the full python stand-in, the distroless base and its builder, the built
# CLI), then run it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/testbed/up.sh
bash scripts/testbed/images-full.sh
bash scripts/testbed/distroless.sh
npm run --silent build
npx tsc -p bench/tsconfig.json
exec node dist/bench-build/bench/run.js "$@"
