// Package bench compares lswebhook's decoder with the fastest Go JSON
// decoders, side by side in one run, on Label Studio webhook bodies.
//
// It is a module of its own, nested in the repository, so that the
// library's go.mod requires none of the peers. It has no code to import:
// everything is in its benchmarks and the tests that keep them honest.
//
// # Peer benchmark
//
// BenchmarkPeers decodes five payload classes:
//
//   - annotation-3KiB: the documented ANNOTATION_CREATED example
//     (testdata/docs/annotation-created.json);
//   - annotation-5KiB: an ANNOTATION_CREATED body captured from Label
//     Studio 1.23.2 (annotation, task and project);
//   - project-4KiB: a PROJECT_UPDATED body captured from Label Studio
//     1.23.2;
//   - tasks-5000: a TASKS_CREATED body of 5,000 tasks, each a copy of a
//     captured task with its own id, inner_id and item bodies;
//   - invalid-1MiB: the same kind of bulk body, about 1 MiB, in which every
//     task's id is a string: a body Decode must refuse.
//
// with these implementations:
//
//   - Decode: lswebhook.Decode, validated (the reference of every ratio);
//   - SkipValidation: an lswebhook.Decoder with SkipValidation set;
//   - encoding-json: encoding/json into plain structs (the library's
//     structs rebuilt with reflect.StructOf: same fields and tags, no
//     methods, timestamps and secrets as strings);
//   - jsonv2: the json/v2 module (github.com/go-json-experiment/json) into
//     the same plain structs;
//   - goccy: github.com/goccy/go-json into the same plain structs;
//   - sonic: github.com/bytedance/sonic (its default configuration) into
//     the same plain structs;
//   - simdjson-parse: github.com/minio/simdjson-go, parsing to its tape
//     only (no structs), reusing the previous tape;
//   - fastjson-parse: github.com/valyala/fastjson, parsing to its value
//     tree only (no structs), with one reused Parser;
//   - Valid: encoding/json's Valid, the syntax-only floor.
//
// Besides ns/op (wall time), B/op and allocs/op it reports cpu-ns/op, the
// process's CPU time per operation (getrusage, garbage collection
// included), which waiting for a core on a busy machine does not inflate.
// Only the typed decoders (Decode, SkipValidation, and the peers that fill
// structs) are expected to refuse invalid-1MiB; the parse-only peers and
// Valid accept it, since it is well-formed JSON.
//
// # Handler benchmark
//
// BenchmarkHandler serves the 5 KiB annotation over loopback with
// lswebhook's Handler (a Mux with one handler), beside a floor handler that
// reads the body and discards it, and a handler that reads it and calls
// encoding/json's Unmarshal into the plain structs. It reports req/s and
// cpu-ns/op.
//
// # Running
//
// From the repository root, scripts/bench.sh runs both benchmarks COUNT
// times and prints the peer table with its ratios to Decode and the
// handler's ratio to its floor, computed from benchstat's medians
// (peers.awk), and benchstat's comparison; docs/performance.md has the
// figures and a profile of Decode:
//
//	bash scripts/bench.sh             # the library's suite, then this
//	PARTS=peers bash scripts/bench.sh # this benchmark only
//
// or, by hand, from this directory:
//
//	go test -run '^$' -bench . -benchmem -count 6
package bench
