#!/usr/bin/env bash
# Conformance harness: run a real Label Studio server on loopback, drive every
# webhook-emitting REST call, and capture the webhook bodies it sends into
# testdata/labelstudio-<version>/.
#
# Usage: conformance/run.sh
# Environment:
#   LSWEBHOOK_VENV      virtualenv to (re)use   (default ~/.cache/lswebhook/ls-venv)
#   LSWEBHOOK_PYTHON    interpreter for the venv (default python3.11 or python3)
#   LSWEBHOOK_OUT       output dir (default <repo>/testdata/labelstudio-<version>)
#   LSWEBHOOK_KEEP_TMP  1 = keep the temp dir (server log, raw records) for debugging
#   LSWEBHOOK_START_TIMEOUT  seconds to wait for /health/ (default 600)
set -euo pipefail

LS_VERSION=1.23.2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${LSWEBHOOK_VENV:-$HOME/.cache/lswebhook/ls-venv}"
OUT="${LSWEBHOOK_OUT:-$REPO/testdata/labelstudio-$LS_VERSION}"
START_TIMEOUT="${LSWEBHOOK_START_TIMEOUT:-600}"
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
    reason="$(tr '\n' ' ' </tmp/lswebhook-pypi-check.$$ | head -c 200)"
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
  if [[ $rc -ne 0 && -f "$RUN/ls.log" ]]; then
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
mkdir -p "$OUT"
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
  --server-log "$RUN/ls.log"
log "drive: done in $(elapsed "$T0") s; captures in $OUT"
