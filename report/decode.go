package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"strings"
	"time"
	"unicode/utf8"
)

// Media types of report bodies.
const (
	reportMediaLegacy = "application/csp-report"
	reportMediaBatch  = "application/reports+json"
	reportMediaJSON   = "application/json"
)

// ErrMediaType is returned by [Decode] for a Content-Type that is
// not application/csp-report, application/reports+json or application/json
// (or that does not parse as a media type). Handler answers it with 415.
var ErrMediaType = errors.New("unsupported report media type: send application/reports+json, application/csp-report or application/json")

// ErrMalformed is matched (with errors.Is) by every error
// [Decode] returns for a body that is not a report in the announced
// format: invalid JSON, the wrong shape, a field of the wrong JSON type.
// Handler answers it with 400.
var ErrMalformed = errors.New("malformed report body")

// reportMalformedError is a malformed body with its reason; the message is
// built only when someone asks for it, so a flood of bad bodies costs no
// formatting.
type reportMalformedError struct {
	reason string
	err    error // may be nil
}

// Error returns "malformed report body: reason[: cause]".
func (e *reportMalformedError) Error() string {
	if e.err == nil {
		return ErrMalformed.Error() + ": " + e.reason
	}
	return ErrMalformed.Error() + ": " + e.reason + ": " + e.err.Error()
}

func (e *reportMalformedError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.err}
}

// reportFormat is what a media type announces.
type reportFormat uint8

const (
	reportFormatNone   reportFormat = iota
	reportFormatLegacy              // {"csp-report": {…}}
	reportFormatBatch               // [{"type": …, "body": …}, …]
	reportFormatEither              // application/json: decided by the first byte
)

// reportFormatOf maps a Content-Type header value to a format. The common
// exact spellings skip mime.ParseMediaType; anything else is parsed, so case
// and parameters (charset=utf-8) do not matter.
func reportFormatOf(contentType string) reportFormat {
	switch contentType {
	case reportMediaLegacy:
		return reportFormatLegacy
	case reportMediaBatch:
		return reportFormatBatch
	case reportMediaJSON:
		return reportFormatEither
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return reportFormatNone
	}
	switch mt {
	case reportMediaLegacy:
		return reportFormatLegacy
	case reportMediaBatch:
		return reportFormatBatch
	case reportMediaJSON:
		return reportFormatEither
	}
	return reportFormatNone
}

// Decode parses a report body sent with the given Content-Type header
// value and returns the reports it holds, normalised as described on
// [Report].
//
//   - application/csp-report: one legacy report, {"csp-report": {…}}.
//   - application/reports+json: a JSON array of Reporting API reports; only
//     the first 100 are decoded, the rest of the array is ignored unread.
//     An empty array returns no reports and no error.
//   - application/json: either shape, told apart by the first byte.
//
// Media type parameters are ignored. An unsupported media type returns
// [ErrMediaType]; a body that does not fit its format returns an
// error matching [ErrMalformed]. On error the slice is nil.
//
// Decode is pure and safe for concurrent use; the reports do not
// alias body.
func Decode(contentType string, body []byte) ([]Report, error) {
	return decodeReportsAs(reportFormatOf(contentType), body)
}

// decodeReportsAs is Decode once the media type is known.
func decodeReportsAs(format reportFormat, body []byte) ([]Report, error) {
	if format == reportFormatNone {
		return nil, ErrMediaType
	}
	if format == reportFormatEither {
		switch reportFirstByte(body) {
		case '{':
			format = reportFormatLegacy
		case '[':
			format = reportFormatBatch
		default:
			return nil, &reportMalformedError{reason: "want a JSON object or array"}
		}
	}
	if format == reportFormatLegacy {
		r, err := decodeReportLegacy(body)
		if err != nil {
			return nil, err
		}
		return []Report{r}, nil
	}
	return decodeReportBatch(body)
}

// reportFirstByte returns the first byte of b that is not JSON white space,
// or 0.
func reportFirstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// reportLegacyBody is the "csp-report" member of a report-uri body (CSP3,
// "obtain the deprecated serialization of violation").
type reportLegacyBody struct {
	DocumentURI        string `json:"document-uri"`
	Referrer           string `json:"referrer"`
	BlockedURI         string `json:"blocked-uri"`
	EffectiveDirective string `json:"effective-directive"`
	ViolatedDirective  string `json:"violated-directive"`
	OriginalPolicy     string `json:"original-policy"`
	Disposition        string `json:"disposition"`
	SourceFile         string `json:"source-file"`
	LineNumber         int64  `json:"line-number"`
	ColumnNumber       int64  `json:"column-number"`
	ScriptSample       string `json:"script-sample"`
	StatusCode         int64  `json:"status-code"`
}

func decodeReportLegacy(body []byte) (Report, error) {
	var doc struct {
		Report *reportLegacyBody `json:"csp-report"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return Report{}, &reportMalformedError{reason: "legacy report", err: err}
	}
	if doc.Report == nil {
		return Report{}, &reportMalformedError{reason: `no "csp-report" object`}
	}
	b := doc.Report
	r := Report{
		Type:               TypeCSP,
		URL:                b.DocumentURI,
		Referrer:           b.Referrer,
		BlockedURL:         b.BlockedURI,
		EffectiveDirective: b.EffectiveDirective,
		ViolatedDirective:  b.ViolatedDirective,
		OriginalPolicy:     b.OriginalPolicy,
		Disposition:        b.Disposition,
		SourceFile:         b.SourceFile,
		LineNumber:         reportInt(b.LineNumber),
		ColumnNumber:       reportInt(b.ColumnNumber),
		Sample:             b.ScriptSample,
		StatusCode:         reportInt(b.StatusCode),
	}
	r.normalise()
	return r, nil
}

// reportEnvelope is one report of a Reporting API upload ("serialize a list
// of reports to JSON").
type reportEnvelope struct {
	Age       int64           `json:"age"` // milliseconds
	Body      json.RawMessage `json:"body"`
	Type      string          `json:"type"`
	URL       string          `json:"url"`
	UserAgent string          `json:"user_agent"`
}

// reportCSPBody is the body of a Reporting API csp-violation report (CSP3
// CSPViolationReportBody).
type reportCSPBody struct {
	DocumentURL        string `json:"documentURL"`
	Referrer           string `json:"referrer"`
	BlockedURL         string `json:"blockedURL"`
	EffectiveDirective string `json:"effectiveDirective"`
	OriginalPolicy     string `json:"originalPolicy"`
	SourceFile         string `json:"sourceFile"`
	Sample             string `json:"sample"`
	Disposition        string `json:"disposition"`
	StatusCode         int64  `json:"statusCode"`
	LineNumber         int64  `json:"lineNumber"`
	ColumnNumber       int64  `json:"columnNumber"`
}

// reportMaxAgeMillis keeps Age*time.Millisecond inside an int64.
const reportMaxAgeMillis = math.MaxInt64 / int64(time.Millisecond)

func decodeReportBatch(body []byte) ([]Report, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return nil, &reportMalformedError{reason: "report batch", err: err}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &reportMalformedError{reason: "report batch is not a JSON array"}
	}
	var out []Report
	for dec.More() {
		if len(out) == reportMaxBatch {
			return out, nil // the rest is ignored unread
		}
		// One pass: the body is decoded straight into the csp-violation
		// fields. Only a report of another type, whose body is kept raw,
		// reads its element's bytes a second time.
		start := dec.InputOffset()
		var it reportItem
		err := dec.Decode(&it)
		var te *json.UnmarshalTypeError
		other := it.Type != "" && it.Type != TypeCSP
		if err != nil && !(other && errors.As(err, &te)) {
			return nil, &reportMalformedError{reason: "report in batch", err: err}
		}
		var r Report
		if other {
			var env reportEnvelope
			elem := bytes.TrimLeft(body[start:dec.InputOffset()], ", \t\r\n")
			if err := json.Unmarshal(elem, &env); err != nil {
				return nil, &reportMalformedError{reason: "report in batch", err: err}
			}
			r, err = reportFromEnvelope(&env)
		} else {
			r, err = reportFromItem(&it)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, &reportMalformedError{reason: "report batch", err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &reportMalformedError{reason: "data after the report batch"}
	}
	if out == nil {
		out = []Report{}
	}
	return out, nil
}

// reportItem is one report of a batch as decoded in one pass: a
// csp-violation's body lands in its fields.
type reportItem struct {
	Age       int64          `json:"age"` // milliseconds
	Body      *reportCSPBody `json:"body"`
	Type      string         `json:"type"`
	URL       string         `json:"url"`
	UserAgent string         `json:"user_agent"`
}

// reportFromItem converts a csp-violation (or untyped, refused) item.
func reportFromItem(it *reportItem) (Report, error) {
	if it.Type == "" {
		return Report{}, &reportMalformedError{reason: `report without a "type"`}
	}
	r := Report{
		Type:      it.Type,
		Age:       time.Duration(min(max(it.Age, 0), reportMaxAgeMillis)) * time.Millisecond,
		URL:       it.URL,
		UserAgent: it.UserAgent,
	}
	if it.Body != nil {
		r.setCSPBody(it.Body)
	}
	r.normalise()
	return r, nil
}

func reportFromEnvelope(env *reportEnvelope) (Report, error) {
	if env.Type == "" {
		return Report{}, &reportMalformedError{reason: `report without a "type"`}
	}
	age := max(env.Age, 0)
	age = min(age, reportMaxAgeMillis)
	r := Report{
		Type:      env.Type,
		Age:       time.Duration(age) * time.Millisecond,
		URL:       env.URL,
		UserAgent: env.UserAgent,
	}
	if r.Type != TypeCSP {
		r.Raw = env.Body
		r.normalise()
		return r, nil
	}
	var b reportCSPBody
	if len(env.Body) != 0 {
		if err := json.Unmarshal(env.Body, &b); err != nil {
			return Report{}, &reportMalformedError{reason: "csp-violation body", err: err}
		}
	}
	r.setCSPBody(&b)
	r.normalise()
	return r, nil
}

// setCSPBody copies the fields of a csp-violation body into r.
func (r *Report) setCSPBody(b *reportCSPBody) {
	if b.DocumentURL != "" {
		r.URL = b.DocumentURL
	}
	r.Referrer = b.Referrer
	r.BlockedURL = b.BlockedURL
	r.EffectiveDirective = b.EffectiveDirective
	r.OriginalPolicy = b.OriginalPolicy
	r.SourceFile = b.SourceFile
	r.Sample = b.Sample
	r.Disposition = b.Disposition
	r.StatusCode = reportInt(b.StatusCode)
	r.LineNumber = reportInt(b.LineNumber)
	r.ColumnNumber = reportInt(b.ColumnNumber)
}

// normalise applies the rules documented on Report: directive aliases, then
// the size caps.
func (r *Report) normalise() {
	if r.EffectiveDirective == "" && r.ViolatedDirective != "" {
		d := strings.TrimSpace(r.ViolatedDirective)
		if i := strings.IndexAny(d, " \t"); i >= 0 {
			d = d[:i]
		}
		r.EffectiveDirective = d
	}
	if r.ViolatedDirective == "" {
		r.ViolatedDirective = r.EffectiveDirective
	}
	t := &r.Truncated
	r.Type = reportClip(r.Type, t)
	r.URL = reportClip(r.URL, t)
	r.Referrer = reportClip(r.Referrer, t)
	r.BlockedURL = reportClip(r.BlockedURL, t)
	r.EffectiveDirective = reportClip(r.EffectiveDirective, t)
	r.ViolatedDirective = reportClip(r.ViolatedDirective, t)
	r.OriginalPolicy = reportClip(r.OriginalPolicy, t)
	r.Disposition = reportClip(r.Disposition, t)
	r.SourceFile = reportClip(r.SourceFile, t)
	r.Sample = reportClip(r.Sample, t)
	r.UserAgent = reportClip(r.UserAgent, t)
	r.Raw = reportClipRaw(r.Raw, t)
}

// reportClip returns s cut to reportMaxField bytes on a rune boundary, as a
// fresh copy so that the long original can be collected, and replaces
// invalid UTF-8. It sets *truncated when it cuts.
func reportClip(s string, truncated *bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= reportMaxField {
		return s
	}
	*truncated = true
	n := reportMaxField
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n])
}

// reportClipRaw returns raw compacted (no insignificant white space, so a
// body logs on one line), or nil (setting *truncated) when the result is
// longer than reportMaxRaw. A null body is nil.
func reportClipRaw(raw json.RawMessage, truncated *bool) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(min(len(raw), reportMaxRaw+1))
	if err := json.Compact(&buf, raw); err != nil || buf.Len() > reportMaxRaw {
		*truncated = true
		return nil
	}
	return buf.Bytes()
}

// reportInt clamps a JSON integer to [0, 2^31-1].
func reportInt(v int64) int {
	return int(min(max(v, 0), math.MaxInt32))
}
