package hpkp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// item is one "name[=value]" directive of a header value.
type item struct {
	name     string // lower case
	raw      string // name as written
	value    string // unquoted
	hasValue bool   // "=" was present, even with an empty value
	quoted   bool   // value was a quoted-string
	broken   bool   // value could not be read; the error is already reported
}

// scan splits h into directives (RFC 7469 §2.1):
//
//	value     = [ directive ] *( OWS ";" OWS [ directive ] )
//	directive = token [ OWS "=" OWS ( token / quoted-string ) ]
//
// Empty directives are skipped. It checks the names; the
// rules for each value are the caller's. After a syntax error it resumes at
// the next ';' so that one call reports every problem.
func scan(h string) ([]item, []error) {
	if err := checkBytes(h); err != nil {
		return nil, []error{err}
	}
	var (
		items []item
		errs  []error
		n     = len(h)
		i     = 0
	)
	for {
		i = skipOWS(h, i)
		if i >= n {
			return items, errs
		}
		switch h[i] {
		case ';':
			i++
			continue
		case ',':
			errs = append(errs, commaError(i))
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
				reason = fmt.Sprintf("expected a directive name at offset %d, found %s", start, quoteByte(h[start]))
			}
			errs = append(errs, &Error{Reason: reason, Fix: "write name or name=value, separated by ';'"})
			i = resync(h, i)
			continue
		}
		it := item{name: strings.ToLower(name), raw: name}
		j := skipOWS(h, i)
		if j < n && h[j] == '=' {
			it.hasValue = true
			i = skipOWS(h, j+1)
			if i < n && h[i] == '"' {
				v, end, err := unquote(h, i)
				if err != nil {
					it.broken = true
					return append(items, it), append(errs, err)
				}
				it.value, it.quoted, i = v, true, end
			} else {
				vs := i
				for i < n && !isValueEnd(h[i]) {
					i++
				}
				it.value = h[vs:i]
			}
			j = skipOWS(h, i)
		}
		items = append(items, it)
		i = j
		if i < n && h[i] != ';' && h[i] != ',' {
			errs = append(errs, &Error{
				Reason: fmt.Sprintf("unexpected %s at offset %d after %s", quoteByte(h[i]), i, name),
				Fix:    "separate directives with ';'",
			})
			i = resync(h, i)
		}
	}
}

// checkBytes refuses every byte that is not visible ASCII, a space or a tab.
func checkBytes(h string) error {
	for base := 0; ; {
		err := headerval.CheckValue(h[base:])
		var be *headerval.ByteError
		if !errors.As(err, &be) {
			return nil
		}
		if be.Byte != '\t' {
			return &Error{
				Reason: fmt.Sprintf("byte %s at offset %d is not allowed in a header value", quoteByte(be.Byte), base+be.Offset),
				Fix:    "remove it: a header value is visible ASCII, spaces and tabs; CR, LF and NUL can split or cut the header",
			}
		}
		base += be.Offset + 1
	}
}

// quoteByte formats c for a message: '\r', ';' or 0xC2.
func quoteByte(c byte) string {
	if c >= 0x80 {
		return fmt.Sprintf("0x%02X", c)
	}
	return strconv.QuoteRune(rune(c))
}

func commaError(off int) error {
	return &Error{
		Reason: fmt.Sprintf("comma at offset %d: two Public-Key-Pins headers were folded into one", off),
		Fix:    "send the header once; separate directives with ';'",
	}
}

// unquote reads the quoted-string that starts at h[i] == '"'. It returns
// the content with quoted-pairs resolved and the offset after the closing
// quote.
func unquote(h string, i int) (string, int, error) {
	escaped := false
	for k := i + 1; k < len(h); k++ {
		switch h[k] {
		case '"':
			s := h[i+1 : k]
			if escaped {
				s = unescape(s)
			}
			return s, k + 1, nil
		case '\\':
			escaped = true
			k++
		}
	}
	return "", len(h), &Error{
		Reason: fmt.Sprintf("quoted-string at offset %d has no closing quote", i),
		Fix:    `end it with '"'; write \" for a quote inside it`,
	}
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
			_, end, err := unquote(h, i)
			if err != nil {
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

// suggest returns the name in known that s most likely misspells, or "".
// Case, '-' and '_' are ignored, then up to two edits are allowed.
func suggest(s string, known []string) string {
	ns := normalize(s)
	if len(ns) > 64 {
		return ""
	}
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(ns, normalize(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

var dropSeparators = strings.NewReplacer("-", "", "_", "")

func normalize(s string) string {
	return dropSeparators.Replace(strings.ToLower(s))
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
