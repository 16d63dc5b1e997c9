# Start and stop a Label Studio server on loopback; sourced by run.sh and
# serve.sh after releases.sh, and by lsapi/live.sh. Needs: REL, VENV, PY (any
# python3), RUN (a scratch dir). Sets LS_PKG, LS_PORT, LS_PID, LS_URL, TOKEN,
# ADMIN_USER, ADMIN_PASSWORD, LS_START_SECONDS, LS_NOTES (array of facts
# worth recording).
#
# The caller may set, after sourcing (defaults are the conformance run's):
#   LS_LOG_PREFIX       prefix of the log lines (conformance)
#   LS_START_TIMEOUT    seconds until /health/ must answer ($LSWEBHOOK_START_TIMEOUT or 420)
#   LS_LOG_LEVEL        the server's --log-level (INFO)
#   LS_WEBHOOK_TIMEOUT  the server's WEBHOOK_TIMEOUT in seconds (5)
#   LS_APP_WEBSERVER    APP_WEBSERVER; uwsgi skips the version check before 1.23; empty leaves it unset (uwsgi)
#   LS_TOKEN_PREFIX     letters the generated token starts with (lswebhookconformance)
#   LS_FIX_TOKENS       1 switches legacy API tokens on through the ORM when the server refuses the token; 0 fails instead (1)
#   ADMIN_PASSWORD      the admin user's password
# shellcheck shell=bash

LS_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ADMIN_USER=admin@example.com
ADMIN_PASSWORD=conformance-password-123
LS_PID=""
LS_NOTES=()
LS_LOG_PREFIX=conformance
LS_START_TIMEOUT="${LSWEBHOOK_START_TIMEOUT:-420}"
LS_LOG_LEVEL=INFO
LS_WEBHOOK_TIMEOUT=5
LS_APP_WEBSERVER=uwsgi
LS_TOKEN_PREFIX=lswebhookconformance
LS_FIX_TOKENS=1

ls_log() { printf '%s: %s\n' "$LS_LOG_PREFIX" "$*" >&2; }

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

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
      ls_log "$name (pid $pid) did not stop, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
}

# The environment the server (and the ORM helper) run with.
ls_env() {
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
    WEBHOOK_TIMEOUT="$LS_WEBHOOK_TIMEOUT"
    PYTHONUNBUFFERED=1
  )
  # Before 1.23, LATEST_VERSION_CHECK is hard-coded True and every process
  # that imports the package asks the package index for a newer release
  # (10 s timeout); APP_WEBSERVER=uwsgi is the only switch that skips it
  # (from 1.7 on; the setting is read nowhere else).
  if [[ -n "$LS_APP_WEBSERVER" ]]; then
    LS_ENV+=(APP_WEBSERVER="$LS_APP_WEBSERVER")
  fi
}

# ls_start: start the server in the background and wait for /health/.
ls_start() {
  LS_PKG="$("$VENV/bin/python" -c 'import label_studio, os; print(os.path.dirname(label_studio.__file__))')"
  TOKEN="$LS_TOKEN_PREFIX$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" # [A-Za-z0-9]
  LS_PORT=$(free_port)
  while [[ "$LS_PORT" == "${REC_PORT:-}" ]]; do LS_PORT=$(free_port); done
  LS_URL="http://127.0.0.1:$LS_PORT"
  mkdir -p "$RUN/ls-data"
  ls_env
  local extra=()
  # --enable-legacy-api-token exists from the release that introduced
  # personal access tokens on; older argument parsers refuse it.
  if grep -rqs -- '--enable-legacy-api-token' "$LS_PKG/core/argparser.py" "$LS_PKG/server.py"; then
    extra+=(--enable-legacy-api-token)
  fi
  local t0 deadline
  t0=$(date +%s)
  env "${LS_ENV[@]}" "$VENV/bin/label-studio" start --no-browser \
    --internal-host 127.0.0.1 --port "$LS_PORT" \
    --data-dir "$RUN/ls-data" \
    --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" \
    --user-token "$TOKEN" "${extra[@]}" \
    --log-level "$LS_LOG_LEVEL" >"$RUN/ls.log" 2>&1 &
  LS_PID=$!
  ls_log "server: label-studio $REL pid $LS_PID starting on $LS_URL (data dir $RUN/ls-data)"
  deadline=$(($(date +%s) + LS_START_TIMEOUT))
  until curl -fsS -m 5 -o "$RUN/health.json" "$LS_URL/health/" 2>/dev/null; do
    if ! kill -0 "$LS_PID" 2>/dev/null; then ls_log "server exited during start"; tail -n 40 "$RUN/ls.log" >&2; return 1; fi
    if grep -q "is in use" "$RUN/ls.log" 2>/dev/null; then ls_log "server port shifted (port $LS_PORT in use)"; return 1; fi
    if (($(date +%s) > deadline)); then ls_log "server not healthy after ${LS_START_TIMEOUT}s"; return 1; fi
    sleep 1
  done
  LS_START_SECONDS=$(($(date +%s) - t0))
  # Token authentication: some releases ship with legacy tokens switched off
  # for the organisation (a database setting, not an environment variable).
  local code
  code=$(curl -s -m 30 -o /dev/null -w '%{http_code}' -H "Authorization: Token $TOKEN" "$LS_URL/api/current-user/whoami")
  if [[ "$code" != 200 && "$LS_FIX_TOKENS" != 1 ]]; then
    ls_log "server: the legacy token is refused (whoami answered $code)"
    return 1
  fi
  if [[ "$code" != 200 ]]; then
    ls_log "server: token whoami answered $code; switching legacy API tokens on in the database"
    env "${LS_ENV[@]}" "$VENV/bin/python" "$LS_LIB_DIR/orm_helper.py" enable-legacy-tokens >"$RUN/orm-tokens.log" 2>&1 ||
      { cat "$RUN/orm-tokens.log" >&2; return 1; }
    LS_NOTES+=("legacy API tokens were disabled for the organisation after start (whoami HTTP $code); switched on through the ORM: $(tail -n 1 "$RUN/orm-tokens.log")")
    code=$(curl -s -m 30 -o /dev/null -w '%{http_code}' -H "Authorization: Token $TOKEN" "$LS_URL/api/current-user/whoami")
    [[ "$code" == 200 ]] || { ls_log "server: token whoami still answers $code"; return 1; }
  fi
  ls_log "server: /health/ -> $(cat "$RUN/health.json"); start took ${LS_START_SECONDS} s (fresh DB, full migration)"
}
