//go:build linux

package bench

import (
	"syscall"
	"unsafe"
)

// threadCPU returns the CPU time of the calling OS thread in nanoseconds
// (CLOCK_THREAD_CPUTIME_ID), and false when it cannot be read. The caller
// locks its goroutine to its thread (runtime.LockOSThread), so the time is
// the goroutine's own: time the thread waited for a core while other
// processes ran is not in it.
func threadCPU() (int64, bool) {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		return 0, false
	}
	return ts.Nano(), true
}
