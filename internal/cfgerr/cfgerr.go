// Package cfgerr is the one configuration error type of the module. The
// public name is policy.Error (an alias); every package that validates
// configuration (csp, hsts, hpkp, policy, the engine's options, the report
// receiver, the JSON decoder) returns *Error values, joined with errors.Join.
package cfgerr

import (
	"errors"
	"iter"
	"strconv"
	"strings"
)

// Error is one problem in a configuration.
//
// Path locates it, relative to what the caller validated: "script-src[2]"
// from csp.Parse, "csp.script-src[2]" from policy.Validate,
// "routes./embed/.update.csp" from the engine. Value is the offending text as
// written (may be empty), Reason says what is wrong and Fix, when not empty,
// what to write instead. An *Error is plain data, not modified after it is
// returned, and safe to share between goroutines.
type Error struct {
	Path, Value, Reason, Fix string
}

// Error renders the problem on one line:
//
//	csp.script-src[2]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)
//
// Path and Value are quoted where they hold anything but printable ASCII
// (Value always is), so control bytes never reach a log line unescaped.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		if printable(e.Path) {
			b.WriteString(e.Path)
		} else {
			b.WriteString(strconv.QuoteToASCII(e.Path))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Value != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.QuoteToASCII(e.Value))
	}
	if e.Fix != "" {
		b.WriteString(" (")
		b.WriteString(e.Fix)
		b.WriteByte(')')
	}
	return b.String()
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' {
			return false
		}
	}
	return true
}

// New returns an *Error.
func New(path, value, reason, fix string) *Error {
	return &Error{Path: path, Value: value, Reason: reason, Fix: fix}
}

// All yields every *Error in err, depth first, in order: err itself, or the
// errors joined in it (errors.Join, or any Unwrap() []error), recursively.
// An error in the tree that is not an *Error is yielded as one whose Reason
// is its text. A nil err yields nothing.
func All(err error) iter.Seq[*Error] {
	return func(yield func(*Error) bool) {
		walk(err, yield)
	}
}

func walk(err error, yield func(*Error) bool) bool {
	switch e := err.(type) {
	case nil:
		return true
	case *Error:
		return yield(e)
	case interface{ Unwrap() []error }:
		for _, c := range e.Unwrap() {
			if !walk(c, yield) {
				return false
			}
		}
		return true
	}
	var ce *Error
	if errors.As(err, &ce) {
		return yield(ce)
	}
	return yield(&Error{Reason: err.Error()})
}

// Prefix returns err with path put in front of the Path of every *Error in
// it (copies; err is not modified), joined again. A path item that starts
// with "[" is appended without a dot. It returns nil for a nil err.
func Prefix(path string, err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for e := range All(err) {
		c := *e
		c.Path = JoinPath(path, e.Path)
		out = append(out, &c)
	}
	return Join(out)
}

// JoinPath joins two path parts: "csp" and "script-src[1]" make
// "csp.script-src[1]", "routes" and "[2]" make "routes[2]".
func JoinPath(a, b string) string {
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

// Index returns "[i]".
func Index(i int) string { return "[" + strconv.Itoa(i) + "]" }

// Join is errors.Join that returns nil for none and the error itself for one.
func Join(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// List collects errors; the zero value is ready to use.
type List struct{ errs []error }

// Add appends an *Error.
func (l *List) Add(path, value, reason, fix string) {
	l.errs = append(l.errs, New(path, value, reason, fix))
}

// Append appends err (if not nil) with path put in front of its paths.
func (l *List) Append(path string, err error) {
	if err != nil {
		l.errs = append(l.errs, Prefix(path, err))
	}
}

// Err returns the joined errors, or nil.
func (l *List) Err() error { return Join(l.errs) }
