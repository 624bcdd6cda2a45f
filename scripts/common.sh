# Shared by run.sh, test.sh and build-site.sh. Sourced, not executed.
# Installs what a fresh Debian/Ubuntu machine lacks and manages private Postgres and NATS.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
SITE_ROOT="$ROOT/target/site"
WASM_TARGET_DIR="$ROOT/target/front"
OUTPUT_NAME="warden"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=0

# apt_install PKG...: installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_services_installed() {
  [ -x "$PG_BIN/initdb" ] || apt_install postgresql-15
  [ -x "$PG_BIN/initdb" ] || die "Postgres 15 server binaries not found in $PG_BIN"
  command -v nats-server >/dev/null || apt_install nats-server
}

# The official OpenAI Python SDK in a private virtualenv under target/, for the proxy's
# compatibility test; exports WARDEN_TEST_PYTHON.
ensure_python_sdk() {
  local venv="$ROOT/target/pyenv" requirements="$ROOT/server/tests/python/requirements.txt"
  command -v python3 >/dev/null || apt_install python3
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
  fi
  if ! cmp -s "$requirements" "$venv/requirements.installed"; then
    log "installing the OpenAI Python SDK into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.installed"
  fi
  export WARDEN_TEST_PYTHON="$venv/bin/python"
}

# The wasm32 standard library: rustup's target where it can be downloaded, otherwise Debian's
# rustc-web with the std sources, built with -Zbuild-std (see shared TOOLCHAIN notes in README).
WASM_MODE=""
ensure_wasm_toolchain() {
  if [ "${WARDEN_WASM_TOOLCHAIN:-}" = build-std ]; then
    apt_install rustc-web rust-web-src
    WASM_MODE=build-std; return
  fi
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    WASM_MODE=rustup; return
  fi
  if command -v rustup >/dev/null && timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    WASM_MODE=rustup; return
  fi
  log "rustup cannot download the wasm32 target here; using Debian's rustc-web and building std from source"
  apt_install rustc-web rust-web-src
  [ -d /usr/lib/rustlib/src/rust/library ] || die "rust-web-src did not provide /usr/lib/rustlib/src/rust/library"
  WASM_MODE=build-std
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local version
  version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  [ -n "$version" ] || die "cannot find wasm-bindgen in Cargo.lock"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$version" ]; then
    return
  fi
  log "installing wasm-bindgen-cli $version (about 5 minutes on 2 cores, once)"
  cargo install --quiet wasm-bindgen-cli --version "$version" --locked 2>/dev/null \
    || cargo install --quiet wasm-bindgen-cli --version "$version"
}

# Builds the hydrate bundle and the stylesheet into target/site/pkg.
build_site() {
  ensure_wasm_toolchain
  ensure_wasm_bindgen
  log "building the console's wasm bundle ($WASM_MODE)"
  local profile="${WARDEN_WASM_PROFILE:-wasm-release}"
  if [ "$WASM_MODE" = rustup ]; then
    cargo build --quiet -p warden-app --lib --target wasm32-unknown-unknown --no-default-features \
      --features hydrate --profile "$profile" --target-dir "$WASM_TARGET_DIR"
  else
    local lld
    lld="$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
    [ -x "$lld" ] || die "rust-lld not found at $lld"
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$lld" \
      cargo build --quiet -p warden-app --lib --target wasm32-unknown-unknown --no-default-features \
      --features hydrate --profile "$profile" -Zbuild-std=std,panic_abort --target-dir "$WASM_TARGET_DIR"
  fi
  mkdir -p "$SITE_ROOT/pkg"
  wasm-bindgen --target web --out-dir "$SITE_ROOT/pkg" --out-name "$OUTPUT_NAME" --no-typescript \
    "$WASM_TARGET_DIR/wasm32-unknown-unknown/$profile/warden_app.wasm"
  cat "$ROOT"/style/*.css > "$SITE_ROOT/pkg/$OUTPUT_NAME.css"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_is_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.close()' "$1" 2>/dev/null
}

# Postgres refuses to run as root; when we are root, the cluster belongs to the `postgres` user.
ensure_postgres_user() {
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
}

as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_data_dir DIR: DIR itself, unless we are root and the `postgres` user cannot reach it (a
# checkout under a private home directory); then a stable directory under /var/lib/warden.
pg_data_dir() {
  local dir="$1"
  if [ "$(id -u)" -ne 0 ]; then echo "$dir"; return; fi
  ensure_postgres_user
  mkdir -p "$(dirname "$dir")"
  if runuser -u postgres -- test -x "$(dirname "$dir")"; then echo "$dir"; return; fi
  local fallback
  fallback="/var/lib/warden/pg-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
  log "the postgres user cannot reach $dir; keeping the cluster in $fallback" >&2
  echo "$fallback"
}

# start_postgres DIR PORT: a private cluster in DIR (created on first use), user `warden`, db `warden`.
start_postgres() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then ensure_postgres_user; chown -R postgres "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating a private Postgres cluster in $dir"
    as_pg_owner "$PG_BIN/initdb" -D "$dir" -A trust -U warden --encoding=UTF8 --no-locale >/dev/null
  fi
  as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-k /tmp -p $port -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "Postgres did not start"; }
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U warden -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='warden'" | grep -q 1; then
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U warden -d postgres -qc "CREATE DATABASE warden" >/dev/null
  fi
}

stop_postgres() {
  local dir="$1"
  [ -f "$dir/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# start_nats DIR PORT: JetStream-enabled nats-server storing under DIR; sets NATS_PID.
NATS_PID=""
start_nats() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  nats-server -a 127.0.0.1 -p "$port" -js -sd "$dir" -l "$dir/nats.log" &
  NATS_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$NATS_PID" 2>/dev/null || { tail -n 20 "$dir/nats.log" >&2; die "nats-server exited"; }
    sleep 0.1
  done
  die "nats-server did not start on port $port"
}

# wait_ready URL SECONDS PID: polls URL until it answers 200, failing early if PID exits.
wait_ready() {
  local url="$1" seconds="$2" pid="$3"
  for _ in $(seq 1 $((seconds * 10))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# policy_key URL: the control plane's policy signing key (base64), for WARDEN_POLICY_KEYS.
policy_key() {
  curl -fsS "$1/api/v1/policy/signing-key" | sed -n 's/.*"public_key":"\([^"]*\)".*/\1/p'
}
