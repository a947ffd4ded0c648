package csp

import "strconv"

// String returns the kind's name in lower case ("keyword", "nonce slot",
// "host"), or "Kind(n)" for a value outside the constants.
func (k Kind) String() string {
	switch k {
	case Keyword:
		return "keyword"
	case NonceSlot:
		return "nonce slot"
	case Nonce:
		return "nonce"
	case Hash:
		return "hash"
	case Host:
		return "host"
	case Scheme:
		return "scheme"
	case Token:
		return "token"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
