#!/usr/bin/env bash
# npm run load -- <scenario> [-e NAME=value ...]: a scenario of loadtest/scenarios.json against the
# running shop (npm start), sent by vegeta (built once, cached; see scripts/tools.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/deps.sh
ensure_node
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -b
# The scenario and options are checked before vegeta is built: a typo costs seconds, not a build.
TRACEQUEST_ARGS_ONLY=1 node packages/load/dist/src/cli.js "$@"
for arg in "$@"; do [[ $arg == --help || $arg == -h ]] && exit 0; done
TOOLS_BIN="$(bash scripts/tools.sh vegeta)"
export TOOLS_BIN
# The shop and Jaeger where .env puts them, unless BASE_URL or JAEGER_URL say otherwise; a failed
# request's trace opens in npm start's console (the native Jaeger has no UI). CONSOLE_URL= for Jaeger's.
export BASE_URL="${BASE_URL:-http://127.0.0.1:$GATEWAY_PORT}" JAEGER_URL="${JAEGER_URL:-http://127.0.0.1:$JAEGER_UI_PORT}"
export CONSOLE_URL="${CONSOLE_URL-$CONSOLE_ORIGIN}"
exec node packages/load/dist/src/cli.js "$@"
