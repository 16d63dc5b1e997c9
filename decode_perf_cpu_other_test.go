//go:build !unix

package lswebhook_test

// processCPU is not measured on this system; BenchmarkPerf then reports
// no cpu-ns/op.
func processCPU() int64 { return 0 }
