//go:build !linux

package bench

// threadCPU is not measured on this system: paired falls back to wall time.
func threadCPU() (int64, bool) { return 0, false }
