package directive

import (
	"strconv"
	"strings"
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

// FormatError is the Error method of the error types of the packages that
// use Scan: it returns "<header>.<path>: <reason> (<fix>)", leaving out the
// parts that are empty, with header the package's short name ("hsts").
// The parts are written as they are: the caller keeps them printable.
func FormatError(header, path, reason, fix string) string {
	var b strings.Builder
	b.Grow(len(header) + len(path) + len(reason) + len(fix) + 6)
	b.WriteString(header)
	if path != "" {
		b.WriteByte('.')
		b.WriteString(path)
	}
	if reason != "" {
		b.WriteString(": ")
		b.WriteString(reason)
	}
	if fix != "" {
		b.WriteString(" (")
		b.WriteString(fix)
		b.WriteByte(')')
	}
	return b.String()
}
