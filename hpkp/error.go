package hpkp

import "github.com/secureheaders/secureheaders/internal/directive"

// Error is one problem that Parse or Validate found.
//
// Those functions collect every problem and return them joined with
// [errors.Join]: [errors.As] finds the first, and the joined error's
// Unwrap() []error method lists them all, in the order found. The zero
// value formats as "hpkp". An *Error is not modified after it is returned
// and is safe to share between goroutines.
type Error struct {
	// Path names the part at fault: "pins" for the set of pins,
	// "pins[i].<alg>" for the pin at index i (from 0, in header or slice
	// order; "pins[i]" when the algorithm is empty or not a token),
	// "max-age", "includeSubDomains", "report-uri", or an unknown directive
	// as written. It is empty for a problem with the header as a whole, such
	// as a stray byte.
	Path string
	// Reason says what is wrong.
	Reason string
	// Fix says how to repair it; it may be empty.
	Fix string
}

// Error formats e as "hpkp.<path>: <reason> (<fix>)", leaving out the parts
// that are empty.
func (e *Error) Error() string {
	return directive.FormatError("hpkp", e.Path, e.Reason, e.Fix)
}
