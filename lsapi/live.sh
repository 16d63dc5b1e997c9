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
  if [[ -n "${LSWEBHOOK_PYTHON:-}" ]]; then
    PY="$LSWEBHOOK_PYTHON"
  else
    command -v pyenv >/dev/null 2>&1 || fail "pyenv not found (set LSWEBHOOK_PYTHON to a Python 3.11)"
    PY="$(pyenv root)/versions/3.11.7/bin/python"
  fi
  [[ -x "$PY" ]] || fail "$PY not found (pyenv install 3.11.7, or set LSWEBHOOK_PYTHON)"
  # Ask pip's configured index (so a mirror set in PIP_INDEX_URL counts too).
  if ! timeout 90 "$PY" -m pip index --retries 1 --timeout 15 versions label-studio >/dev/null 2>&1; then
    echo "lsapi live: SKIP: PyPI unreachable (pip index versions label-studio failed), label-studio $LS_VERSION not installed in $VENV"
    exit 0
  fi
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
# The server library of the conformance suite, with this script's settings.
# shellcheck source=../conformance/server.sh
. "$REPO/conformance/server.sh"
REL="$LS_VERSION"
PY="$VENV/bin/python"
LS_LOG_PREFIX="lsapi live"
LS_START_TIMEOUT="$START_TIMEOUT"
LS_LOG_LEVEL=WARNING
LS_WEBHOOK_TIMEOUT=2
LS_APP_WEBSERVER=""
LS_TOKEN_PREFIX=lsapilive
LS_FIX_TOKENS=0
ADMIN_PASSWORD="lsapi-live-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
cleanup() {
  local rc=$?
  stop_pid "$LS_PID" server
  LS_PID=""
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

T0=$(now)
ls_start || fail "the server did not start (see above)"
log "server: healthy after $(elapsed "$T0") s"

# ------------------------------------------------------------------ tests ----
T0=$(now)
cd "$REPO"
LSAPI_LIVE_URL="$LS_URL" LSAPI_LIVE_TOKEN="$TOKEN" LSAPI_LIVE_10K="${LSAPI_LIVE_10K:-1}" \
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
# catch up its project twice with a state file (the second run finds nothing
# new).
T0=$(now)
go build -o "$RUN/lswebhook" ./cmd/lswebhook
export LABEL_STUDIO_URL="$LS_URL" LABEL_STUDIO_API_KEY="$TOKEN"
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
# The second run may repeat changes of the last seconds (the watermark keeps
# a few seconds of overlap), but only with keys the first run printed.
"$VENV/bin/python" - "$RUN/catchup1.jsonl" "$RUN/catchup2.jsonl" <<'PY' || fail "the second catchup printed a change the first did not"
import json, sys
first = [json.loads(l)["key"] for l in open(sys.argv[1])]
second = [json.loads(l)["key"] for l in open(sys.argv[2])]
new = [k for k in second if k not in set(first)]
if not first or new:
    print("first run:", len(first), "changes; second run, keys not seen before:", new)
    sys.exit(1)
PY
log "command: hooks list: $(wc -l <"$RUN/hooks.txt") hooks on project $PROJECT; catchup: $(wc -l <"$RUN/catchup1.jsonl") changes, then $(wc -l <"$RUN/catchup2.jsonl") repeated from the overlap with the stored watermark ($(elapsed "$T0") s)"
log "command: $(tail -n 1 "$RUN/catchup1.err")"
log "PASS against label-studio $LS_VERSION"
