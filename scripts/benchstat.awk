# Reads `benchstat -format csv -row <row> -col <col>` output; loaded with -f
# before bench/peers.awk or scripts/table.awk, which print its tables. POSIX
# awk, run with -F,. Fills:
#
#   rorder[1..nrow]    the row names, in the order they first appear
#   cidx[c]            the CSV column of column name c (sortcols orders them)
#   v[row, c, unit]    benchstat's median of unit (sec/op, B/op, ...)
#   ci[row, c, unit]   its 95% confidence interval ("2%", "∞" or empty)

# At the first header row of a block, a name stands at each column's first
# cell; the second header row names the units.
/^,/ {
	if (state != 1) {
		delete col
		for (i = 2; i <= NF; i++) if ($i != "") col[i] = $i
		state = 1
	} else {
		for (i = 2; i <= NF; i++) unitAt[i] = $i
		state = 2
	}
	next
}

state == 2 && NF > 1 && $1 != "geomean" {
	row = $1
	if (!(row in rseen)) { rseen[row] = 1; rorder[++nrow] = row }
	for (i in col) {
		c = col[i]
		if (!(c in cseen)) { cseen[c] = 1; cidx[c] = i }
		v[row, c, unitAt[i]] = $i
		ci[row, c, unitAt[i]] = $(i + 1)
	}
	next
}

NF <= 1 { state = 0 }

function human_time(s) {
	if (s == "") return "n/a"
	if (s >= 1) return sprintf("%.2f s", s)
	if (s >= 1e-3) return sprintf("%.2f ms", s * 1e3)
	return sprintf("%.1f µs", s * 1e6)
}

function human_bytes(b) {
	if (b == "") return "n/a"
	if (b >= 1048576) return sprintf("%.2f MiB", b / 1048576)
	if (b >= 1024) return sprintf("%.1f KiB", b / 1024)
	return sprintf("%d B", b)
}

# sortcols fills cols[1..ncol] with the column names in their CSV order.
function sortcols(    c, i, j, t) {
	ncol = 0
	for (c in cidx) cols[++ncol] = c
	for (i = 2; i <= ncol; i++) {
		t = cols[i]
		for (j = i - 1; j >= 1 && cidx[cols[j]] + 0 > cidx[t] + 0; j--) cols[j + 1] = cols[j]
		cols[j + 1] = t
	}
}
