package policy

import (
	"iter"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Error is one problem in a policy or a configuration. It is the single
// errors.As target for every configuration error of the module: the csp,
// hsts and hpkp packages, Validate, FromHeader, the engine's configuration
// decoder (secureheaders.ParseConfig) and its
// options all return *Error values, joined with errors.Join when there are
// several (use AllErrors to range over them).
//
// Its four fields are plain strings:
//
//   - Path locates the problem, relative to what was validated: the leaf
//     packages give "script-src[2]", "max-age" or "pins[1].sha256"; Validate
//     prefixes the header, "csp.script-src[2]", "hsts.preload",
//     "x-frame-options"; the configuration decoder gives the JSON path,
//     "update.HSTS.max-age", "routes./embed/.update.CSP.script-src[0]". It is
//     empty for a problem with the input as a whole.
//   - Value is the offending text as written, or empty.
//   - Reason says what is wrong.
//   - Fix, when not empty, says what to write instead.
//
// Error() renders one line, "<path>: <reason> <value> (<fix>)", leaving out
// the parts that are empty; Value is always quoted, and Path is quoted when
// it holds anything but printable ASCII, so control bytes never reach a log
// line unescaped:
//
//	csp.script-src[2]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)
//
// An *Error is plain data, not modified after it is returned, and safe to
// share between goroutines.
type Error = cfgerr.Error

// AllErrors yields every *Error in err (a joined error from Validate,
// secureheaders.ParseConfig, …), depth first and in order. An error in the tree that is
// not an *Error is yielded as one whose Reason is its text. A nil err yields
// nothing.
func AllErrors(err error) iter.Seq[*Error] { return cfgerr.All(err) }
