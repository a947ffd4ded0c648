package report

import "time"

func benchReportOptions(window time.Duration) Options {
	return Options{RatePerSecond: 1e9, Burst: 1 << 20, QueueSize: 1 << 16, DedupWindow: window}
}
