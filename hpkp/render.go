package hpkp

import (
	"strconv"
	"time"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// Header names.
const (
	headerEnforce    = "Public-Key-Pins"
	headerReportOnly = "Public-Key-Pins-Report-Only"
)

// HeaderName returns the name of the header that carries p:
// "Public-Key-Pins-Report-Only" when ReportOnly is set, else
// "Public-Key-Pins". It is safe for concurrent use.
func (p Policy) HeaderName() string {
	if p.ReportOnly {
		return headerReportOnly
	}
	return headerEnforce
}

// String renders p as a header value: the pins first, in the given order,
// then max-age, includeSubDomains and report-uri:
//
//	pin-sha256="…"; pin-sha256="…"; max-age=5184000; includeSubDomains; report-uri="…"
//
// Hashes and the report URI are written as quoted-strings (RFC 7469 §2.1),
// with '"' and '\' escaped by a backslash. max-age is MaxAge in whole
// seconds, truncated toward zero; includeSubDomains and report-uri are left
// out when false or empty.
//
// String does not validate, but whatever p holds its output cannot split
// or extend the header: in an algorithm, a byte that is not a token byte is
// percent-encoded (%XX), and so is, in a quoted value, a byte outside
// visible ASCII and space. A valid policy needs none of that and
// round-trips through [Parse] (but for ReportOnly, which is in the header
// name). String is safe for concurrent use.
func (p Policy) String() string {
	n := len("max-age=; includeSubDomains; report-uri=\"\"") + 20 + len(p.ReportURI)
	for _, pin := range p.Pins {
		n += len(`pin-=""; `) + len(pin.Alg) + len(pin.Hash)
	}
	b := make([]byte, 0, n)
	for _, pin := range p.Pins {
		b = append(b, pinPrefix...)
		b = appendToken(b, pin.Alg)
		b = append(b, '=')
		b = appendQuoted(b, pin.Hash)
		b = append(b, "; "...)
	}
	b = append(b, "max-age="...)
	b = strconv.AppendInt(b, int64(p.MaxAge/time.Second), 10)
	if p.IncludeSubDomains {
		b = append(b, "; includeSubDomains"...)
	}
	if p.ReportURI != "" {
		b = append(b, "; report-uri="...)
		b = appendQuoted(b, p.ReportURI)
	}
	return string(b)
}

// appendToken appends s with every byte that is not a token byte
// percent-encoded.
func appendToken(b []byte, s string) []byte {
	if headerval.IsToken(s) {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		if headerval.IsToken(s[i : i+1]) {
			b = append(b, s[i])
		} else {
			b = appendPercent(b, s[i])
		}
	}
	return b
}

// appendQuoted appends s as a quoted-string: '"' and '\' are escaped with
// a backslash and bytes outside visible ASCII and space are percent-encoded.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c > '~':
			b = appendPercent(b, c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendPercent(b []byte, c byte) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '%', hex[c>>4], hex[c&0xF])
}
