package hsts

import "github.com/secureheaders/secureheaders/internal/directive"

// Error is one problem that Parse, Validate or PreloadReady found.
//
// Those functions collect every problem and return them joined with
// [errors.Join]: [errors.As] finds the first, and the joined error's
// Unwrap() []error method lists them all, in the order found. The zero
// value formats as "hsts". An *Error is not modified after it is returned
// and is safe to share between goroutines.
type Error struct {
	// Path names the directive at fault: "max-age", "includeSubDomains",
	// "preload", or an unknown directive as written. It is empty for a
	// problem with the header as a whole, such as a stray byte.
	Path string
	// Reason says what is wrong.
	Reason string
	// Fix says how to repair it; it may be empty.
	Fix string
}

// Error formats e as "hsts.<path>: <reason> (<fix>)", leaving out the parts
// that are empty.
func (e *Error) Error() string {
	return directive.FormatError("hsts", e.Path, e.Reason, e.Fix)
}
