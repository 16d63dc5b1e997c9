# Turns `benchstat -format csv -row <row> -col <col>` output of the bench
# module's benchmarks into markdown tables of benchstat's medians and their
# ratios. Used by scripts/bench.sh; POSIX awk, run with -F, after
# scripts/benchstat.awk (which reads the CSV), and
#
#   -v mode=peers     BenchmarkPeers (-row /class -col /impl): per payload
#                     and implementation, time/op and CPU/op with
#                     benchstat's 95% confidence interval, B/op, allocs/op
#                     and their ratios to Decode; then the matrix of CPU
#                     ratios, implementation ÷ Decode.
#   -v mode=handler   BenchmarkHandler (-row /body -col /handler): req/s,
#                     CPU per request, B/op and allocs/op per handler, and
#                     req/s of each ÷ that of the read-discard floor.

function ratio(x, y,    r) {
	if (x == "" || y == "" || y == 0) return "n/a"
	r = x / y
	return sprintf(r >= 0.1 ? "%.2f" : "%.3f", r)
}

function spread(s) { return (s == "" || s == "∞") ? "" : " ± " s }

# handlerRow prints the handler table's row of handler c for body k.
function handlerRow(k, c, first) {
	printf "| %s | %s | %.0f%s | %s%s | %s | %.0f | %s | %s |\n", (first ? k : ""), c,
		v[k, c, "req/s"], spread(ci[k, c, "req/s"]),
		human_time(v[k, c, "cpu-sec/op"]), spread(ci[k, c, "cpu-sec/op"]),
		human_bytes(v[k, c, "B/op"]), v[k, c, "allocs/op"],
		ratio(v[k, c, "req/s"], v[k, floor, "req/s"]),
		ratio(v[k, c, "cpu-sec/op"], v[k, floor, "cpu-sec/op"])
}

# peersRow prints the peers table's row of implementation c for payload k.
function peersRow(k, c, first) {
	printf "| %s | %s | %s%s | %s%s | %s | %.0f | %s | %s | %s | %s |\n", (first ? k : ""), c,
		human_time(v[k, c, "sec/op"]), spread(ci[k, c, "sec/op"]),
		human_time(v[k, c, "cpu-sec/op"]), spread(ci[k, c, "cpu-sec/op"]),
		human_bytes(v[k, c, "B/op"]), v[k, c, "allocs/op"],
		ratio(v[k, c, "sec/op"], v[k, base, "sec/op"]),
		ratio(v[k, c, "cpu-sec/op"], v[k, base, "cpu-sec/op"]),
		ratio(v[k, c, "B/op"], v[k, base, "B/op"]),
		ratio(v[k, c, "allocs/op"], v[k, base, "allocs/op"])
}

END {
	sortcols()
	if (mode == "handler") {
		floor = "read-discard"
		print "| body | handler | req/s | CPU/request | B/op | allocs/op | req/s ÷ floor | CPU ÷ floor |"
		print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	} else {
		base = "Decode"
		print "| payload | implementation | time/op | CPU/op | B/op | allocs/op | time ÷ Decode | CPU ÷ Decode | B/op ÷ Decode | allocs ÷ Decode |"
		print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	}
	for (r = 1; r <= nrow; r++) {
		for (j = 1; j <= ncol; j++) {
			if (mode == "handler") handlerRow(rorder[r], cols[j], j == 1)
			else peersRow(rorder[r], cols[j], j == 1)
		}
	}
	if (mode == "handler") exit
	print ""
	print "CPU per op, implementation ÷ validated Decode (below 1: cheaper than Decode):"
	print ""
	line = "| payload |"; sep = "| --- |"
	for (j = 1; j <= ncol; j++) { line = line " " cols[j] " |"; sep = sep " ---: |" }
	print line; print sep
	for (r = 1; r <= nrow; r++) {
		k = rorder[r]
		line = "| " k " |"
		for (j = 1; j <= ncol; j++) line = line " " ratio(v[k, cols[j], "cpu-sec/op"], v[k, base, "cpu-sec/op"]) " |"
		print line
	}
}
