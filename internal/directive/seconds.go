package directive

import (
	"errors"
	"strconv"
	"time"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// MaxSeconds is the largest number of seconds a time.Duration holds, about
// 292 years.
const MaxSeconds = int64(1<<63-1) / int64(time.Second)

// Errors of ParseSeconds.
var (
	// ErrNotSeconds reports a value that is not delta-seconds: empty, or
	// with a byte other than an ASCII digit (a sign, a dot, a space).
	ErrNotSeconds = errors.New("not a number of seconds")
	// ErrTooLarge reports delta-seconds above MaxSeconds.
	ErrTooLarge = errors.New("too many seconds for a time.Duration")
)

// ParseSeconds reads v as delta-seconds (RFC 9111 §1.2.2: one or more ASCII
// digits, leading zeros allowed), the value of max-age. It returns
// [ErrNotSeconds] or [ErrTooLarge] and a zero Duration when v is not one
// that fits a time.Duration.
func ParseSeconds(v string) (time.Duration, error) {
	if !headerval.IsDigits(v) {
		return 0, ErrNotSeconds
	}
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil || s > MaxSeconds {
		return 0, ErrTooLarge
	}
	return time.Duration(s) * time.Second, nil
}
