#!/usr/bin/env bash
# npm run bench [-- --quick]: starts the native stack and measures it (see docs/performance.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# --help answers at once when the bench is built already: no install, no build (the console's page is
# rebuilt below, under a shop that may be serving it).
for arg in "$@"; do
  if [[ ($arg == --help || $arg == -h) && -f bench/dist/src/main.js ]]; then exec node bench/dist/src/main.js --help; fi
done
. scripts/deps.sh
ensure_node
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -b
# The options are checked before anything is started or built: a typo costs seconds, not a build.
TRACEQUEST_ARGS_ONLY=1 node bench/dist/src/main.js "$@"
for arg in "$@"; do [[ $arg == --help || $arg == -h ]] && exit 0; done
ensure_postgres
ensure_rabbitmq
TOOLS_BIN="$(bash scripts/tools.sh jaeger otelcol vegeta)"
export TOOLS_BIN
npm run build:console
exec node bench/dist/src/main.js "$@"
