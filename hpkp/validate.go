package hpkp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// sha256 is the one algorithm RFC 7469 defines.
const sha256 = "sha256"

// Validate reports every problem that makes p unfit to send, each a
// *policy.Error (the module's one configuration error type) joined with
// [errors.Join], or nil. Paths are relative to the header. In order:
//
//   - fewer than two distinct pins (path "pins"): RFC 7469 §4.3 requires a
//     backup pin, for a key that is not in the served chain;
//   - for each pin i, path "pins[i].<alg>": an algorithm other than
//     "sha256" (exact, lower case), or a hash that is not standard base64
//     (RFC 4648 §4, padded, canonical) of exactly 32 bytes; the reason
//     names the likely mistake (base64url, hex, missing padding, another
//     digest size);
//   - a negative MaxAge, or one between 0 and 1s, which truncates to
//     max-age=0 and is nearly always seconds written as a bare number, a
//     Duration of nanoseconds (path "max-age");
//   - a ReportURI with a byte a URI cannot hold unencoded (space, control,
//     non-ASCII, '"', '\', '<', '>', '^', '`', '{', '|', '}') or with ';'
//     or ',', which many header parsers split on even inside quotes; or one
//     that is not an absolute or relative URI-reference (path "report-uri").
//
// An empty ReportURI is valid and sends no report-uri. Validate is safe for
// concurrent use.
func (p Policy) Validate() error {
	var errs []error
	if err := checkPinCount(p.Pins); err != nil {
		errs = append(errs, err)
	}
	for i, pin := range p.Pins {
		errs = append(errs, checkPin(i, pin)...)
	}
	switch {
	case p.MaxAge < 0:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  p.MaxAge.String(),
			Reason: "negative duration",
			Fix:    "use a positive duration, or 0 to make browsers forget the pins",
		})
	case p.MaxAge > 0 && p.MaxAge < time.Second:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  p.MaxAge.String(),
			Reason: "a MaxAge under one second truncates to max-age=0 and makes browsers forget the pins; got",
			Fix:    fmt.Sprintf("did you mean %d * time.Second? MaxAge is a time.Duration, not seconds", int64(p.MaxAge)),
		})
	}
	if err := checkReportURI(p.ReportURI); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkPinCount(pins []Pin) error {
	distinct := make(map[Pin]struct{}, len(pins))
	for _, pin := range pins {
		distinct[pin] = struct{}{}
	}
	var reason string
	switch len(distinct) {
	case 0:
		reason = "no pins"
	case 1:
		reason = "only one distinct pin"
	default:
		return nil
	}
	return &cfgerr.Error{
		Path:   "pins",
		Reason: reason + "; RFC 7469 §4.3 requires a backup pin, so at least two",
		Fix:    "add the pin-sha256 of a backup key that is kept offline, not in the served certificate chain",
	}
}

const hashFix = "set it to the base64 SHA-256 digest of the key's SubjectPublicKeyInfo: " +
	"openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64"

func checkPin(i int, pin Pin) []error {
	path := pinPath(i, pin.Alg)
	var errs []error
	switch {
	case pin.Alg == sha256:
	case pin.Alg == "":
		return []error{&cfgerr.Error{Path: path, Reason: "the pin names no hash algorithm", Fix: `set Alg to "sha256"`}}
	case isSHA256Misspelt(pin.Alg):
		errs = append(errs, &cfgerr.Error{Path: path, Value: pin.Alg, Reason: "the algorithm must be written \"sha256\", got", Fix: `did you mean "sha256"?`})
	default:
		return []error{&cfgerr.Error{
			Path:   path,
			Value:  pin.Alg,
			Reason: "RFC 7469 defines only the algorithm \"sha256\", got",
			Fix:    `pin the SHA-256 digest of the SubjectPublicKeyInfo, with Alg "sha256"`,
		}}
	}
	if value, reason, fix := checkHash(pin.Hash); reason != "" {
		errs = append(errs, &cfgerr.Error{Path: path, Value: value, Reason: reason, Fix: fix})
	}
	return errs
}

// isSHA256Misspelt reports whether alg is "sha256" but for case, '-' and
// '_' ("SHA256", "sha-256"). The exact spelling also returns true.
func isSHA256Misspelt(alg string) bool {
	return strings.ToLower(separators.Replace(alg)) == sha256
}

var separators = strings.NewReplacer("-", "", "_", "")

// checkHash returns why h is not the standard base64 of a SHA-256 digest,
// the text to show with the reason (h, or "") and how to fix it; reason is
// "" when h is fine.
func checkHash(h string) (value, reason, fix string) {
	if h == "" {
		return "", "the hash is empty", hashFix
	}
	if !headerval.IsBase64(h) {
		return h, "the hash is not base64:", hashFix
	}
	if strings.ContainsAny(h, "-_") {
		return "", "the hash uses the base64url alphabet ('-', '_')", "use standard base64: replace '-' with '+' and '_' with '/'"
	}
	if len(h) == 64 && strings.Trim(h, "0123456789abcdefABCDEF") == "" {
		return "", "the hash is hex, 64 digits", "encode the 32 digest bytes in base64, not hex: openssl dgst -sha256 -binary | base64"
	}
	b, err := base64.StdEncoding.Strict().DecodeString(h)
	if err != nil {
		if raw, rerr := base64.RawStdEncoding.Strict().DecodeString(h); rerr == nil && len(raw) == 32 {
			return "", "the hash lacks its '=' padding", fmt.Sprintf("write %q", h+"=")
		}
		return h, fmt.Sprintf("the hash is not canonical padded base64 (%v):", err), hashFix
	}
	if len(b) != 32 {
		return "", fmt.Sprintf("the hash decodes to %d bytes; a SHA-256 digest is 32", len(b)),
			"pin the SHA-256 digest of the SubjectPublicKeyInfo, not another digest or the key itself"
	}
	return "", "", ""
}

// uriUnsafe are the visible ASCII bytes that RFC 3986 does not allow in a
// URI; headerval.CheckAtom refuses the rest (space, ';', ',', controls).
const uriUnsafe = "\"<>\\^`{|}"

func checkReportURI(u string) error {
	if u == "" {
		return nil
	}
	off, c := -1, byte(0)
	var be *headerval.ByteError
	if err := headerval.CheckAtom(u); errors.As(err, &be) {
		off, c = be.Offset, be.Byte
	} else if i := strings.IndexAny(u, uriUnsafe); i >= 0 {
		off, c = i, u[i]
	}
	if off >= 0 {
		return &cfgerr.Error{
			Path:   reportURIName,
			Value:  u,
			Reason: fmt.Sprintf("byte %s at offset %d is not allowed in the URI", directive.QuoteByte(c), off),
			Fix:    fmt.Sprintf("percent-encode it as %%%02X", c),
		}
	}
	if _, err := url.Parse(u); err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &cfgerr.Error{
			Path:   reportURIName,
			Value:  u,
			Reason: fmt.Sprintf("not a URI-reference (%v):", err),
			Fix:    "use an absolute URI such as https://example.com/hpkp-report",
		}
	}
	return nil
}
