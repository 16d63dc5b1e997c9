# Turns `benchstat -format csv -col /impl -row /class` output of
# BenchmarkPerf into the README's markdown table: per payload class and
# implementation, benchstat's medians (with its 95% confidence interval for
# times) of ns/op, cpu-ns/op, MB/s, B/op and allocs/op. Used by
# scripts/bench.sh; POSIX awk, run with -F, and -v raw=<go test output>,
# from which the body sizes are read (MB/s times ns/op of one line).

BEGIN {
	while ((getline line < raw) > 0) {
		nf = split(line, f, /[ \t]+/)
		if (f[1] !~ /^BenchmarkPerf\/class=/) continue
		split(f[1], parts, "/")
		class = parts[2]; sub(/^class=/, "", class)
		if (class in size) continue
		for (i = 3; i < nf; i++) {
			if (f[i + 1] == "ns/op") ns = f[i]
			if (f[i + 1] == "MB/s") size[class] = f[i] * ns / 1000
		}
	}
}

function human_time(s) {
	if (s >= 1) return sprintf("%.2f s", s)
	if (s >= 1e-3) return sprintf("%.2f ms", s * 1e3)
	return sprintf("%.1f µs", s * 1e6)
}

function human_bytes(b) {
	if (b >= 1048576) return sprintf("%.2f MiB", b / 1048576)
	if (b >= 1024) return sprintf("%.1f KiB", b / 1024)
	return sprintf("%d B", b)
}

# body_size writes a body size in bytes rounded to 3 digits, and in KiB or
# MiB.
function body_size(b) {
	if (b < 1024) return sprintf("%d B", b)
	return human_bytes(b)
}

/^,/ {
	if (state == 0) {
		# The implementations' header: a name at each one's first column.
		for (i = 2; i <= NF; i++) if ($i != "") col[i] = $i
		state = 1
	} else {
		for (i = 2; i <= NF; i++) unitAt[i] = $i
		state = 2
	}
	next
}

state == 2 && NF > 1 && $1 != "geomean" {
	class = $1
	if (!(class in seen)) { seen[class] = 1; order[++nclass] = class }
	for (i in col) {
		impl = col[i]
		if (!(impl in iseen)) { iseen[impl] = 1; iorder[++nimpl] = impl; icol[impl] = i }
		v[class, impl, unitAt[i]] = $i
		ci[class, impl, unitAt[i]] = $(i + 1)
	}
	next
}

NF <= 1 { state = 0 }

END {
	names["Decode"] = "Decode (validated)"
	names["SkipValidation"] = "Decode, SkipValidation"
	names["Unmarshal"] = "encoding/json, no validation"
	names["HandWritten"] = "hand-written validated pipeline"
	# Columns in the order of the header, Unmarshal first.
	n = 0
	for (i = 2; i <= 100; i++) if (i in col) cols[++n] = col[i]
	print "| payload (body) | implementation | time/op | CPU/op | MB/s | B/op | allocs/op |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	for (c = 1; c <= nclass; c++) {
		k = order[c]
		body = size[k]
		for (j = 1; j <= n; j++) {
			impl = cols[j]
			label = (j == 1) ? sprintf("%s (%s)", k, body_size(body)) : ""
			printf "| %s | %s | %s ± %s | %s ± %s | %.0f | %s | %.0f |\n", label, names[impl],
				human_time(v[k, impl, "sec/op"]), ci[k, impl, "sec/op"],
				human_time(v[k, impl, "cpu-sec/op"]), ci[k, impl, "cpu-sec/op"],
				v[k, impl, "B/s"] / 1e6, human_bytes(v[k, impl, "B/op"]), v[k, impl, "allocs/op"]
		}
	}
}
