//go:build !unix

package bench

// processCPU returns 0 where getrusage is not available: the benchmarks
// then report no cpu-ns/op.
func processCPU() int64 { return 0 }
