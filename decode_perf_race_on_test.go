//go:build race

package lswebhook_test

// raceEnabled is true when the tests run with the race detector, which
// changes allocation counts (sync.Pool drops objects at random under it).
const raceEnabled = true
