//go:build unix

package jsontape

import "syscall"

// processCPU returns the CPU time the process has used, in nanoseconds
// (user and system, all threads).
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
