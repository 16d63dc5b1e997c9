#!/usr/bin/env bash
# Run conformance/run.sh for every release of conformance/releases.sh, one
# after the other, and print one line per release.
#
# Usage: conformance/matrix.sh [--refresh] [RELEASE...]
#   --refresh  write each release's captures to testdata/labelstudio-RELEASE
#              (then regenerate docs/compatibility.md: go run ./conformance/compatdoc/gen)
# Logs go to ${TMPDIR:-/tmp}/lswebhook-matrix-RELEASE.log. Exit status 1 if
# any release failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=releases.sh
. "$HERE/releases.sh"
refresh=0
rels=()
for a in "$@"; do
  case "$a" in
    --refresh) refresh=1 ;;
    *) rels+=("$a") ;;
  esac
done
[[ ${#rels[@]} -gt 0 ]] || rels=("${LS_RELEASES[@]}")
failed=0
for r in "${rels[@]}"; do
  logf="${TMPDIR:-/tmp}/lswebhook-matrix-$r.log"
  args=(--version "$r")
  [[ $refresh == 1 ]] && args+=(--out "$REPO/testdata/labelstudio-$r")
  t0=$(date +%s)
  "$HERE/run.sh" "${args[@]}" >"$logf" 2>&1
  rc=$?
  secs=$(($(date +%s) - t0))
  last="$(grep -E 'conformance: (\[[^]]*\] )?(PASS|FAIL|SKIP)' "$logf" | tail -n 1 | sed 's/^conformance: //')"
  if [[ $rc == 0 ]]; then
    echo "conformance-matrix: $r ok in ${secs} s: ${last:-see $logf}"
  else
    echo "conformance-matrix: $r FAILED (exit $rc) in ${secs} s: ${last:-see $logf}"
    failed=1
  fi
done
exit $failed
