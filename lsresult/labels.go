package lsresult

// joinLabels concatenates label lists into a new slice, keeping the first
// of repeated labels; nil when there are none. It takes time linear in the
// number of labels: a repeat is found with a set, not by scanning what was
// kept.
func joinLabels(lists ...[]string) []string {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	var seen keySet
	if n > smallSet {
		seen.m = make(map[string]struct{}, n)
	}
	for _, l := range lists {
		for _, s := range l {
			if seen.add(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// clone returns a copy of s; nil for nil.
func clone(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}
