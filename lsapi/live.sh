#!/usr/bin/env bash
# Live test of package lsapi against a real Label Studio 1.23.2 on loopback:
# provision a hook, take the receiver down, change tasks and annotations,
# bring it back, and check that catch-up delivers every change exactly once
# (go test -run '^TestLive' ./lsapi with LSAPI_LIVE_URL and LSAPI_LIVE_TOKEN).
#
# Usage: bash lsapi/live.sh      (from anywhere; needs go, curl, flock, pyenv)
# Exit status: 0 when the tests passed, or when PyPI cannot be reached to
# install Label Studio (one "lsapi live: SKIP:" line); non-zero otherwise.
# Environment:
#   LSWEBHOOK_VENV       virtualenv to (re)use (default ~/.cache/lswebhook/venv-1.23.2);
#                        created under flock on "$LSWEBHOOK_VENV.lock" only if missing
#   LSWEBHOOK_PYTHON     interpreter for a new venv (default: pyenv's 3.11.7)
#   LSAPI_LIVE_10K       1 (default) also catches up a project of 10,000 tasks; 0 skips it
#   LSAPI_LIVE_KEEP_TMP  1 keeps the temporary directory (server log, data)
set -euo pipefail

LS_VERSION=1.23.2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${LSWEBHOOK_VENV:-$HOME/.cache/lswebhook/venv-$LS_VERSION}"
INSTALL_TIMEOUT=1200   # seconds, for pip (the lock wait included)
START_TIMEOUT=300      # seconds until /health/ answers
TEST_TIMEOUT=20m       # go test -timeout

log() { printf 'lsapi live: %s\n' "$*"; }
fail() { log "FAIL: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_ALL=$(now)

for tool in go curl flock timeout; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"
done

# ---------------------------------------------------------------- install ----
installed() {
  [[ -x "$VENV/bin/label-studio" ]] && "$VENV/bin/python" - <<'PY' 2>/dev/null
from importlib.metadata import version
import sys
sys.exit(0 if version("label-studio") == "1.23.2" else 1)
PY
}
T0=$(now)
if installed; then
  log "install: reusing $VENV (label-studio $LS_VERSION)"
else
  if ! curl -fsS -m 10 -o /dev/null https://pypi.org/simple/label-studio/ 2>/dev/null; then
    echo "lsapi live: SKIP: PyPI unreachable (curl https://pypi.org/simple/label-studio/ failed), label-studio $LS_VERSION not installed in $VENV"
    exit 0
  fi
  if [[ -n "${LSWEBHOOK_PYTHON:-}" ]]; then
    PY="$LSWEBHOOK_PYTHON"
  else
    command -v pyenv >/dev/null 2>&1 || fail "pyenv not found (set LSWEBHOOK_PYTHON to a Python 3.11)"
    PY="$(pyenv root)/versions/3.11.7/bin/python"
  fi
  [[ -x "$PY" ]] || fail "$PY not found (pyenv install 3.11.7, or set LSWEBHOOK_PYTHON)"
  mkdir -p "$(dirname "$VENV")"
  log "install: label-studio==$LS_VERSION into $VENV with $PY (under flock $VENV.lock)"
  timeout "$INSTALL_TIMEOUT" flock -w "$INSTALL_TIMEOUT" "$VENV.lock" bash -c '
    set -euo pipefail
    VENV="$1"; PY="$2"; V="$3"
    if [[ -x "$VENV/bin/label-studio" ]] && "$VENV/bin/python" -c "from importlib.metadata import version; import sys; sys.exit(version(\"label-studio\") != \"$V\")" 2>/dev/null; then
      exit 0   # another process installed it while we waited
    fi
    [[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "label-studio==$V"
  ' _ "$VENV" "$PY" "$LS_VERSION" || fail "installing label-studio==$LS_VERSION failed or timed out"
  installed || fail "label-studio $LS_VERSION is still not installed in $VENV"
fi
log "install: done in $(elapsed "$T0") s"

# ----------------------------------------------------------------- server ----
RUN="$(mktemp -d "${TMPDIR:-/tmp}/lsapi-live.XXXXXX")"
LS_PID=""
stop_server() {
  [[ -n "$LS_PID" ]] || return 0
  if kill -0 "$LS_PID" 2>/dev/null; then
    kill -TERM "$LS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$LS_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$LS_PID" 2>/dev/null && { log "server (pid $LS_PID) did not stop, sending KILL"; kill -KILL "$LS_PID" 2>/dev/null || true; }
    wait "$LS_PID" 2>/dev/null || true
  fi
  LS_PID=""
}
cleanup() {
  local rc=$?
  stop_server
  if [[ $rc -ne 0 && -f "$RUN/ls.log" ]]; then
    log "--- last 40 lines of the Label Studio log ---"
    tail -n 40 "$RUN/ls.log" || true
  fi
  if [[ "${LSAPI_LIVE_KEEP_TMP:-0}" == "1" ]]; then log "keeping $RUN"; else rm -rf "$RUN"; fi
  log "total $(elapsed "$T_ALL") s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
ADMIN_USER=admin@example.com
ADMIN_PASSWORD="lsapi-live-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
TOKEN="lsapilive$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"   # [A-Za-z0-9], 33 chars
mkdir -p "$RUN/ls-data"
LS_ENV=(
  -u USERNAME -u PASSWORD -u PORT -u HOST -u LABEL_STUDIO_HOST -u DATABASE_NAME
  -u LABEL_STUDIO_DATABASE_NAME -u BASE_DATA_DIR -u DJANGO_SETTINGS_MODULE
  LABEL_STUDIO_BASE_DATA_DIR="$RUN/ls-data"
  DJANGO_DB=sqlite
  LABEL_STUDIO_USERNAME="$ADMIN_USER"
  LABEL_STUDIO_PASSWORD="$ADMIN_PASSWORD"
  LABEL_STUDIO_USER_TOKEN="$TOKEN"
  LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true
  SSRF_PROTECTION_ENABLED=false
  LABEL_STUDIO_SSRF_PROTECTION_ENABLED=false
  ML_BLOCK_LOCAL_IP=false
  LABEL_STUDIO_ML_BLOCK_LOCAL_IP=false
  LABEL_STUDIO_LATEST_VERSION_CHECK=false
  LATEST_VERSION_CHECK=false
  LABEL_STUDIO_COLLECT_ANALYTICS=false
  COLLECT_ANALYTICS=false
  collect_analytics=false
  SENTRY_DSN=
  FRONTEND_SENTRY_DSN=
  LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=true
  WEBHOOK_TIMEOUT=2
  PYTHONUNBUFFERED=1
)
T0=$(now)
env "${LS_ENV[@]}" "$VENV/bin/label-studio" start --no-browser \
  --internal-host 127.0.0.1 --port "$PORT" --data-dir "$RUN/ls-data" \
  --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" \
  --user-token "$TOKEN" --enable-legacy-api-token \
  --log-level WARNING >"$RUN/ls.log" 2>&1 &
LS_PID=$!
log "server: pid $LS_PID starting on http://127.0.0.1:$PORT"
deadline=$(( $(date +%s) + START_TIMEOUT ))
until curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$PORT/health/" 2>/dev/null; do
  kill -0 "$LS_PID" 2>/dev/null || fail "server exited during start"
  grep -q "is in use" "$RUN/ls.log" 2>/dev/null && fail "server port $PORT in use"
  (( $(date +%s) <= deadline )) || fail "server not healthy after ${START_TIMEOUT}s"
  sleep 1
done
curl -fsS -m 10 -o /dev/null -H "Authorization: Token $TOKEN" "http://127.0.0.1:$PORT/api/current-user/whoami" \
  || fail "the legacy token is refused (whoami)"
log "server: healthy after $(elapsed "$T0") s"

# ------------------------------------------------------------------ tests ----
T0=$(now)
cd "$REPO"
LSAPI_LIVE_URL="http://127.0.0.1:$PORT" LSAPI_LIVE_TOKEN="$TOKEN" LSAPI_LIVE_10K="${LSAPI_LIVE_10K:-1}" \
  go test -count=1 -timeout "$TEST_TIMEOUT" -run '^TestLive' -v ./lsapi >"$RUN/gotest.log" 2>&1 || {
    cat "$RUN/gotest.log"
    fail "go test -run '^TestLive' ./lsapi (see above)"
  }
grep -E '^(lsapi live|=== RUN|--- (PASS|FAIL|SKIP)|    live_)' "$RUN/gotest.log" || true
skips="$(grep -- '--- SKIP' "$RUN/gotest.log" || true)"
[[ "${LSAPI_LIVE_10K:-1}" == "1" ]] || skips="$(grep -v TestLiveCatchUp10k <<<"$skips" || true)"
if [[ -n "$skips" ]]; then
  fail "a live test skipped although the server is up"
fi
log "tests: done in $(elapsed "$T0") s"

# ---------------------------------------------------------------- command ----
# The command against the same server: list the hooks the scenario left, and
# catch up its project twice with a state file (the second run finds nothing).
T0=$(now)
go build -o "$RUN/lswebhook" ./cmd/lswebhook
export LABEL_STUDIO_URL="http://127.0.0.1:$PORT" LABEL_STUDIO_API_KEY="$TOKEN"
PROJECT="$(curl -fsS -m 10 -H "Authorization: Token $TOKEN" "$LABEL_STUDIO_URL/api/projects/?page_size=100" \
  | "$VENV/bin/python" -c 'import json,sys; print(min(p["id"] for p in json.load(sys.stdin)["results"] if p["title"].startswith("lsapi live ")))')" \
  || fail "no project of the scenario found"
timeout 60 "$RUN/lswebhook" hooks list --project "$PROJECT" >"$RUN/hooks.txt" 2>&1 || { cat "$RUN/hooks.txt"; fail "lswebhook hooks list"; }
grep -q ' active payload=true actions \[' "$RUN/hooks.txt" || { cat "$RUN/hooks.txt"; fail "hooks list shows no active hook with actions"; }
grep -q -e main-secret -e shadow-secret "$RUN/hooks.txt" && { cat "$RUN/hooks.txt"; fail "hooks list printed a header value"; }
timeout 120 "$RUN/lswebhook" catchup --project "$PROJECT" --state "$RUN/state.json" >"$RUN/catchup1.jsonl" 2>"$RUN/catchup1.err" \
  || { cat "$RUN/catchup1.err"; fail "lswebhook catchup (first run)"; }
timeout 120 "$RUN/lswebhook" catchup --project "$PROJECT" --state "$RUN/state.json" >"$RUN/catchup2.jsonl" 2>"$RUN/catchup2.err" \
  || { cat "$RUN/catchup2.err"; fail "lswebhook catchup (second run)"; }
[[ -s "$RUN/catchup1.jsonl" && ! -s "$RUN/catchup2.jsonl" ]] \
  || fail "catchup printed $(wc -l <"$RUN/catchup1.jsonl") then $(wc -l <"$RUN/catchup2.jsonl") lines; want some, then none"
log "command: hooks list: $(wc -l <"$RUN/hooks.txt") hooks on project $PROJECT; catchup: $(wc -l <"$RUN/catchup1.jsonl") changes, then $(wc -l <"$RUN/catchup2.jsonl") with the stored watermark ($(elapsed "$T0") s)"
log "command: $(tail -n 1 "$RUN/catchup1.err")"
log "PASS against label-studio $LS_VERSION"
