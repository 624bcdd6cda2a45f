#!/usr/bin/env bash
# Benchmarks of the inline AI firewall against the real stack: a private Postgres and NATS, the
# control plane, one agent enrolled with warden-agent, a published grant, a release-built
# enforcer in front of the stand-in upstream (`warden-enforcer bench upstream`), then:
#   1. the engine in process (1 KB and 8 KB),
#   2. the proxy's added latency vs calling the upstream directly, at RATE requests/s,
#   3. the NATS check round trip at NATS_RATE requests/s,
# with the enforcer's resident set sampled during 2 and 3. Figures go to BENCHMARKS.md.
#
#   bash scripts/bench-firewall.sh                      # defaults below
#   DURATION=600 DIRECT=0 bash scripts/bench-firewall.sh   # the 10-minute memory run (proxy only)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
RATE="${RATE:-1000}"
DURATION="${DURATION:-30}"
NATS_RATE="${NATS_RATE:-5000}"
NATS_DURATION="${NATS_DURATION:-10}"
TEXT_BYTES="${TEXT_BYTES:-1024}"

ensure_services_installed
log "building (enforcer in release)"
cargo build --quiet --bins
cargo build --quiet --release -p warden-enforcer
BIN="$ROOT/target/debug"
ENFORCER="$ROOT/target/release/warden-enforcer"

RUN="$ROOT/.data/bench"
rm -rf "$RUN"
mkdir -p "$RUN"
PG_DIR="$(pg_data_dir "$RUN/pg")"
rm -rf "$PG_DIR"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[i]}" 2>/dev/null || true
    wait "${PIDS[i]}" 2>/dev/null || true
  done
  stop_postgres "$PG_DIR"
}
trap cleanup EXIT INT TERM

pg_port="$(free_port)"
PG_FSYNC=off start_postgres "$PG_DIR" "$pg_port"
nats_port="$(free_port)"
start_nats "$RUN/nats" "$nats_port"
PIDS+=("$NATS_PID")
export DATABASE_URL="postgres://warden@127.0.0.1:$pg_port/warden"
export NATS_URL="nats://127.0.0.1:$nats_port"
export WARDEN_TRUST_DOMAIN="bench.warden.local"
(umask 077 && head -c 32 /dev/urandom | base64 > "$RUN/ca-kek")
export WARDEN_CA_KEK_FILE="$RUN/ca-kek"
console="127.0.0.1:$(free_port)"
password="$(RUST_LOG=warn "$BIN/warden" bootstrap-admin | awk '/password:/ { print $2 }')"
WARDEN_LISTEN="$console" WARDEN_AGENT_LISTEN="127.0.0.1:$(free_port)" RUST_LOG=warn \
  "$BIN/warden" serve 2>"$RUN/warden.log" &
PIDS+=("$!")
wait_ready "http://$console/readyz" 60 "${PIDS[-1]}" || die "the control plane did not start"

# Sign in, register the agent, publish a grant, enrol.
api() {
  local method="$1" path="$2" body="${3:-}"
  curl -fsS -X "$method" -b "$RUN/cookies" -c "$RUN/cookies" -H "x-csrf-token: ${CSRF:-}" \
    -H 'content-type: application/json' ${body:+--data "$body"} "http://$console/api/v1$path"
}
CSRF="$(api POST /auth/login "{\"username\":\"admin\",\"password\":\"$password\"}" | jq -r .csrf_token)"
agent="$(api POST /agents '{"name":"bench-bot","owner_team":"Platform","purpose":"Benchmarks","environment":"production","labels":{"team":"bench"}}' | jq -r .id)"
api PUT /policy/grants/bench-llm '{"id":"bench-llm","effect":"allow","subject":{"labels":{"team":"bench"}},"actions":["llm_call"],"models":["bench-*"],"data_classes":["network","financial"],"obligations":{"mask_requests":["pii"],"mask_responses":["secret"]}}' >/dev/null
api POST /policy/versions '{"note":"benchmark"}' >/dev/null
token="$(api POST "/agents/$agent/join-tokens" '{}' | jq -r .token)"
RUST_LOG=warn "$BIN/warden-agent" enroll --server "http://$console" --token "$token" --dir "$RUN/agent" >/dev/null

upstream_port="$(free_port)"
"$ENFORCER" bench upstream --listen "127.0.0.1:$upstream_port" 2>"$RUN/upstream.log" &
PIDS+=("$!")
cat > "$RUN/upstreams.json" <<JSON
{"upstreams": [{"name": "stand-in", "base_url": "http://127.0.0.1:$upstream_port/v1", "models": ["bench-*"]}]}
JSON
health="127.0.0.1:$(free_port)"
agent_listen="127.0.0.1:$(free_port)"
WARDEN_POLICY_KEYS="$(policy_key "http://$console")" WARDEN_UPSTREAMS="$RUN/upstreams.json" \
  WARDEN_ENFORCER_LISTEN="$health" WARDEN_ENFORCER_AGENT_LISTEN="$agent_listen" RUST_LOG=warn \
  "$ENFORCER" serve 2>"$RUN/enforcer.log" &
ENFORCER_PID="$!"
PIDS+=("$ENFORCER_PID")
wait_ready "http://$health/readyz" 60 "$ENFORCER_PID" || die "the enforcer did not start"

log "1. engine in process (one core)"
"$ENFORCER" bench engine --sizes 1024,8192 --iterations 20000

log "2. proxy vs direct, $RATE req/s for ${DURATION}s each, ${TEXT_BYTES} B user message"
# Wait until the policy reached the enforcer: a call goes through.
for _ in $(seq 1 50); do
  curl -fsS --cacert "$RUN/agent/bundle.pem" --cert "$RUN/agent/svid.pem" --key "$RUN/agent/key.pem" \
    -H 'content-type: application/json' --data '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}' \
    "https://$agent_listen/v1/chat/completions" >/dev/null 2>&1 && break
  sleep 0.2
done
direct=(--direct-url "http://127.0.0.1:$upstream_port/v1")
[ "${DIRECT:-1}" = 0 ] && direct=()
"$ENFORCER" bench proxy --url "https://$agent_listen/v1" "${direct[@]}" \
  --cert "$RUN/agent/svid.pem" --key "$RUN/agent/key.pem" --ca "$RUN/agent/bundle.pem" \
  --rate "$RATE" --duration "$DURATION" --text-bytes "$TEXT_BYTES" --enforcer-pid "$ENFORCER_PID"

curl -fsS "http://$health/metrics" | grep -E '^warden_enforcer_events_(published|dropped)_total' || true

log "3. NATS check round trip, $NATS_RATE req/s for ${NATS_DURATION}s"
"$ENFORCER" bench nats --trust-domain "$WARDEN_TRUST_DOMAIN" --agent "$agent" \
  --rate "$NATS_RATE" --duration "$NATS_DURATION" --enforcer-pid "$ENFORCER_PID"
"$ENFORCER" bench nats --trust-domain "$WARDEN_TRUST_DOMAIN" --agent "$agent" \
  --rate "$NATS_RATE" --duration "$NATS_DURATION" --text-bytes 1024 --enforcer-pid "$ENFORCER_PID"
curl -fsS "http://$health/metrics" | grep -E '^warden_enforcer_events_(published|dropped)_total' || true
