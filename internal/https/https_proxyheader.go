package https

import (
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// httpsFirstValue returns the first comma-separated element of a header
// value, without surrounding spaces and tabs.
func httpsFirstValue(v string) string {
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return trimSpaceTab(v)
}

// httpsLastValue returns the last comma-separated element of a header
// value, without surrounding spaces and tabs.
func httpsLastValue(v string) string {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return trimSpaceTab(v)
}

// trimSpaceTab is strings.Trim(v, " \t") without building a cutset on
// every call (it is on every proxied request's path).
func trimSpaceTab(v string) string {
	for v != "" && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for v != "" && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	return v
}

// httpsLastForwardedElement returns the last element of an RFC 7239
// Forwarded value: what follows the last ',' outside a quoted-string. It
// reports false for an unterminated quoted-string, where the elements
// cannot be told apart.
func httpsLastForwardedElement(v string) (string, bool) {
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == ',':
			start = i + 1
		}
	}
	return v[start:], !quoted
}

// httpsForwardedProto reports whether the first element of an RFC 7239
// Forwarded value has proto=https (token or quoted-string, case-insensitive).
// A malformed element, or one with proto twice, reports false.
func httpsForwardedProto(v string) bool {
	i, found, https := 0, false, false
	for {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ';') {
			i++
		}
		if i == len(v) || v[i] == ',' {
			return found && https
		}
		start := i
		for i < len(v) && headerval.IsToken(v[i:i+1]) {
			i++
		}
		name := v[start:i]
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if name == "" || i == len(v) || v[i] != '=' {
			return false
		}
		i++
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		var isHTTPS bool
		if i < len(v) && v[i] == '"' {
			var ok bool
			if i, isHTTPS, ok = httpsQuotedIsHTTPS(v, i); !ok {
				return false
			}
		} else {
			start = i
			for i < len(v) && v[i] > ' ' && v[i] < 0x7F && v[i] != ';' && v[i] != ',' && v[i] != '"' {
				i++
			}
			isHTTPS = strings.EqualFold(v[start:i], "https")
		}
		if strings.EqualFold(name, "proto") {
			if found {
				return false
			}
			found, https = true, isHTTPS
		}
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if i < len(v) && v[i] != ';' && v[i] != ',' {
			return false
		}
	}
}

// httpsQuotedIsHTTPS reads the quoted-string starting at v[i] == '"'. It
// returns the index after the closing quote, whether the unescaped content is
// "https" (case-insensitive), and false if the string is not terminated.
func httpsQuotedIsHTTPS(v string, i int) (next int, isHTTPS, ok bool) {
	const want = "https"
	n, match := 0, true
	for i++; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			return i + 1, match && n == len(want), true
		case c == '\\':
			if i++; i == len(v) {
				return 0, false, false
			}
			c = v[i]
		case c < ' ' && c != '\t' || c == 0x7F:
			return 0, false, false
		}
		if n >= len(want) || c|0x20 != want[n] {
			match = false
		}
		n++
	}
	return 0, false, false
}
