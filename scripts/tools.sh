#!/usr/bin/env bash
# Builds (once, cached) the real observability binaries the native run and the tests use:
# Jaeger, the OpenTelemetry Collector and k6, at the versions pinned in .env for the images.
# Usage: scripts/tools.sh [jaeger|otelcol|k6 ...]   (no argument: all three)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
set -a; . "$ROOT/.env"; set +a
CACHE="${TRACEQUEST_CACHE:-$HOME/.cache/tracequest}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
export GOBIN="$BIN" GOFLAGS="-trimpath -buildvcs=false"

# Builds a package of a module fetched from the module proxy as the main module, the way its own
# release build does (go install pkg@version refuses modules with replace directives, and its
# deprecation lookup needs the module's vanity host, which is not reachable everywhere).
build_main_module() {
  local module="$1" version="$2" pkg="$3" out="$4" src
  src="$(go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$src" ]] || { echo "tools: could not download $module@$version" >&2; return 1; }
  rm -rf "$CACHE/src-$out"; cp -r "$src" "$CACHE/src-$out"; chmod -R u+w "$CACHE/src-$out"
  (cd "$CACHE/src-$out" && go build -o "$BIN/$out" "$pkg")
  rm -rf "$CACHE/src-$out"
}

build_jaeger() {
  # Jaeger's v2 release tags are not Go module versions: its module tag v$JAEGER_MODULE_VERSION
  # is the same commit as the image tag $JAEGER_VERSION.
  local stamp="$BIN/.jaeger-$JAEGER_MODULE_VERSION"
  [[ -x "$BIN/jaeger" && -f "$stamp" ]] && return 0
  echo "tools: building jaeger $JAEGER_VERSION (module v$JAEGER_MODULE_VERSION), a few minutes once" >&2
  # Its go.mod has a replace directive, which `go install pkg@version` refuses.
  build_main_module github.com/jaegertracing/jaeger "v$JAEGER_MODULE_VERSION" ./cmd/jaeger jaeger
  touch "$stamp"
}

build_otelcol() {
  local stamp="$BIN/.otelcol-$OTELCOL_VERSION-$(sha1sum "$ROOT/infra/otel-collector/builder.yaml" | cut -c1-12)"
  [[ -x "$BIN/otelcol" && -f "$stamp" ]] && return 0
  echo "tools: building the OpenTelemetry Collector $OTELCOL_VERSION, a few minutes once" >&2
  go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  local dir="$CACHE/otelcol-build"
  mkdir -p "$dir"
  { cat "$ROOT/infra/otel-collector/builder.yaml"; } |
    sed "s|^dist:|dist:\n  output_path: $dir|" > "$dir/manifest.yaml"
  "$BIN/builder" --config "$dir/manifest.yaml"
  cp "$dir/otelcol-tracequest" "$BIN/otelcol"
  rm -f "$BIN"/.otelcol-*; touch "$stamp"
}

build_k6() {
  local stamp="$BIN/.k6-$K6_VERSION"
  [[ -x "$BIN/k6" && -f "$stamp" ]] && return 0
  echo "tools: building k6 $K6_VERSION, a few minutes once" >&2
  build_main_module "go.k6.io/k6/v${K6_VERSION%%.*}" "v$K6_VERSION" . k6
  touch "$stamp"
}

for tool in "${@:-jaeger otelcol k6}"; do
  for t in $tool; do "build_$t"; done
done
echo "$BIN"
