package csp

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// digestSize returns the digest length in bytes of a CSP hash algorithm
// (lower case), or 0 when CSP does not accept it.
func digestSize(alg string) int {
	switch alg {
	case "sha256":
		return sha256.Size
	case "sha384":
		return sha512.Size384
	case "sha512":
		return sha512.Size
	}
	return 0
}

// hashPrefix splits "<alg>-<digest>" when alg looks like a hash algorithm
// ("sha" and digits, or "md5"), returning alg lower-cased.
func hashPrefix(s string) (alg, digest string, ok bool) {
	i := strings.IndexByte(s, '-')
	if i < 0 {
		return "", "", false
	}
	alg = lower(s[:i])
	if alg == "md5" || len(alg) > 3 && alg[:3] == "sha" && headerval.IsDigits(alg[3:]) {
		return alg, s[i+1:], true
	}
	return "", "", false
}

// parseHash checks the digest of hash source s, which is inner with or
// without quotes, and returns the Hash.
func parseHash(s, inner, alg, digest string) (Source, error) {
	size := digestSize(alg)
	if size == 0 {
		return Source{}, &cfgerr.Error{Value: s, Reason: "unsupported hash algorithm " + alg,
			Fix: "CSP accepts sha256, sha384 and sha512; see HashSource"}
	}
	if n, ok := decodedLen(digest); !ok {
		return Source{}, &cfgerr.Error{Value: s, Reason: "hash digest is not base64",
			Fix: "paste the base64 digest exactly, as HashSource prints it"}
	} else if n != size {
		return Source{}, &cfgerr.Error{Value: s,
			Reason: alg + " digest has " + strconv.Itoa(n) + " bytes, want " + strconv.Itoa(size),
			Fix:    "paste the whole digest, as HashSource prints it"}
	}
	if inner[:len(alg)] == alg {
		return Source{Hash, inner}, nil // already canonical: no concatenation
	}
	return Source{Hash, alg + "-" + digest}, nil
}

// decodedLen decodes base64 or base64url d, padded or not, strictly (no
// stray bits, correct padding), and returns how many bytes it holds.
// Digests longer than a SHA-512 one are reported by length without
// decoding.
func decodedLen(d string) (int, bool) {
	if !headerval.IsBase64(d) {
		return 0, false
	}
	body := strings.TrimRight(d, "=")
	if pad := len(d) - len(body); pad > 0 && (len(d)%4 != 0 || (len(body)%4 == 2) != (pad == 2)) {
		return 0, false
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(body, "-_") {
		enc = base64.RawURLEncoding
	}
	var buf [sha512.Size + 3]byte
	if enc.DecodedLen(len(body)) > len(buf) {
		return enc.DecodedLen(len(body)), true
	}
	n, err := enc.Strict().Decode(buf[:], []byte(body))
	return n, err == nil
}

// HashSource returns the hash source that allows an inline script or style
// whose text is exactly content: HashSource("sha256", []byte("alert(1)"))
// renders as 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='. The
// digest is standard base64 with padding. alg is "sha256", "sha384" or
// "sha512", ASCII case-insensitive; anything else returns a *policy.Error. Content
// is hashed as given: browsers hash the element's text exactly, whitespace
// included. HashSource is safe for concurrent use.
func HashSource(alg string, content []byte) (Source, error) {
	a := lower(alg)
	var h hash.Hash
	switch a {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		e := &cfgerr.Error{Value: alg, Reason: "unsupported hash algorithm",
			Fix: "CSP accepts sha256, sha384 and sha512"}
		if c := closest(strings.ReplaceAll(a, "-", ""), []string{"sha256", "sha384", "sha512"}); c != "" {
			e.Fix = didYouMean(c)
		}
		return Source{}, e
	}
	h.Write(content)
	return Source{Hash, a + "-" + base64.StdEncoding.EncodeToString(h.Sum(nil))}, nil
}
