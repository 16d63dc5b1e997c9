# Reads `go test -bench BenchmarkPerf -benchmem` output and prints the
# ratios issue 8 sets as targets, from the medians of each benchmark: with
# wall time (ns/op) and with CPU time (cpu-ns/op, not inflated by waiting
# for a core on a busy machine). Used by scripts/bench.sh; POSIX awk.

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

function ratio(x, y) { return (x == 0 || y == 0) ? "n/a" : sprintf("%.2fx", x / y) }

function verdict(ok) { return ok ? "met" : "NOT met" }

# perbyte returns the time per byte of a class, in the given unit.
function perbyte(class, unit) {
	return m(class, "Decode", unit) / size[class]
}

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
	for (c = 1; c <= nclass; c++) {
		k = order[c]
		size[k] = m(k, "Decode", "MB/s") * m(k, "Decode", "ns/op") / 1000
	}
	nu = split("ns/op cpu-ns/op", units, " ")
	for (u = 1; u <= nu; u++) {
		unit = units[u]
		if (m(order[1], "Decode", unit) == 0) continue
		printf "%-30s %12s %12s %14s %12s %12s\n", "time: " unit, "Decode/Unm", "Skip/Unm", "HandW/Decode", "allocs D/U", "bytes D/U"
		for (c = 1; c <= nclass; c++) {
			k = order[c]
			printf "%-30s %12s %12s %14s %12s %12s\n", k,
				ratio(m(k, "Decode", unit), m(k, "Unmarshal", unit)),
				ratio(m(k, "SkipValidation", unit), m(k, "Unmarshal", unit)),
				ratio(m(k, "HandWritten", unit), m(k, "Decode", unit)),
				ratio(m(k, "Decode", "allocs/op"), m(k, "Unmarshal", "allocs/op")),
				ratio(m(k, "Decode", "B/op"), m(k, "Unmarshal", "B/op"))
		}
		print ""
	}
	a = "annotation-5KB"; bulk = "tasks-created-5000"
	print "targets on " a " (ns/op; cpu-ns/op):"
	for (u = 1; u <= nu; u++) {
		unit = units[u]
		if (m(a, "Decode", unit) == 0) continue
		x = m(a, "HandWritten", unit) / m(a, "Decode", unit)
		printf "  %-10s validated Decode >= 2x faster than hand-written:  %6.2fx  %s\n", unit, x, verdict(x >= 2)
		x = m(a, "Decode", unit) / m(a, "Unmarshal", unit)
		printf "  %-10s validated Decode <= 3x Unmarshal:                 %6.2fx  %s\n", unit, x, verdict(x <= 3)
		x = m(a, "SkipValidation", unit) / m(a, "Unmarshal", unit)
		printf "  %-10s SkipValidation <= 1.1x Unmarshal:                 %6.2fx  %s\n", unit, x, verdict(x <= 1.1)
		if (size[bulk] > 0 && size[a] > 0) {
			x = perbyte(bulk, unit) / perbyte(a, unit)
			printf "  %-10s bulk cost per byte <= 1.5x the annotation's:     %6.2fx  %s\n", unit, x, verdict(x <= 1.5)
		}
	}
	x = m(a, "Decode", "allocs/op") / m(a, "Unmarshal", "allocs/op")
	printf "  %-10s validated Decode allocs <= 5x Unmarshal's:        %6.2fx  %s\n", "allocs/op", x, verdict(x <= 5)
}
