#!/usr/bin/env bash
# npm start: the whole shop natively. Starts Postgres and RabbitMQ if they are not running,
# builds, starts the Collector and Jaeger (when built: `npm run tools`), then the six services.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/deps.sh
ensure_node
ensure_postgres
ensure_rabbitmq
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -b
exec node packages/stack/dist/src/cli.js
