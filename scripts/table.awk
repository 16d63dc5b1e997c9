# Turns `benchstat -format csv -col /impl -row /class` output of
# BenchmarkPerf into the README's markdown table: per payload class and
# implementation, benchstat's medians (with its 95% confidence interval for
# times) of ns/op, cpu-ns/op, MB/s, B/op and allocs/op. Used by
# scripts/bench.sh; POSIX awk, run with -F, after scripts/benchstat.awk
# (which reads the CSV), and -v raw=<go test output>, from which the body
# sizes are read (MB/s times ns/op of one line).

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

# body_size writes a body size in bytes rounded to 3 digits, and in KiB or
# MiB.
function body_size(b) {
	if (b < 1024) return sprintf("%d B", b)
	return human_bytes(b)
}

END {
	names["Decode"] = "Decode (validated)"
	names["SkipValidation"] = "Decode, SkipValidation"
	names["Unmarshal"] = "encoding/json, no validation"
	names["HandWritten"] = "hand-written validated pipeline"
	sortcols() # in the order of the header, Unmarshal first
	print "| payload (body) | implementation | time/op | CPU/op | MB/s | B/op | allocs/op |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	for (r = 1; r <= nrow; r++) {
		k = rorder[r]
		body = size[k]
		for (j = 1; j <= ncol; j++) {
			impl = cols[j]
			label = (j == 1) ? sprintf("%s (%s)", k, body_size(body)) : ""
			printf "| %s | %s | %s ± %s | %s ± %s | %.0f | %s | %.0f |\n", label, names[impl],
				human_time(v[k, impl, "sec/op"]), ci[k, impl, "sec/op"],
				human_time(v[k, impl, "cpu-sec/op"]), ci[k, impl, "cpu-sec/op"],
				v[k, impl, "B/s"] / 1e6, human_bytes(v[k, impl, "B/op"]), v[k, impl, "allocs/op"]
		}
	}
}
