#!/usr/bin/env bash
# Conformance harness: run a real Label Studio server on loopback, drive every
# webhook-emitting REST call the release supports, capture the webhook bodies
# it sends (and, on releases that train ML backends without a webhook, the
# body of the backend's /train call), and check them with the Go library.
#
# Usage: conformance/run.sh [--version RELEASE] [--out DIR] [--keep]
#   --version  a release listed in conformance/releases.sh (default: the newest)
#   --out DIR  write the captures there (also LSWEBHOOK_OUT). The committed
#              set of a release is refreshed with
#              --out testdata/labelstudio-RELEASE (every NNN-*.json, ml-*.json
#              and manifest.json is replaced). Default: a temporary directory,
#              removed at the end.
#   --keep     keep the temporary directory (server log, raw records)
# Exit status: 0 when everything passed, or when PyPI cannot be reached to
# install the release (one "conformance: SKIP:" line); non-zero otherwise.
# Environment:
#   LSWEBHOOK_VENV      virtualenv to (re)use (default ~/.cache/lswebhook/venv-RELEASE)
#   LSWEBHOOK_PYTHON    interpreter for a new venv (default: the release's Python from pyenv)
#   LSWEBHOOK_START_TIMEOUT  seconds to wait for /health/ (default 420)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=releases.sh
. "$HERE/releases.sh"
# shellcheck source=server.sh
. "$HERE/server.sh"

REL="$LS_NEWEST"
OUT="${LSWEBHOOK_OUT:-}"
KEEP="${LSWEBHOOK_KEEP_TMP:-0}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) REL="$2"; shift 2 ;;
    --version=*) REL="${1#*=}"; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#*=}"; shift ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: conformance/run.sh [--version RELEASE] [--out DIR] [--keep]" >&2; exit 2 ;;
  esac
done
known=0
for r in "${LS_RELEASES[@]}"; do [[ "$r" == "$REL" ]] && known=1; done
[[ $known == 1 ]] || { echo "conformance: FAIL: unknown release $REL (known: ${LS_RELEASES[*]})" >&2; exit 2; }

log() { printf 'conformance: [%s] %s\n' "$REL" "$*"; }
T_ALL=$(date +%s)
PY=python3
for tool in go curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { log "FAIL: $tool not found (go, curl and python3 are required)"; exit 1; }
done

# ---------------------------------------------------------------- install ----
T0=$(date +%s)
set +e
VENV="$("$HERE/install.sh" "$REL" | tail -n 1)"
rc=${PIPESTATUS[0]}
set -e
if [[ $rc == 2 ]]; then
  # install.sh printed the SKIP line (as the pipe's last line, captured): repeat it
  echo "$VENV"
  exit 0
fi
[[ $rc == 0 ]] || { log "FAIL: installing label-studio $REL failed (exit $rc)"; exit 1; }
INSTALL_SECONDS=$(($(date +%s) - T0))
log "install: done in ${INSTALL_SECONDS} s ($VENV)"

# ------------------------------------------------------------- processes ----
RUN="$(mktemp -d "${TMPDIR:-/tmp}/lswebhook-conformance.XXXXXX")"
[[ -n "$OUT" ]] || OUT="$RUN/capture"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
REC_PID=""
cleanup() {
  local rc=$?
  stop_pid "$LS_PID" "label-studio"
  stop_pid "$REC_PID" "recorder"
  if [[ $rc -ne 0 && -z "${CHECKING:-}" && -f "$RUN/ls.log" ]]; then
    log "--- last 60 lines of the Label Studio log ---"
    tail -n 60 "$RUN/ls.log" || true
  fi
  if [[ "$KEEP" == "1" ]]; then
    log "keeping $RUN"
  else
    rm -rf "$RUN"
  fi
  log "total elapsed $(($(date +%s) - T_ALL)) s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

REC_PORT=$(free_port)
python3 "$HERE/recorder.py" --port "$REC_PORT" --dir "$RUN/records" >"$RUN/recorder.log" 2>&1 &
REC_PID=$!
for _ in $(seq 1 50); do
  curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$REC_PORT/health" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$REC_PORT/health" || { log "recorder did not start"; cat "$RUN/recorder.log"; exit 1; }
log "recorder: pid $REC_PID on http://127.0.0.1:$REC_PORT"

# ---------------------------------------------------------------- server ----
ls_start

# ----------------------------------------------------------------- drive ----
T0=$(date +%s)
DRIVE_RC=0
NOTES_JSON="$(printf '%s\n' "${LS_NOTES[@]+"${LS_NOTES[@]}"}" | python3 -c 'import json,sys; print(json.dumps([l for l in sys.stdin.read().splitlines() if l]))')"
"$VENV/bin/python" "$HERE/driver.py" \
  --ls-url "$LS_URL" \
  --token "$TOKEN" \
  --recorder-url "http://127.0.0.1:$REC_PORT" \
  --record-dir "$RUN/records" \
  --out "$OUT" \
  --ls-version "$REL" \
  --ls-package "$LS_PKG" \
  --venv-python "$VENV/bin/python" \
  --python-version "$("$VENV/bin/python" -c 'import platform; print(platform.python_version())')" \
  --extra-pins "$(ls_extra_pins "$REL")" \
  --start-notes "$NOTES_JSON" \
  --data-dir "$RUN/ls-data" \
  --server-log "$RUN/ls.log" || DRIVE_RC=$?
DRIVE_SECONDS=$(($(date +%s) - T0))
log "drive: done in ${DRIVE_SECONDS} s (driver exit $DRIVE_RC); captures in $OUT"

# Label Studio delivers webhooks inside the triggering request: once the
# driver is done, nothing more arrives. Stop both processes now.
stop_pid "$LS_PID" "label-studio"; LS_PID=""
stop_pid "$REC_PID" "recorder"; REC_PID=""

# ----------------------------------------------------------------- check ----
# The Go library is the judge: TestCaptures decodes every captured body (and
# the legacy training bodies with DecodeLegacyTraining); on the newest
# release TestConformance also checks ids, counts and hooks against the
# manifest.
T0=$(date +%s)
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
tests='^TestCaptures$'
[[ "$REL" == "$LS_NEWEST" ]] && tests='^(TestCaptures|TestConformance)$'
if (cd "$REPO" && LSWEBHOOK_CAPTURE_DIR="$OUT" go test -count=1 -run "$tests" .) >"$RUN/gotest.log" 2>&1; then
  log "check: $(tail -n 1 "$RUN/gotest.log") (LSWEBHOOK_CAPTURE_DIR=<capture> go test -run '$tests')"
else
  head -n 150 "$RUN/gotest.log"
  FAILED+=("go test -run '$tests' on the fresh capture")
fi
log "check: done in $(($(date +%s) - T0)) s"
if [[ ${#FAILED[@]} -gt 0 ]]; then
  for f in "${FAILED[@]}"; do log "FAIL: $f"; done
  exit 1
fi
n=$(ls "$OUT" | grep -c -E '^([0-9]{3}|ml-[0-9]{3})-.*\.json$' || true)
log "PASS: $n bodies captured from label-studio $REL (install ${INSTALL_SECONDS} s, start ${LS_START_SECONDS} s, drive ${DRIVE_SECONDS} s), all decoded and checked"
