package directive

import (
	"errors"
	"fmt"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// Item is one "name[=value]" directive of a header value. The zero Item is
// a directive with an empty name, which Scan never returns.
type Item struct {
	// Name is the directive name in lower case, for matching.
	Name string
	// Raw is the name as written, for messages.
	Raw string
	// Value is the value with quotes and quoted-pairs resolved.
	Value string
	// HasValue reports that "=" was present, even with an empty value.
	HasValue bool
	// Quoted reports that the value was a quoted-string.
	Quoted bool
	// Broken reports that the value could not be read (a quoted-string
	// without its closing quote); the Problem is already reported and Value
	// is empty.
	Broken bool
}

// Problem is one syntax error that Scan or CheckBytes found. Reason and Fix
// are complete sentences for a user (Fix may be empty); Offset is the byte
// offset in the header value where the problem is, which Reason also
// states. A Problem is plain data.
type Problem struct {
	Offset int
	Reason string
	Fix    string
}

// Scan splits h into directives by the grammar of the package comment.
// header is the header's name, used in messages ("two Public-Key-Pins
// headers were folded into one").
//
// Empty directives (";;") and spaces and tabs around ';' and '=' are
// allowed. Scan checks that each name is a token; what the names and values
// mean is the caller's. After a syntax error it resumes at the next ';' or
// ',' outside a quoted-string, so that one call reports every problem, in
// the order found. A quoted-string without its closing quote ends the scan:
// that directive is returned with Broken set.
//
// If h holds a byte other than visible ASCII, space and tab, Scan returns
// no items and only the Problem of [CheckBytes]. So no Item ever holds CR,
// LF, NUL or another control byte. Scan is safe for concurrent use.
func Scan(h, header string) ([]Item, []Problem) {
	if p := CheckBytes(h); p != nil {
		return nil, []Problem{*p}
	}
	var (
		items []Item
		probs []Problem
		n     = len(h)
		i     = 0
	)
	for {
		i = skipOWS(h, i)
		if i >= n {
			return items, probs
		}
		switch h[i] {
		case ';':
			i++
			continue
		case ',':
			probs = append(probs, Problem{
				Offset: i,
				Reason: fmt.Sprintf("comma at offset %d: two %s headers were folded into one", i, header),
				Fix:    "send the header once; separate directives with ';'",
			})
			i++
			continue
		}
		start := i
		for i < n && !isNameEnd(h[i]) {
			i++
		}
		name := h[start:i]
		if !headerval.IsToken(name) {
			reason := fmt.Sprintf("directive name %q at offset %d is not a token", name, start)
			if name == "" {
				reason = fmt.Sprintf("expected a directive name at offset %d, found %s", start, QuoteByte(h[start]))
			}
			probs = append(probs, Problem{Offset: start, Reason: reason, Fix: "write name or name=value, separated by ';'"})
			i = resync(h, i)
			continue
		}
		it := Item{Name: strings.ToLower(name), Raw: name}
		j := skipOWS(h, i)
		if j < n && h[j] == '=' {
			it.HasValue = true
			i = skipOWS(h, j+1)
			if i < n && h[i] == '"' {
				v, end, ok := unquote(h, i)
				if !ok {
					it.Broken = true
					return append(items, it), append(probs, Problem{
						Offset: i,
						Reason: fmt.Sprintf("quoted-string at offset %d has no closing quote", i),
						Fix:    `end it with '"'; write \" for a quote inside it`,
					})
				}
				it.Value, it.Quoted, i = v, true, end
			} else {
				vs := i
				for i < n && !isValueEnd(h[i]) {
					i++
				}
				it.Value = h[vs:i]
			}
			j = skipOWS(h, i)
		}
		items = append(items, it)
		i = j
		if i < n && h[i] != ';' && h[i] != ',' {
			probs = append(probs, Problem{
				Offset: i,
				Reason: fmt.Sprintf("unexpected %s at offset %d after %s", QuoteByte(h[i]), i, name),
				Fix:    "separate directives with ';'",
			})
			i = resync(h, i)
		}
	}
}

// CheckBytes returns the Problem of the first byte of h that is not visible
// ASCII, a space or a tab, or nil. CR, LF and NUL are among those refused.
func CheckBytes(h string) *Problem {
	for base := 0; ; {
		err := headerval.CheckValue(h[base:])
		var be *headerval.ByteError
		if !errors.As(err, &be) {
			return nil
		}
		if be.Byte != '\t' {
			off := base + be.Offset
			return &Problem{
				Offset: off,
				Reason: fmt.Sprintf("byte %s at offset %d is not allowed in a header value", QuoteByte(be.Byte), off),
				Fix:    "remove it: a header value is visible ASCII, spaces and tabs; CR, LF and NUL can split or cut the header",
			}
		}
		base += be.Offset + 1
	}
}

// unquote reads the quoted-string that starts at h[i] == '"'. It returns
// the content with quoted-pairs resolved and the offset after the closing
// quote, or ok false when there is no closing quote.
func unquote(h string, i int) (s string, end int, ok bool) {
	escaped := false
	for k := i + 1; k < len(h); k++ {
		switch h[k] {
		case '"':
			s := h[i+1 : k]
			if escaped {
				s = unescape(s)
			}
			return s, k + 1, true
		case '\\':
			escaped = true
			k++
		}
	}
	return "", len(h), false
}

// unescape resolves the quoted-pairs of s, which ends in no lone backslash.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// resync returns the offset of the next ';' or ',' at or after i that is
// outside a quoted-string, or len(h).
func resync(h string, i int) int {
	for i < len(h) {
		switch h[i] {
		case ';', ',':
			return i
		case '"':
			_, end, ok := unquote(h, i)
			if !ok {
				return len(h)
			}
			i = end
			continue
		}
		i++
	}
	return len(h)
}

func skipOWS(h string, i int) int {
	for i < len(h) && (h[i] == ' ' || h[i] == '\t') {
		i++
	}
	return i
}

func isNameEnd(c byte) bool {
	return c == '=' || isValueEnd(c)
}

func isValueEnd(c byte) bool {
	return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '"'
}
