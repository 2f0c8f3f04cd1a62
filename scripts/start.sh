#!/usr/bin/env bash
# npm start: the whole shop natively. Starts Postgres and RabbitMQ if they are not running, builds
# the Collector and Jaeger the first time (a few minutes, with progress), builds the shop, then runs
# the Collector, Jaeger, the six services and the console until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/deps.sh
ensure_node
ensure_postgres
ensure_rabbitmq
if ! TOOLS_BIN="$(bash scripts/tools.sh jaeger otelcol)"; then
  echo "tracequest: could not build Jaeger and the Collector (see above); the shop would run without traces, so it does not start" >&2
  exit 1
fi
export TOOLS_BIN
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if ! npx tsc -b; then
  echo "tracequest: the shop does not compile (the errors are above, file(line,column)): fix them and run npm start again" >&2
  exit 1
fi
npm run build:console
exec node packages/stack/dist/src/cli.js "$@"
