# Reads `go test -bench BenchmarkPerf -benchmem` output and prints the
# ratios issue 8 sets as targets, from the medians of each benchmark.
# Used by scripts/bench.sh; POSIX awk.

function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0) return 0
	for (i = 1; i <= n; i++) a[i] = val[key, i]
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	if (n % 2) return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}

function m(class, impl, unit) { return median(class SUBSEP impl SUBSEP unit) }

function ratio(x, y) { return y == 0 ? "n/a" : sprintf("%.2fx", x / y) }

function verdict(ok) { return ok ? "met" : "NOT met" }

/^BenchmarkPerf\/class=/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	split(name, parts, "/")
	class = parts[2]; sub(/^class=/, "", class)
	impl = parts[3]; sub(/^impl=/, "", impl)
	if (!(class in seen)) { seen[class] = 1; order[++nclass] = class }
	for (i = 3; i < NF; i += 2) {
		key = class SUBSEP impl SUBSEP $(i + 1)
		val[key, ++cnt[key]] = $i
	}
}

END {
	printf "%-30s %14s %14s %14s %14s\n", "class", "Decode/Unm", "Skip/Unm", "HandW/Decode", "allocs D/Unm"
	for (c = 1; c <= nclass; c++) {
		k = order[c]
		printf "%-30s %14s %14s %14s %14s\n", k,
			ratio(m(k, "Decode", "ns/op"), m(k, "Unmarshal", "ns/op")),
			ratio(m(k, "SkipValidation", "ns/op"), m(k, "Unmarshal", "ns/op")),
			ratio(m(k, "HandWritten", "ns/op"), m(k, "Decode", "ns/op")),
			ratio(m(k, "Decode", "allocs/op"), m(k, "Unmarshal", "allocs/op"))
	}
	a = "annotation-5KB"; bulk = "tasks-created-5000"
	print ""
	print "targets on " a ":"
	x = m(a, "HandWritten", "ns/op") / m(a, "Decode", "ns/op")
	printf "  validated Decode >= 2x faster than hand-written:   %.2fx  %s\n", x, verdict(x >= 2)
	x = m(a, "Decode", "ns/op") / m(a, "Unmarshal", "ns/op")
	printf "  validated Decode <= 3x Unmarshal:                  %.2fx  %s\n", x, verdict(x <= 3)
	x = m(a, "SkipValidation", "ns/op") / m(a, "Unmarshal", "ns/op")
	printf "  SkipValidation <= 1.1x Unmarshal:                  %.2fx  %s\n", x, verdict(x <= 1.1)
	x = m(a, "Decode", "allocs/op") / m(a, "Unmarshal", "allocs/op")
	printf "  validated Decode allocs <= 5x Unmarshal's:         %.2fx  %s\n", x, verdict(x <= 5)
	if (m(bulk, "Decode", "MB/s") > 0) {
		x = m(a, "Decode", "MB/s") / m(bulk, "Decode", "MB/s")
		printf "  %s cost per byte <= 1.5x %s's: %.2fx  %s\n", bulk, a, x, verdict(x <= 1.5)
	}
}
