package hsts

import (
	"strconv"
	"time"
)

// String renders p as a Strict-Transport-Security header value in the
// canonical order "max-age=N; includeSubDomains; preload", leaving out the
// flags that are false. N is MaxAge in whole seconds, truncated toward
// zero. String does not validate: a negative MaxAge renders as a negative
// number, which Validate refuses and browsers ignore. The output never holds
// a byte other than digits, letters, '-', '=', ';' and space. It is safe for
// concurrent use.
func (p Policy) String() string {
	b := make([]byte, 0, len("max-age=; includeSubDomains; preload")+20)
	b = append(b, "max-age="...)
	b = strconv.AppendInt(b, int64(p.MaxAge/time.Second), 10)
	if p.IncludeSubDomains {
		b = append(b, "; includeSubDomains"...)
	}
	if p.Preload {
		b = append(b, "; preload"...)
	}
	return string(b)
}
