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

// keySet tells whether a key was seen before in one object, or a label
// in one list: an array for the few keys of a typical object, a map
// beyond, so that n keys cost O(n) whatever n. The zero keySet is empty.
type keySet struct {
	small [smallSet]string
	n     int
	m     map[string]struct{}
}

// smallSet is the size up to which a linear search beats a map.
const smallSet = 8

// add adds key and reports whether it was new.
func (s *keySet) add(key string) bool {
	if s.m != nil {
		if _, dup := s.m[key]; dup {
			return false
		}
		s.m[key] = struct{}{}
		return true
	}
	for _, k := range s.small[:s.n] {
		if k == key {
			return false
		}
	}
	if s.n < smallSet {
		s.small[s.n] = key
		s.n++
		return true
	}
	s.m = make(map[string]struct{}, 4*smallSet)
	for _, k := range s.small {
		s.m[k] = struct{}{}
	}
	s.m[key] = struct{}{}
	return true
}
