#!/usr/bin/env bash
# Install (cached) and start one Label Studio release on 127.0.0.1 with a
# fresh temporary SQLite database, print how to reach it, and keep it running
# until interrupted (Ctrl-C or SIGTERM), then stop it and remove its data.
#
# Usage: conformance/serve.sh [--version RELEASE]   (default: the newest)
# Prints, once the server answers /health/ and token authentication works:
#   LS_URL=http://127.0.0.1:<port>
#   LS_TOKEN=<legacy API token of the admin user>   (header: Authorization: Token <token>)
#   LS_VERSION=<release>
#   LS_READY=1
# Exit status: 0 after an interrupt, or when PyPI cannot be reached (one
# "conformance: SKIP:" line); 1 if the server does not start.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=releases.sh
. "$HERE/releases.sh"
# shellcheck source=server.sh
. "$HERE/server.sh"
REL="$LS_NEWEST"
case "${1:-}" in
  --version) REL="${2:?--version needs a release}" ;;
  --version=*) REL="${1#*=}" ;;
  "") ;;
  *) echo "usage: conformance/serve.sh [--version RELEASE]" >&2; exit 2 ;;
esac
PY=python3
set +e
VENV="$("$HERE/install.sh" "$REL" | tail -n 1)"
rc=${PIPESTATUS[0]}
set -e
if [[ $rc == 2 ]]; then echo "$VENV"; exit 0; fi
[[ $rc == 0 ]] || { echo "conformance: FAIL: installing label-studio $REL failed" >&2; exit 1; }
RUN="$(mktemp -d "${TMPDIR:-/tmp}/lswebhook-serve.XXXXXX")"
cleanup() {
  stop_pid "$LS_PID" "label-studio"
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 0' INT TERM
ls_start
printf 'LS_URL=%s\nLS_TOKEN=%s\nLS_VERSION=%s\nLS_READY=1\n' "$LS_URL" "$TOKEN" "$REL"
# Poll rather than wait: a trapped signal then ends the script within a
# second, and the EXIT trap stops the server.
while kill -0 "$LS_PID" 2>/dev/null; do sleep 1; done
LS_PID=""
echo "conformance: label-studio $REL exited; log was $RUN/ls.log:" >&2
tail -n 20 "$RUN/ls.log" >&2 || true
exit 1
