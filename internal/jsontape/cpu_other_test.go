//go:build !unix

package jsontape

// processCPU is not measured on this system; BenchmarkParse then reports
// no cpu-ns/op.
func processCPU() int64 { return 0 }
