#!/usr/bin/env bash
# Builds (once, cached) the real binaries the native run and the tests use: Jaeger and the
# OpenTelemetry Collector, at the versions pinned in .env for the images, and vegeta, the load
# generator behind npm run load and the benchmark (MIT; k6 is AGPL, so nothing here builds it).
# A first build takes a few minutes on 2 cores: it shows what it is building and for how long,
# and stops with the end of the build log if a build fails.
# Usage: scripts/tools.sh [jaeger|otelcol|vegeta ...]   (no argument: Jaeger and the Collector).
# Prints the bin directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
set -a; . "$ROOT/.env"; set +a
CACHE="${TRACEQUEST_CACHE:-$HOME/.cache/tracequest}"
BIN="$CACHE/bin"
LOGS="$CACHE/logs"
mkdir -p "$BIN" "$LOGS"
export GOBIN="$BIN" GOFLAGS="-trimpath -buildvcs=false"

say() { echo "tools: $*" >&2; }

# Go builds everything here: say so plainly when it is missing, or older than the go line of the
# Collector builder's go.mod (1.25.0).
GO_MIN=1.25
if ! command -v go >/dev/null; then
  say "Go $GO_MIN or newer is needed to build Jaeger and the Collector: https://go.dev/dl (or run the workshop with docker compose)"
  exit 1
fi
go_have="$(go env GOVERSION | sed 's/^go//')"
if [[ "$(printf '%s\n%s\n' "$GO_MIN" "$go_have" | sort -V | head -1)" != "$GO_MIN" ]]; then
  say "Go $go_have is too old: these builds need Go $GO_MIN or newer (https://go.dev/dl)"
  exit 1
fi

# Runs a build step with its output in a log file, printing the elapsed time every 15 s.
with_progress() {
  local what="$1" log="$2"; shift 2
  local started=$SECONDS pid
  say "building $what (a few minutes the first time; log: $log)"
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    (( (SECONDS - started) % 15 == 0 )) && kill -0 "$pid" 2>/dev/null && say "  still building $what ($((SECONDS - started)) s)"
  done
  if ! wait "$pid"; then
    say "building $what FAILED after $((SECONDS - started)) s; the end of $log:"
    tail -n 20 "$log" >&2
    return 1
  fi
  say "built $what in $((SECONDS - started)) s"
}

# Builds a package of a module fetched from the module proxy as the main module, the way its own
# release build does (go install pkg@version refuses modules with replace directives, and its
# deprecation lookup needs the module's vanity host, which is not reachable everywhere).
build_main_module() {
  local module="$1" version="$2" pkg="$3" out="$4" src
  src="$(go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$src" ]] || { echo "could not download $module@$version" >&2; return 1; }
  rm -rf "$CACHE/src-$out"; cp -r "$src" "$CACHE/src-$out"; chmod -R u+w "$CACHE/src-$out"
  (cd "$CACHE/src-$out" && go build -o "$BIN/$out" "$pkg")
  rm -rf "$CACHE/src-$out"
}

build_jaeger() {
  # Jaeger's v2 release tags are not Go module versions: its module tag v$JAEGER_MODULE_VERSION
  # is the same commit as the image tag $JAEGER_VERSION.
  local stamp="$BIN/.jaeger-$JAEGER_MODULE_VERSION"
  [[ -x "$BIN/jaeger" && -f "$stamp" ]] && return 0
  with_progress "Jaeger $JAEGER_VERSION (module v$JAEGER_MODULE_VERSION)" "$LOGS/jaeger-build.log" \
    build_main_module github.com/jaegertracing/jaeger "v$JAEGER_MODULE_VERSION" ./cmd/jaeger jaeger
  touch "$stamp"
}

otelcol_build() {
  go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  local dir="$CACHE/otelcol-build"
  mkdir -p "$dir"
  sed "s|^dist:|dist:\n  output_path: $dir|" "$ROOT/infra/otel-collector/builder.yaml" > "$dir/manifest.yaml"
  "$BIN/builder" --config "$dir/manifest.yaml"
  cp "$dir/otelcol-tracequest" "$BIN/otelcol"
}

build_otelcol() {
  local stamp="$BIN/.otelcol-$OTELCOL_VERSION-$(sha1sum "$ROOT/infra/otel-collector/builder.yaml" | cut -c1-12)"
  [[ -x "$BIN/otelcol" && -f "$stamp" ]] && return 0
  with_progress "the OpenTelemetry Collector $OTELCOL_VERSION" "$LOGS/otelcol-build.log" otelcol_build
  rm -f "$BIN"/.otelcol-*; touch "$stamp"
}

build_vegeta() {
  # Built as the main module, so it uses exactly the dependency versions of its own go.sum.
  local stamp="$BIN/.vegeta-$VEGETA_VERSION"
  [[ -x "$BIN/vegeta" && -f "$stamp" ]] && return 0
  with_progress "vegeta $VEGETA_VERSION" "$LOGS/vegeta-build.log" \
    build_main_module "github.com/tsenart/vegeta/v${VEGETA_VERSION%%.*}" "v$VEGETA_VERSION" . vegeta
  rm -f "$BIN"/.vegeta-*; touch "$stamp"
}

command -v go >/dev/null || { say "Go is needed to build Jaeger, the Collector and vegeta (https://go.dev/dl/)"; exit 1; }
for tool in ${@:-jaeger otelcol}; do
  case "$tool" in
    jaeger | otelcol | vegeta) "build_$tool" ;;
    *) say "unknown tool \"$tool\" (jaeger, otelcol or vegeta)"; exit 2 ;;
  esac
done
echo "$BIN"
