#!/usr/bin/env bash
# Builds (once, cached) the real binaries the native run and the tests use: Jaeger and the
# OpenTelemetry Collector, at the versions pinned in .env for the images, and vegeta, the load
# generator behind npm run load and the benchmark (MIT; k6 is AGPL, so nothing here builds it).
# A first build takes a few minutes on 2 cores: it shows what it is building and for how long,
# and stops with the end of the build log if a build fails.
# Usage: scripts/tools.sh [jaeger|otelcol|vegeta|go ...]   (no argument: Jaeger and the Collector).
# Prints the bin directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# .env under the caller's own settings, and apt_install for curl and unzip on a bare machine.
. "$ROOT/scripts/deps.sh"
CACHE="${TRACEQUEST_CACHE:-$HOME/.cache/tracequest}"
BIN="$CACHE/bin"
LOGS="$CACHE/logs"
mkdir -p "$BIN" "$LOGS"
export GOBIN="$BIN" GOFLAGS="-trimpath -buildvcs=false"

say() { echo "tools: $*" >&2; }

# Go builds everything here, and only when something is to be built. A Go at least as new as the
# go line of the Collector builder's go.mod (1.25.0) is used as it is; with none, or an older one,
# the Go toolchain pinned here is fetched once from the Go module proxy (the same archive the go
# command fetches when it switches toolchains), checked against its SHA-256 and kept in the cache.
GO_MIN=1.25
GO_PIN=1.26.8
declare -A GO_SHA256=(
  [amd64]=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7
  [arm64]=02b36b6787b3ac767668f630e2998df45a3b1f9ffee08d1bf3ef6487cd658d99
)
go_is_new_enough() {
  command -v go >/dev/null || return 1
  local have; have="$(go env GOVERSION 2>/dev/null | sed 's/^go//')"
  [[ -n "$have" && "$(printf '%s\n%s\n' "$GO_MIN" "$have" | sort -V | head -1)" == "$GO_MIN" ]]
}
ensure_go() {
  local dir="$CACHE/go-$GO_PIN"
  [[ -x "$dir/bin/go" ]] && ! go_is_new_enough && export PATH="$dir/bin:$PATH" GOTOOLCHAIN=local
  go_is_new_enough && return 0
  local arch
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) say "Go $GO_MIN or newer is needed, and there is no pinned Go for $(uname -m): https://go.dev/dl"; return 1 ;;
  esac
  local proxy="${GOPROXY:-https://proxy.golang.org}"
  proxy="${proxy%%[,|]*}"
  [[ $proxy == direct || $proxy == off ]] && proxy=https://proxy.golang.org
  local name="v0.0.1-go$GO_PIN.linux-$arch" zip="$CACHE/go-$GO_PIN.zip"
  say "fetching Go $GO_PIN from $proxy (this machine has $(command -v go >/dev/null && go env GOVERSION || echo 'no Go'); the builds need $GO_MIN or newer)"
  command -v curl >/dev/null || apt_install curl
  command -v unzip >/dev/null || apt_install unzip
  if ! curl -fsSL --retry 3 -o "$zip" "$proxy/golang.org/toolchain/@v/$name.zip"; then
    rm -f "$zip"; say "could not fetch Go $GO_PIN from $proxy: install Go $GO_MIN or newer (https://go.dev/dl)"; return 1
  fi
  if ! echo "${GO_SHA256[$arch]}  $zip" | sha256sum -c --quiet >/dev/null 2>&1; then
    rm -f "$zip"; say "the Go $GO_PIN archive from $proxy does not have the pinned SHA-256: not using it"; return 1
  fi
  rm -rf "$dir.tmp" "$dir"
  unzip -q "$zip" -d "$dir.tmp" && mv "$dir.tmp/golang.org/toolchain@$name" "$dir"
  rm -rf "$dir.tmp" "$zip"
  export PATH="$dir/bin:$PATH" GOTOOLCHAIN=local
  say "Go $GO_PIN is in $dir"
}

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
  ensure_go
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
  ensure_go
  with_progress "the OpenTelemetry Collector $OTELCOL_VERSION" "$LOGS/otelcol-build.log" otelcol_build
  rm -f "$BIN"/.otelcol-*; touch "$stamp"
}

build_vegeta() {
  # Built as the main module, so it uses exactly the dependency versions of its own go.sum.
  local stamp="$BIN/.vegeta-$VEGETA_VERSION"
  [[ -x "$BIN/vegeta" && -f "$stamp" ]] && return 0
  ensure_go
  with_progress "vegeta $VEGETA_VERSION" "$LOGS/vegeta-build.log" \
    build_main_module "github.com/tsenart/vegeta/v${VEGETA_VERSION%%.*}" "v$VEGETA_VERSION" . vegeta
  rm -f "$BIN"/.vegeta-*; touch "$stamp"
}

for tool in ${@:-jaeger otelcol}; do
  case "$tool" in
    jaeger | otelcol | vegeta) "build_$tool" ;;
    go) ensure_go ;;
    *) say "unknown tool \"$tool\" (jaeger, otelcol, vegeta, or go: only make sure Go is there)"; exit 2 ;;
  esac
done
echo "$BIN"
