//go:build unix

package lswebhook_test

import "syscall"

// processCPU returns the CPU time the process has used, in nanoseconds
// (user and system, all threads: the garbage collector's work counts).
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
