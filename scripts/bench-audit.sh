#!/usr/bin/env bash
# Benchmarks of the audit trail against the real stack: a private Postgres (fsync on) and NATS,
# the release-built control plane, then
#   1. append: EVENTS synthetic decision events published to JetStream as a fleet would
#      (`warden-enforcer bench events`), and the log's size sampled every second while the
#      control plane sequences, hashes and stores them and signs checkpoints: sustained events/s;
#   2. search: once the index holds them all, QUERIES searches of a realistic mix over the REST
#      API, p50/p95/p99/max, and the control plane's resident set (VmRSS, VmHWM).
# Figures go to BENCHMARKS.md.
#
#   bash scripts/bench-audit.sh                    # 1,000,000 events, 2,000 queries
#   EVENTS=100000 QUERIES=500 bash scripts/bench-audit.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
EVENTS="${EVENTS:-1000000}"
QUERIES="${QUERIES:-2000}"

ensure_services_installed
log "building (release)"
cargo build --quiet --release -p warden-server -p warden-enforcer
BIN="$ROOT/target/release"

RUN="$ROOT/.data/bench-audit"
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
start_postgres "$PG_DIR" "$pg_port"
nats_port="$(free_port)"
start_nats "$RUN/nats" "$nats_port"
PIDS+=("$NATS_PID")
export DATABASE_URL="postgres://warden@127.0.0.1:$pg_port/warden"
export NATS_URL="nats://127.0.0.1:$nats_port"
export WARDEN_TRUST_DOMAIN="bench.warden.local"
export WARDEN_AUDIT_INDEX_DIR="$RUN/audit-index"
(umask 077 && head -c 32 /dev/urandom | base64 > "$RUN/ca-kek")
export WARDEN_CA_KEK_FILE="$RUN/ca-kek"
console="127.0.0.1:$(free_port)"
password="$(RUST_LOG=warn "$BIN/warden" bootstrap-admin | awk '/password:/ { print $2 }')"
WARDEN_LISTEN="$console" WARDEN_AGENT_LISTEN="127.0.0.1:$(free_port)" RUST_LOG=warn \
  "$BIN/warden" serve 2>"$RUN/warden.log" &
WARDEN_PID="$!"
PIDS+=("$WARDEN_PID")
wait_ready "http://$console/readyz" 60 "$WARDEN_PID" || die "the control plane did not start"

psql_size() { "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U warden -d warden -tAc "SELECT size FROM audit_log_head"; }
start_size="$(psql_size)"
target=$((start_size + EVENTS))

log "1. append: publishing $EVENTS decision events"
"$BIN/warden-enforcer" bench events --count "$EVENTS" 2>"$RUN/publish.log" &
PUBLISHER="$!"
: >"$RUN/sizes"
while :; do
  size="$(psql_size)"
  printf '%s %s\n' "$(date +%s.%N)" "$size" >>"$RUN/sizes"
  [ "$size" -ge "$target" ] && break
  kill -0 "$WARDEN_PID" 2>/dev/null || die "the control plane stopped; see $RUN/warden.log"
  sleep 1
done
wait "$PUBLISHER" || true
cat "$RUN/publish.log"
python3 - "$RUN/sizes" "$start_size" <<'PY'
import sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
start = float(sys.argv[2])
moving = [(t, s) for t, s in rows if s > start]
first = next(i for i, (t, s) in enumerate(rows) if s > start)
t0, s0 = rows[max(first - 1, 0)]
t1, s1 = rows[-1]
rate = (s1 - s0) / (t1 - t0)
windows = [(rows[i + 10][1] - rows[i][1]) / (rows[i + 10][0] - rows[i][0]) for i in range(len(rows) - 10)]
print(f"appended {int(s1 - s0)} events in {t1 - t0:.1f} s: {rate:.0f} events/s sustained"
      + (f"; best 10 s window {max(windows):.0f}/s, worst {min(windows):.0f}/s" if windows else ""))
PY
checkpoints="$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U warden -d warden -tAc "SELECT count(*), max(size) FROM audit_checkpoints")"
log "checkpoints signed (count|largest size): $checkpoints"

log "2. search: waiting for the index to hold every event"
python3 - "http://$console" "$password" "$QUERIES" "$WARDEN_PID" <<'PY'
import json, random, sys, time, urllib.parse, urllib.request
base, password, queries, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
login = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"username": "admin", "password": password}).encode(),
                               headers={"content-type": "application/json"})
with urllib.request.urlopen(login) as response:
    cookie = response.headers["set-cookie"].split(";")[0]
def get(path):
    request = urllib.request.Request(base + path, headers={"cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    return body, time.perf_counter() - started
started = time.time()
while True:
    page, _ = get("/api/v1/audit/events?limit=1")
    if page["indexed"] >= page["log_size"]:
        break
    time.sleep(1)
print(f"index caught up: {page['indexed']} events searchable ({time.time() - started:.0f} s after the last append)")
agents = [facet["value"] for facet in page["facets"]["agent"]] or ["none"]
newest = page["events"][0]["time"]
rng = random.Random(7)
def mix():
    agent = urllib.parse.quote(rng.choice(agents))
    kind = rng.randrange(7)
    if kind == 0: return "newest page", "/api/v1/audit/events"
    if kind == 1: return "by agent", f"/api/v1/audit/events?agent={agent}"
    if kind == 2: return "agent + decision", f"/api/v1/audit/events?agent={agent}&decision=denied"
    if kind == 3: return "action + time range", f"/api/v1/audit/events?action=decision.llm_call&to={urllib.parse.quote(newest)}&from=2000-01-01T00:00:00Z"
    if kind == 4: return "text", "/api/v1/audit/events?q=" + rng.choice(["CREDIT_CARD", "granted", "claude", "IBAN"])
    if kind == 5: return "text + filter", f"/api/v1/audit/events?q=model&severity=high"
    return "deep page (offset 1000)", "/api/v1/audit/events?offset=1000"
latencies, by_kind = [], {}
for _ in range(queries):
    kind, path = mix()
    _, seconds = get(path + ("&" if "?" in path else "?") + "limit=50")
    latencies.append(seconds)
    by_kind.setdefault(kind, []).append(seconds)
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000
print(f"{queries} searches over {page['indexed']} events (limit 50, facets included), end to end over HTTP:")
print(f"  all: p50 {pct(latencies, .5):.1f} ms, p95 {pct(latencies, .95):.1f} ms, p99 {pct(latencies, .99):.1f} ms, max {max(latencies) * 1000:.1f} ms")
for kind, values in sorted(by_kind.items()):
    print(f"  {kind}: p50 {pct(values, .5):.1f} ms, p99 {pct(values, .99):.1f} ms ({len(values)})")
status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
print(f"control plane resident set: VmRSS {status['VmRSS'].strip()}, peak VmHWM {status['VmHWM'].strip()}")
PY
