#!/usr/bin/env bash
# The README's test command (and CI's): format, clippy, unit and integration tests against a
# fresh private Postgres and NATS, then browser tests in headless Chromium against the real stack.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

STARTED_AT=$(date +%s)
step() { log "[$(( $(date +%s) - STARTED_AT ))s] $*"; }

step "checking tools"
command -v curl >/dev/null || apt_install curl
ensure_services_installed
command -v chromium >/dev/null || apt_install chromium
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
ensure_python_sdk

step "format"
cargo fmt --all --check

step "clippy (warnings denied)"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "building binaries"
cargo build --quiet --workspace --bins

# Fresh, private services for this run only.
RUN_DIR="$ROOT/.data/test-run"
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
PG_DIR="$(pg_data_dir "$RUN_DIR/pg")"
rm -rf "$PG_DIR"
PIDS=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[i]}" 2>/dev/null || true
    wait "${PIDS[i]}" 2>/dev/null || true
  done
  stop_postgres "$PG_DIR"
  [ "$status" -eq 0 ] && rm -rf "$RUN_DIR" "$PG_DIR"
  exit "$status"
}
trap cleanup EXIT INT TERM

pg_port="$(free_port)"
PG_FSYNC=off start_postgres "$PG_DIR" "$pg_port"
nats_port="$(free_port)"
start_nats "$RUN_DIR/nats" "$nats_port"
PIDS+=("$NATS_PID")
export WARDEN_TEST_DATABASE_URL="postgres://warden@127.0.0.1:$pg_port"
export WARDEN_TEST_NATS_URL="nats://127.0.0.1:$nats_port"

step "unit and integration tests"
cargo test --quiet --workspace

step "building the console (wasm)"
build_site

step "browser tests"
BIN="$ROOT/target/debug"
export DATABASE_URL="$WARDEN_TEST_DATABASE_URL/e2e"
export NATS_URL="$WARDEN_TEST_NATS_URL"
"$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U warden -d postgres -qc "CREATE DATABASE e2e" >/dev/null
credential="$(RUST_LOG=warn "$BIN/warden" bootstrap-admin)"
export E2E_ADMIN_PASSWORD="$(printf '%s\n' "$credential" | awk '/password:/ { print $2 }')"
console_port="$(free_port)"
export E2E_BASE_URL="http://127.0.0.1:$console_port"
(umask 077 && head -c 32 /dev/urandom | base64 > "$RUN_DIR/ca-kek")
WARDEN_LISTEN="127.0.0.1:$console_port" WARDEN_SITE_ROOT="$SITE_ROOT" WARDEN_LOG_FORMAT=json \
  WARDEN_CA_KEK_FILE="$RUN_DIR/ca-kek" WARDEN_AGENT_LISTEN="127.0.0.1:$(free_port)" WARDEN_AUDIT_INDEX_DIR="$RUN_DIR/audit-index" \
  "$BIN/warden" serve 2>"$RUN_DIR/warden.log" &
PIDS+=("$!")
wait_ready "$E2E_BASE_URL/readyz" 60 "${PIDS[-1]}" || { tail -n 30 "$RUN_DIR/warden.log"; die "control plane did not start"; }
WARDEN_POLICY_KEYS="$(policy_key "$E2E_BASE_URL")" \
WARDEN_ENFORCER_LISTEN="127.0.0.1:$(free_port)" WARDEN_ENFORCER_AGENT_LISTEN="127.0.0.1:$(free_port)" WARDEN_HEARTBEAT_SECS=2 \
  "$BIN/warden-enforcer" serve 2>"$RUN_DIR/enforcer.log" &
PIDS+=("$!")

(cd e2e && npm ci --silent --no-audit --no-fund)
(cd e2e && node --test --test-concurrency=1 tests/)

step "all checks passed in $(( $(date +%s) - STARTED_AT ))s"
