package directive

import (
	"errors"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// QuoteByte formats c for a message: '\r', ';' or 0xC2 (bytes above 0x7F
// in hex, so no invalid UTF-8 reaches a log line).
func QuoteByte(c byte) string {
	if c >= 0x80 {
		const hex = "0123456789ABCDEF"
		return "0x" + string([]byte{hex[c>>4], hex[c&15]})
	}
	return strconv.QuoteRune(rune(c))
}

// GotError returns the error at path whose reason ends with "got",
// followed by value, the offending text, in the error's Value. An empty
// value cannot be shown quoted (cfgerr leaves an empty Value out), so the
// reason says "got an empty value" instead.
func GotError(path, reason, value, fix string) *cfgerr.Error {
	if value == "" {
		reason += " an empty value"
	}
	return cfgerr.New(path, value, reason, fix)
}

// CutPrefixFold is strings.CutPrefix with ASCII case folding: it returns s
// without prefix and true, or s and false.
func CutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// ByteProblem says which byte of a value headerval refused, and where; for
// any other error, its text.
func ByteProblem(err error) string {
	var be *headerval.ByteError
	if errors.As(err, &be) {
		return "byte " + QuoteByte(be.Byte) + " at offset " + strconv.Itoa(be.Offset) + " is not allowed"
	}
	return err.Error()
}
