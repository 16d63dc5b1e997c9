#!/usr/bin/env bash
# Conformance harness: run a real Label Studio server on loopback, drive every
# webhook-emitting REST call, capture the webhook bodies it sends, and check
# them with the Go library: every body must decode and validate, and match
# what the driver did (TestConformance with LSWEBHOOK_CAPTURE_DIR).
#
# Usage: bash conformance/run.sh          (from anywhere; needs go, curl, python3)
# Exit status: 0 when everything passed, or when PyPI cannot be reached to
# install Label Studio (one "conformance: SKIP:" line); non-zero otherwise.
# Environment:
#   LSWEBHOOK_VENV      virtualenv to (re)use   (default ~/.cache/lswebhook/ls-venv)
#   LSWEBHOOK_PYTHON    interpreter for the venv (default python3.11 or python3)
#   LSWEBHOOK_OUT       capture dir (default: a temporary dir, removed at the end).
#                       LSWEBHOOK_OUT=testdata/labelstudio-1.23.2 refreshes the
#                       committed capture (every NNN-*.json and manifest.json).
#   LSWEBHOOK_KEEP_TMP  1 = keep the temp dir (server log, raw records) for debugging
#   LSWEBHOOK_START_TIMEOUT  seconds to wait for /health/ (default 300)
set -euo pipefail

LS_VERSION=1.23.2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${LSWEBHOOK_VENV:-$HOME/.cache/lswebhook/ls-venv}"
OUT="${LSWEBHOOK_OUT:-}"
START_TIMEOUT="${LSWEBHOOK_START_TIMEOUT:-300}"
if [[ -n "${LSWEBHOOK_PYTHON:-}" ]]; then
  PY="$LSWEBHOOK_PYTHON"
elif command -v python3.11 >/dev/null 2>&1; then
  PY=python3.11
else
  PY=python3
fi

log() { printf 'conformance: %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

T_ALL=$(now)

for tool in go curl "$PY"; do
  command -v "$tool" >/dev/null 2>&1 || { log "FAIL: $tool not found (go, curl and python3 are required)"; exit 1; }
done

# ---------------------------------------------------------------- install ----
T0=$(now)
installed_version() {
  [[ -x "$VENV/bin/python" ]] || return 1
  "$VENV/bin/python" - <<'EOF' 2>/dev/null
from importlib.metadata import version
print(version("label-studio"))
EOF
}
if [[ "$(installed_version || true)" == "$LS_VERSION" ]]; then
  log "install: reusing $VENV (label-studio $LS_VERSION already installed)"
else
  if ! curl -fsS -m 10 -o /dev/null https://pypi.org/simple/label-studio/ 2>/tmp/lswebhook-pypi-check.$$; then
    reason="$(tr '\n' ' ' </tmp/lswebhook-pypi-check.$$ | head -c 200 | sed 's/ *$//')"
    rm -f /tmp/lswebhook-pypi-check.$$
    echo "conformance: SKIP: PyPI unreachable (${reason:-curl https://pypi.org/simple/label-studio/ failed})"
    exit 0
  fi
  rm -f /tmp/lswebhook-pypi-check.$$
  log "install: creating $VENV with $PY and installing label-studio==$LS_VERSION"
  mkdir -p "$(dirname "$VENV")"
  [[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "label-studio==$LS_VERSION"
fi
LS_PKG="$("$VENV/bin/python" -c 'import label_studio, os; print(os.path.dirname(label_studio.__file__))')"
log "install: done in $(elapsed "$T0") s (package at $LS_PKG)"

# ------------------------------------------------------------- processes ----
RUN="$(mktemp -d "${TMPDIR:-/tmp}/lswebhook-conformance.XXXXXX")"
if [[ -z "$OUT" ]]; then
  OUT="$RUN/capture"
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
REC_PID=""
LS_PID=""
stop_pid() {
  local pid="$1" name="$2"
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) did not stop, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  local rc=$?
  stop_pid "$LS_PID" "label-studio"
  stop_pid "$REC_PID" "recorder"
  if [[ $rc -ne 0 && -z "${CHECKING:-}" && -f "$RUN/ls.log" ]]; then
    log "--- last 60 lines of the Label Studio log ---"
    tail -n 60 "$RUN/ls.log" || true
  fi
  if [[ "${LSWEBHOOK_KEEP_TMP:-0}" == "1" ]]; then
    log "keeping $RUN"
  else
    rm -rf "$RUN"
  fi
  log "total elapsed $(elapsed "$T_ALL") s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
REC_PORT=$(free_port)
LS_PORT=$(free_port)
while [[ "$LS_PORT" == "$REC_PORT" ]]; do LS_PORT=$(free_port); done

"$PY" "$HERE/recorder.py" --port "$REC_PORT" --dir "$RUN/records" >"$RUN/recorder.log" 2>&1 &
REC_PID=$!
for _ in $(seq 1 50); do
  curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$REC_PORT/health" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$REC_PORT/health" || { log "recorder did not start"; cat "$RUN/recorder.log"; exit 1; }
log "recorder: pid $REC_PID on http://127.0.0.1:$REC_PORT"

# ---------------------------------------------------------------- server ----
ADMIN_USER=admin@example.com
ADMIN_PASSWORD=conformance-password-123
TOKEN="lswebhookconformance$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"   # [A-Za-z0-9], 36 chars
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
  WEBHOOK_TIMEOUT=5
  PYTHONUNBUFFERED=1
)
T0=$(now)
env "${LS_ENV[@]}" "$VENV/bin/label-studio" start --no-browser \
  --internal-host 127.0.0.1 --port "$LS_PORT" \
  --data-dir "$RUN/ls-data" \
  --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" \
  --user-token "$TOKEN" --enable-legacy-api-token \
  --log-level INFO >"$RUN/ls.log" 2>&1 &
LS_PID=$!
log "server: pid $LS_PID starting on http://127.0.0.1:$LS_PORT (data dir $RUN/ls-data)"
deadline=$(( $(date +%s) + START_TIMEOUT ))
until curl -fsS -m 5 -o "$RUN/health.json" "http://127.0.0.1:$LS_PORT/health/" 2>/dev/null; do
  if ! kill -0 "$LS_PID" 2>/dev/null; then log "server exited during start"; exit 1; fi
  if grep -q "is in use" "$RUN/ls.log" 2>/dev/null; then log "server port shifted (port $LS_PORT in use)"; exit 1; fi
  if (( $(date +%s) > deadline )); then log "server not healthy after ${START_TIMEOUT}s"; exit 1; fi
  sleep 1
done
log "server: /health/ -> $(cat "$RUN/health.json"); start took $(elapsed "$T0") s (fresh DB, full migration)"

# ----------------------------------------------------------------- drive ----
T0=$(now)
DRIVE_RC=0
"$VENV/bin/python" "$HERE/driver.py" \
  --ls-url "http://127.0.0.1:$LS_PORT" \
  --token "$TOKEN" \
  --recorder-url "http://127.0.0.1:$REC_PORT" \
  --record-dir "$RUN/records" \
  --out "$OUT" \
  --ls-version "$LS_VERSION" \
  --ls-package "$LS_PKG" \
  --venv-python "$VENV/bin/python" \
  --data-dir "$RUN/ls-data" \
  --server-log "$RUN/ls.log" || DRIVE_RC=$?
log "drive: done in $(elapsed "$T0") s (driver exit $DRIVE_RC); captures in $OUT"

# Label Studio delivers webhooks inside the triggering request: once the
# driver is done, nothing more arrives. Stop both processes now.
stop_pid "$LS_PID" "label-studio"; LS_PID=""
stop_pid "$REC_PID" "recorder"; REC_PID=""

# ----------------------------------------------------------------- check ----
# The Go library is the judge: every captured body must decode and validate,
# and match what the driver did (ids, counts, hooks, actions expected).
T0=$(now)
CHECKING=1
FAILED=()
[[ $DRIVE_RC -eq 0 ]] || FAILED+=("driver (exit $DRIVE_RC: missing actions or harness error, see above)")
if [[ ! -f "$OUT/manifest.json" ]]; then
  log "FAIL: the driver wrote no $OUT/manifest.json"
  exit 1
fi
leaks="$(grep -rlF -e "$TOKEN" -e "$ADMIN_PASSWORD" "$OUT" || true)"
if [[ -n "$leaks" ]]; then
  FAILED+=("the admin token or password leaked into: $(echo $leaks)")
fi
if (cd "$REPO" && go run ./examples/decodeall "$OUT") >"$RUN/decodeall.log" 2>&1; then
  log "decode: $(tail -n 1 "$RUN/decodeall.log") (go run ./examples/decodeall)"
else
  grep -A 20 -e 'refused' -e 'decodeall:' -e 'expected this payload' "$RUN/decodeall.log" | head -n 80 || true
  log "decode: $(tail -n 1 "$RUN/decodeall.log")"
  FAILED+=("go run ./examples/decodeall (a captured body was refused)")
fi
if (cd "$REPO" && LSWEBHOOK_CAPTURE_DIR="$OUT" go test -count=1 -run '^TestConformance$' .) >"$RUN/gotest.log" 2>&1; then
  log "check: $(tail -n 1 "$RUN/gotest.log") (LSWEBHOOK_CAPTURE_DIR=<capture> go test -run '^TestConformance$')"
else
  head -n 150 "$RUN/gotest.log"
  FAILED+=("TestConformance on the fresh capture")
fi
log "check: done in $(elapsed "$T0") s"
if [[ ${#FAILED[@]} -gt 0 ]]; then
  for f in "${FAILED[@]}"; do log "FAIL: $f"; done
  exit 1
fi
log "PASS: $(ls "$OUT" | grep -c '^[0-9][0-9][0-9]-.*\.json$') webhook bodies captured from label-studio $LS_VERSION, all decoded and checked"
