package lsapi

import (
	"sync"
)

// testInbox stands in for the durable inbox of a receiver: it accepts a
// change unless every entity key of it was accepted before, the way a
// receiver that records EntityKeys recognises a bulk delivery whose changes
// catch-up reconstructed one by one.
type testInbox struct {
	mu         sync.Mutex
	seen       map[string]int // entity key -> 1 once accepted
	accepted   []Change
	delivered  int // changes that came from deliveries
	rebuilt    int // reconstructed changes accepted
	duplicates int // changes refused as already seen
}

func newTestInbox() *testInbox {
	return &testInbox{seen: map[string]int{}}
}

func changeKeys(c Change) []string {
	if c.Event != nil {
		if ks := EntityKeys(c.Event); len(ks) > 0 {
			return ks
		}
	}
	if c.Key == "" {
		return nil
	}
	return []string{c.Key}
}

// add accepts or refuses one change; it reports whether it was new.
func (in *testInbox) add(c Change) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	keys := changeKeys(c)
	// An event without a key (no payload) cannot be deduplicated.
	fresh := len(keys) == 0
	for _, k := range keys {
		if in.seen[k] == 0 {
			fresh = true
		}
	}
	if !fresh {
		in.duplicates++
		return false
	}
	for _, k := range keys {
		in.seen[k] = 1
	}
	in.accepted = append(in.accepted, c)
	if c.Reconstructed {
		in.rebuilt++
	} else {
		in.delivered++
	}
	return true
}

// count returns how many accepted changes carry entity key k.
func (in *testInbox) count(k string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, c := range in.accepted {
		for _, ck := range changeKeys(c) {
			if ck == k {
				n++
			}
		}
	}
	return n
}
