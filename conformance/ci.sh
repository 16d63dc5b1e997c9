#!/usr/bin/env bash
# CI's live conformance check: the newest release, and one older release
# chosen from the commit (the commit hash modulo the number of older
# releases), so successive commits rotate through the matrix. Each run is
# bounded by timeout; the whole stays within about 25 minutes on a loaded
# fresh machine (an install can take 8 minutes there). Prints one line per
# release; exit status 1 if either failed or timed out. A release whose
# install cannot reach PyPI counts as skipped (its one SKIP line is shown).
#
# Usage: conformance/ci.sh        (from anywhere inside the repository)
# Environment: LSWEBHOOK_CI_TIMEOUT seconds per release (default 690).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=releases.sh
. "$HERE/releases.sh"
older=()
for r in "${LS_RELEASES[@]}"; do [[ "$r" == "$LS_NEWEST" ]] || older+=("$r"); done
head="$(git -C "$HERE" rev-parse HEAD 2>/dev/null || echo 0)"
idx=$(( 16#${head:0:8} % ${#older[@]} ))
pick="${older[$idx]}"
limit="${LSWEBHOOK_CI_TIMEOUT:-690}"
failed=0
for r in "$LS_NEWEST" "$pick"; do
  logf="$(mktemp "${TMPDIR:-/tmp}/lswebhook-ci-$r.XXXXXX")"
  t0=$(date +%s)
  timeout -k 30 "$limit" "$HERE/run.sh" --version "$r" >"$logf" 2>&1
  rc=$?
  secs=$(($(date +%s) - t0))
  skip="$(grep -m1 '^conformance: SKIP:' "$logf" || true)"
  last="$(grep -E '^conformance: \[[^]]*\] (PASS|FAIL)' "$logf" | tail -n 1 | sed 's/^conformance: //')"
  if [[ $rc == 0 && -n "$skip" ]]; then
    echo "conformance-ci: $r SKIP in ${secs} s: ${skip#conformance: SKIP: }"
  elif [[ $rc == 0 ]]; then
    echo "conformance-ci: $r PASS in ${secs} s: ${last:-ok}"
  else
    [[ $rc == 124 || $rc == 137 ]] && last="timed out after ${limit} s"
    echo "conformance-ci: $r FAIL (exit $rc) in ${secs} s: ${last:-see below}"
    tail -n 60 "$logf"
    failed=1
  fi
  rm -f "$logf"
done
exit $failed
