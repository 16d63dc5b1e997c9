#!/usr/bin/env bash
# Runs the performance suite (BenchmarkPerf in decode_perf_test.go) and prints the
# README's performance table (benchstat's medians of ns/op, cpu-ns/op,
# MB/s, B/op and allocs/op per payload class and implementation, made
# markdown by scripts/table.awk), the ratios issue 8 sets as targets
# (scripts/ratios.awk), the bulk payload's peak heap (TestPerfBulkHeap),
# and benchstat's full comparison.
#
# Then it runs the peer benchmark of the nested bench module
# (BenchmarkPeers: validated Decode beside SkipValidation, encoding/json,
# the json/v2 module, goccy/go-json, sonic, simdjson-go and fastjson parse
# only, and json.Valid; BenchmarkHandler: the Handler over loopback beside
# a read-and-discard floor) and prints the peer table with every ratio to
# Decode and the handler's req/s ratio to the floor (bench/peers.awk, from
# benchstat's medians), and benchstat's comparison. See docs/performance.md.
#
#   bash scripts/bench.sh                 # COUNT=8 runs of every benchmark
#   COUNT=10 BENCHTIME=2s bash scripts/bench.sh
#   OUT=perf.txt bash scripts/bench.sh    # keep the raw `go test` output
#   PEERS_OUT=peers.txt bash scripts/bench.sh  # ... of the peer benchmark
#   PARTS=peers bash scripts/bench.sh     # only the peer benchmark
#   PARTS=suite bash scripts/bench.sh     # only the performance suite
#   BASE=v1.2.0 PARTS=peers bash scripts/bench.sh
#                                         # the peer benchmark at the commit
#                                         # BASE too, interleaved with this
#                                         # tree's: a peer table for each and
#                                         # benchstat of every row, BASE to now
#
# Each test binary is built once and run COUNT times, one benchmark
# iteration of the whole suite per run, so the implementations of a class
# are measured side by side and interleaved; compare ratios, not absolute
# times, on a busy machine. cpu-ns/op is the process's CPU time per
# operation: waiting for a core does not inflate it.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-8}
BENCHTIME=${BENCHTIME:-1s}
PARTS=${PARTS:-suite peers}
BENCHSTAT_VERSION=${BENCHSTAT_VERSION:-v0.0.0-20260908200009-22c9c6c9d4da}
benchstat() { go run "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}" "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
go version
grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*: //' || true
echo "$(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo

if [[ " $PARTS " == *" suite "* ]]; then
	out=${OUT:-$work/perf.txt}
	: >"$out"

	go test -c -o "$work/lswebhook.test" .
	for i in $(seq "$COUNT"); do
		echo "run $i/$COUNT" >&2
		"$work/lswebhook.test" -test.run '^$' -test.bench '^BenchmarkPerf$' -test.benchmem \
			-test.count 1 -test.benchtime "$BENCHTIME" >>"$out"
	done

	cols='/impl@(Unmarshal Decode SkipValidation HandWritten)'

	echo "== README table (benchstat medians, ± its 95% confidence interval; $COUNT runs of $BENCHTIME)"
	benchstat -format csv -col "$cols" -row /class "$out" | awk -F, -v raw="$out" -f scripts/benchstat.awk -f scripts/table.awk
	echo
	echo "== ratios (medians of the same run)"
	awk -f scripts/ratios.awk "$out"
	echo
	echo "== bulk peak heap"
	"$work/lswebhook.test" -test.run '^TestPerfBulkHeap$' -test.v -test.count 1 | grep -E 'heap|^(ok|FAIL|---)' || true
	echo
	echo "== benchstat (columns: implementation; base: Unmarshal, encoding/json without validation)"
	benchstat -col "$cols" -row /class "$out"
	echo
fi

# peer_tables FILE NOTE prints the peer table and the handler table of the
# bench module's output in FILE.
peer_tables() {
	echo "== peer table (benchstat medians, ± its 95% confidence interval; $2)"
	benchstat -format csv -filter '.name:Peers' -col /impl -row /class "$1" | awk -F, -v mode=peers -f scripts/benchstat.awk -f bench/peers.awk
	echo
	echo "== handler over loopback (the 5 KiB annotation; floor: read the body and discard it)"
	benchstat -format csv -filter '.name:Handler' -col /handler -row /body "$1" | awk -F, -v mode=handler -f scripts/benchstat.awk -f bench/peers.awk
	echo
}

if [[ " $PARTS " == *" peers "* ]]; then
	peers=${PEERS_OUT:-$work/peers.txt}
	case $peers in /*) ;; *) peers=$PWD/$peers ;; esac
	: >"$peers"

	(cd bench && go test -c -o "$work/bench.test" .)
	if [[ -n ${BASE:-} ]]; then
		# The tree at BASE, built the same way; its bench module
		# replaces the library with that tree's copy.
		mkdir "$work/base"
		git archive "$BASE" | tar -x -C "$work/base"
		(cd "$work/base/bench" && go test -c -o "$work/base.test" .)
		base_peers=$work/peers-base.txt
		: >"$base_peers"
	fi
	for i in $(seq "$COUNT"); do
		echo "peers run $i/$COUNT" >&2
		if [[ -n ${BASE:-} ]]; then
			(cd "$work/base/bench" && "$work/base.test" -test.run '^$' -test.bench '^Benchmark(Peers|Handler)$' -test.benchmem \
				-test.count 1 -test.benchtime "$BENCHTIME") >>"$base_peers"
		fi
		(cd bench && "$work/bench.test" -test.run '^$' -test.bench '^Benchmark(Peers|Handler)$' -test.benchmem \
			-test.count 1 -test.benchtime "$BENCHTIME") >>"$peers"
	done

	if [[ -n ${BASE:-} ]]; then
		peer_tables "$base_peers" "BASE $BASE ($(git rev-parse --short "$BASE")), interleaved with the runs of this tree below"
		echo "== benchstat, BASE $BASE against this tree: the library's rows (the peers' code is the same in both)"
		benchstat -filter '.name:Peers AND /impl:(Decode OR SkipValidation)' base="$base_peers" now="$peers"
		benchstat -filter '.name:Handler AND /handler:lswebhook' base="$base_peers" now="$peers"
		echo
		echo "== this tree"
	fi

	peer_tables "$peers" "$COUNT runs of $BENCHTIME; load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
	echo "== benchstat (columns: implementation; base: validated Decode)"
	benchstat -filter '.name:Peers' -col /impl -row /class "$peers"
	echo
	echo "== benchstat (columns: handler; base: lswebhook's Handler)"
	benchstat -filter '.name:Handler' -col /handler -row /body "$peers"
fi
