package lswebhooktest

// The embedded fixtures are copied from the captures in the repository's
// testdata/labelstudio-<release>/ directories by
//
//	go generate ./lswebhooktest
//
// which, for every captured release, picks the distinct bodies (at most a
// dozen per action, and one body of a "send payload: off" webhook), copies
// them to fixtures/<release>/ under their original names, and rewrites the
// release's line of fixtures/releases.txt from the request headers its
// manifest.json recorded. Adding a release is capturing it (see
// conformance/run.sh), running go generate, and committing the copied files
// and the changed line.
//
//go:generate go run ./internal/genfixtures -testdata ../testdata -out fixtures
