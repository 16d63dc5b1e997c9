#!/usr/bin/env bash
# CI for the inbox module: builds it without cgo, vets it, starts a
# throwaway PostgreSQL, runs the tests on both drivers (SQLite and
# PostgreSQL; with CI=true a test that needs PostgreSQL fails if it is
# missing) including the crash tests, stops PostgreSQL and prints the
# counts. Every step is bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")"
export CGO_ENABLED=0

echo "inbox: build (CGO_ENABLED=0)"
timeout 600 go build ./...
timeout 600 go vet ./...
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "inbox: not gofmt'ed: $unformatted" >&2
	exit 1
fi
if [ "${INBOX_STATICCHECK:-1}" = 1 ]; then
	timeout 900 go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
fi

echo "inbox: starting PostgreSQL"
pgenv=$(timeout 600 scripts/postgres.sh start)
eval "$pgenv"
trap 'scripts/postgres.sh stop "$INBOX_PGDATA"' EXIT

log=$(mktemp /tmp/inbox-ci.XXXXXX)
status=0
timeout 1500 go test -count=1 -timeout 20m -v ./... >"$log" 2>&1 || status=$?
grep -E '^(ok|FAIL|---|panic:)|CRASH|RESTART|\.go:[0-9]+:' "$log" | grep -vE '^\s*--- PASS' || true
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
if [ "$status" -ne 0 ]; then
	tail -n 80 "$log"
fi
rm -f "$log"
echo "inbox: $passed passed, $failed failed, $skipped skipped"
exit "$status"
