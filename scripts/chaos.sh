#!/usr/bin/env bash
# npm run chaos [-- --quick] [-- --results DIR] [-- --help]: faults under a constant checkout load,
# then the invariants checked against the databases (see docs/reliability.md). Restarts the local
# RabbitMQ and Postgres: it takes the same lock as the tests, so it never runs beside them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# --help answers at once when the run is built already, without waiting for the lock.
for arg in "$@"; do
  if [[ ($arg == --help || $arg == -h) && -f bench/dist/src/chaos/main.js ]]; then exec node bench/dist/src/chaos/main.js --help; fi
done
# The whole script under the lock: even ensure_postgres must not run while another run restarts it.
if [[ -z "${TRACEQUEST_LOCKED:-}" ]]; then
  TRACEQUEST_LOCKED=1 exec flock "${TRACEQUEST_LOCK:-/tmp/tracequest-stack.lock}" "$0" "$@"
fi
. scripts/deps.sh
ensure_node
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -b
# The options are checked before anything is started or built: a typo costs seconds, not a build.
TRACEQUEST_ARGS_ONLY=1 node bench/dist/src/chaos/main.js "$@"
for arg in "$@"; do [[ $arg == --help || $arg == -h ]] && exit 0; done
ensure_postgres
ensure_rabbitmq
TOOLS_BIN="$(bash scripts/tools.sh jaeger otelcol)"
export TOOLS_BIN
exec node bench/dist/src/chaos/main.js "$@"
