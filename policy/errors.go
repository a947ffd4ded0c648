package policy

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
)

// Error is one problem found in a policy or a configuration. Validation
// returns every problem at once, joined with errors.Join; use errors.As or
// the Unwrap() []error of the joined error to walk them.
type Error struct {
	// Path locates the problem: "csp.script-src[2]", "hsts.preload",
	// "x-frame-options", "routes./embed/.update.csp".
	Path string
	// Reason says what is wrong.
	Reason string
	// Fix says what to write instead; it may be empty.
	Fix string
	// Err is the leaf package's error (*csp.Error, *hsts.Error, …), if any.
	Err error
}

func (e *Error) Error() string {
	s := e.Reason
	if e.Path != "" {
		s = e.Path + ": " + s
	}
	if e.Fix != "" {
		s += " (" + e.Fix + ")"
	}
	return s
}

// Unwrap returns the leaf error, if any.
func (e *Error) Unwrap() error { return e.Err }

// prefix puts path in front of the path of err and of every error joined in
// it. Leaf-package errors are turned into *Error with the leaf kept in Err.
func prefix(path string, err error) error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = prefix(path, e)
		}
		return errors.Join(out...)
	}
	e := asError(err)
	c := *e
	c.Path = joinPath(path, e.Path)
	return &c
}

// asError converts any error into an *Error, keeping leaf errors in Err.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var (
		ce *csp.Error
		he *hsts.Error
		pe *hpkp.Error
	)
	switch {
	case errors.As(err, &ce):
		reason := ce.Reason
		if ce.Value != "" {
			// csp.Error keeps the offending text apart; keep it in the message.
			reason += " " + strconv.QuoteToASCII(ce.Value)
		}
		return &Error{Path: ce.Path, Reason: reason, Fix: ce.Fix, Err: err}
	case errors.As(err, &he):
		return &Error{Path: he.Path, Reason: he.Reason, Fix: he.Fix, Err: err}
	case errors.As(err, &pe):
		return &Error{Path: pe.Path, Reason: pe.Reason, Fix: pe.Fix, Err: err}
	}
	return &Error{Reason: err.Error(), Err: err}
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case b[0] == '[':
		return a + b
	}
	return a + "." + b
}

func atIndex(i int, err error) error { return prefix(fmt.Sprintf("[%d]", i), err) }

// joinErrs is errors.Join that returns nil for none.
func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// Errors flattens err (a joined error from Validate, Decode…) into its
// *Error items, in order. It returns nil for a nil err.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range j.Unwrap() {
			out = append(out, Errors(e)...)
		}
		return out
	}
	return []*Error{asError(err)}
}
