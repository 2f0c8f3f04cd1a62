#!/usr/bin/env bash
# The one test command (npm test): installs and starts what the suite needs on a fresh machine
# (Node 24, Postgres, RabbitMQ, Chromium, the Go-built Jaeger, Collector and vegeta, all cached), lints,
# builds, type-checks the k6 scripts, runs.
# Usage: npm test [-- test-file-glob ...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/deps.sh
ensure_node
ensure_postgres
ensure_rabbitmq
ensure_prometheus
ensure_chromium
TOOLS_BIN="$(bash scripts/tools.sh jaeger otelcol vegeta)"
export TOOLS_BIN
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Lint and format first: a finding fails the run (npm run lint shows them, npm run format fixes formatting).
npx biome ci --colors=off .
# tsc -b never deletes outputs: a compiled test whose source was removed or renamed would still run.
find packages services tests bench -path '*/node_modules' -prune -o -path '*/dist/*' -name '*.test.js' -print | while read -r js; do
  src="${js/\/dist\//\/}"
  [[ -f "${src%.js}.ts" ]] || rm -f "${js%.js}".*
done
npx tsc -b
# k6 does not run here (it is AGPL): its scripts are type-checked against @types/k6 instead.
npx tsc -p loadtest
# The console's page (Vite), which the native stack serves; prints its size and fails over budget.
npm run build:console
patterns=("$@")
(( ${#patterns[@]} )) || patterns=('packages/*/dist/test/**/*.test.js' 'services/*/dist/test/**/*.test.js' 'bench/dist/test/**/*.test.js' 'tests/dist/**/*.test.js')
# One file at a time: the end-to-end files start the whole shop on fixed ports, and the component
# tests share the local Postgres and RabbitMQ; the lock makes a second run on this machine wait.
# -o: the lock is not handed down to what the tests start (a restarted Postgres would keep it).
exec flock -o "${TRACEQUEST_LOCK:-/tmp/tracequest-stack.lock}" node --test --test-concurrency=1 --test-timeout=300000 "${patterns[@]}"
