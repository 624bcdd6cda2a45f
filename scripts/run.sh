#!/usr/bin/env bash
# The README's run command: from a fresh Debian/Ubuntu machine to a working console with one
# enforcer. Uses DATABASE_URL / NATS_URL when given; otherwise a private Postgres cluster and
# nats-server under .data/ (kept between runs). Ctrl-C stops everything it started.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

DATA="$ROOT/.data"
mkdir -p "$DATA"
command -v curl >/dev/null || apt_install curl
[ -n "${DATABASE_URL:-}" ] && [ -n "${NATS_URL:-}" ] || ensure_services_installed

log "building the control plane and the enforcer"
cargo build --quiet --bins
build_site

PIDS=()
STARTED_PG=""
cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  # Stop in reverse order of start: enforcer, control plane, then NATS.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[i]}" 2>/dev/null || true
    wait "${PIDS[i]}" 2>/dev/null || true
  done
  [ -n "$STARTED_PG" ] && stop_postgres "$STARTED_PG"
  exit 0
}
trap cleanup EXIT INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
  port="$(free_port)"
  pg_dir="$(pg_data_dir "$DATA/pg")"
  start_postgres "$pg_dir" "$port"
  STARTED_PG="$pg_dir"
  # The schema belongs to `warden`, which only migrates; the control plane runs as `warden_app`,
  # which may read and append to the audit log but never alter it.
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U warden -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='warden_app'" | grep -q 1; then
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U warden -d postgres -qc "CREATE ROLE warden_app LOGIN" >/dev/null
  fi
  export WARDEN_DATABASE_OWNER_URL="postgres://warden@127.0.0.1:$port/warden"
  export DATABASE_URL="postgres://warden_app@127.0.0.1:$port/warden"
fi
if [ -z "${NATS_URL:-}" ]; then
  port="$(free_port)"
  start_nats "$DATA/nats" "$port"
  PIDS+=("$NATS_PID")
  export NATS_URL="nats://127.0.0.1:$port"
fi

if [ -z "${WARDEN_LISTEN:-}" ]; then
  console_port=8080
  port_is_free "$console_port" || console_port="$(free_port)"
  export WARDEN_LISTEN="127.0.0.1:$console_port"
fi
if [ -z "${WARDEN_AGENT_LISTEN:-}" ]; then
  agent_port=8443
  port_is_free "$agent_port" || agent_port="$(free_port)"
  export WARDEN_AGENT_LISTEN="127.0.0.1:$agent_port"
fi
export WARDEN_SITE_ROOT="$SITE_ROOT"
# The agent CA's key-encryption key: generated once, readable only by this user.
if [ -z "${WARDEN_CA_KEK:-}" ] && [ -z "${WARDEN_CA_KEK_FILE:-}" ]; then
  if [ ! -f "$DATA/ca-kek" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 > "$DATA/ca-kek")
  fi
  export WARDEN_CA_KEK_FILE="$DATA/ca-kek"
fi
# The audit search index lives beside the database it indexes (rebuilt from the log if lost).
: "${WARDEN_AUDIT_INDEX_DIR:=$DATA/audit-index}"
export WARDEN_AUDIT_INDEX_DIR
BIN="$ROOT/target/debug"

# Creates the first admin on an empty database and prints the credential, once.
CREDENTIAL="$(RUST_LOG=warn "$BIN/warden" bootstrap-admin)"

"$BIN/warden" serve &
PIDS+=("$!")
wait_ready "http://$WARDEN_LISTEN/readyz" 60 "${PIDS[-1]}" || die "the control plane did not become ready"

enforcer_port="$(free_port)"
enforcer_agent_port=8444
port_is_free "$enforcer_agent_port" || enforcer_agent_port="$(free_port)"
# The enforcer trusts bundles signed by this control plane's policy key (unless given).
: "${WARDEN_POLICY_KEYS:=$(policy_key "http://$WARDEN_LISTEN")}"
export WARDEN_POLICY_KEYS
WARDEN_ENFORCER_LISTEN="127.0.0.1:$enforcer_port" WARDEN_ENFORCER_AGENT_LISTEN="127.0.0.1:$enforcer_agent_port" \
  "$BIN/warden-enforcer" serve &
PIDS+=("$!")
wait_ready "http://127.0.0.1:$enforcer_port/readyz" 30 "${PIDS[-1]}" || die "the enforcer did not become ready"

cat <<TXT

  Warden is running.
    Console:   http://$WARDEN_LISTEN/
    API:       http://$WARDEN_LISTEN/api/v1/openapi.json
    Agents:    https://$WARDEN_AGENT_LISTEN/ (mTLS: SVID renewal)
    Enforcer:  https://127.0.0.1:$enforcer_agent_port/ (agents, mTLS), http://127.0.0.1:$enforcer_port/metrics
$(printf '%s\n' "$CREDENTIAL" | sed 's/^/    /')

  Press Ctrl-C to stop.
TXT
wait -n "${PIDS[@]}" || true
log "a component exited"
