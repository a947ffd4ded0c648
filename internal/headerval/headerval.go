// Package headerval holds the byte-class checks that every header-producing
// package of secureheaders shares: what may appear in a header value, what is an
// RFC 9110 token, and what is base64.
//
// Every function is pure, allocation-free and safe for concurrent use.
package headerval

import (
	"errors"
	"fmt"
)

// class bits for the lookup table.
const (
	visible uint8 = 1 << iota // VCHAR: 0x21-0x7E
	tchar                     // RFC 9110 token character
	b64std                    // base64 alphabet (RFC 4648 §4), without '='
	b64url                    // base64url alphabet (RFC 4648 §5), without '='
)

var class = func() (t [256]uint8) {
	for c := 0x21; c <= 0x7e; c++ {
		t[c] |= visible
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= tchar | b64std | b64url
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= tchar | b64std | b64url
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= tchar | b64std | b64url
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] |= tchar
	}
	t['+'] |= b64std
	t['/'] |= b64std
	t['-'] |= b64url
	t['_'] |= b64url
	return t
}()

// ErrEmpty reports an empty value where one is required.
var ErrEmpty = errors.New("empty value")

// ByteError reports a byte that is not allowed at an offset of a value.
type ByteError struct {
	Offset int
	Byte   byte
}

func (e *ByteError) Error() string {
	return fmt.Sprintf("byte %q at offset %d is not allowed (header injection or non-visible ASCII)", e.Byte, e.Offset)
}

// CheckValue reports whether s may be sent as (part of) a header value:
// visible ASCII and spaces only. CR, LF, NUL, tabs, other controls and bytes
// above 0x7E return a *ByteError. An empty s is allowed.
func CheckValue(s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; class[c]&visible == 0 && c != ' ' {
			return &ByteError{Offset: i, Byte: c}
		}
	}
	return nil
}

// CheckAtom reports whether s is one non-empty item of a list-valued header:
// visible ASCII with no space, ';' or ','. Those three would split the item
// or inject another directive, so they return a *ByteError like control bytes.
func CheckAtom(s string) error {
	if s == "" {
		return ErrEmpty
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if class[c]&visible == 0 || c == ';' || c == ',' {
			return &ByteError{Offset: i, Byte: c}
		}
	}
	return nil
}

// IsToken reports whether s is a non-empty RFC 9110 token.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&tchar == 0 {
			return false
		}
	}
	return true
}

// IsBase64 reports whether s is non-empty base64 in the standard or the URL
// alphabet (not mixed), with at most two '=' padding bytes at the end.
// Length is not checked against padding: CSP nonces are compared as strings.
func IsBase64(s string) bool {
	n := len(s)
	for n > 0 && len(s)-n < 2 && s[n-1] == '=' {
		n--
	}
	if n == 0 {
		return false
	}
	var seen uint8 = b64std | b64url
	for i := 0; i < n; i++ {
		seen &= class[s[i]]
		if seen == 0 {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is a non-empty run of ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
