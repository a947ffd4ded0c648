package suggestcsp

import (
	"bytes"
	"encoding/json"

	"github.com/secureheaders/secureheaders/csp"
)

// Fragment returns the configuration fragment of s: {"update": {header:
// {directive: [source, …]}}, "routes": {pattern: {"update": …}}}, indented,
// keys in canonical order, that secureheaders.ParseConfig accepts as a file
// of its own and that merges into the configuration the suggestion was made
// for. It is "{}" when s changes nothing.
func (s Suggestion) Fragment() []byte {
	var b bytes.Buffer
	b.WriteString("{")
	sep := ""
	var routes []Target
	for _, t := range s.Targets {
		if t.Pattern != "" {
			routes = append(routes, t)
			continue
		}
		b.WriteString("\n  \"update\": ")
		writeUpdate(&b, t, "  ")
		sep = ","
	}
	if len(routes) > 0 {
		b.WriteString(sep + "\n  \"routes\": {")
		for i, t := range routes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n    " + quote(t.Pattern) + ": {\"update\": ")
			writeUpdate(&b, t, "    ")
			b.WriteString("}")
		}
		b.WriteString("\n  }")
	}
	if len(s.Targets) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// writeUpdate writes the update object of one target.
func writeUpdate(b *bytes.Buffer, t Target, indent string) {
	b.WriteString("{")
	first := true
	for _, h := range []struct {
		name string
		c    csp.Policy
	}{{"Content-Security-Policy", t.Add.CSP}, {"Content-Security-Policy-Report-Only", t.Add.CSPReportOnly}} {
		if len(h.c) == 0 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString("\n" + indent + "  " + quote(h.name) + ": {")
		for i, d := range directives(h.c) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n" + indent + "    " + quote(string(d)) + ": [")
			for j, src := range h.c[d] {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(quote(SourceText(src)))
			}
			b.WriteString("]")
		}
		b.WriteString("\n" + indent + "  }")
	}
	b.WriteString("\n" + indent + "}")
}

// directives returns c's directives in canonical order.
func directives(c csp.Policy) []csp.Directive {
	var out []csp.Directive
	for _, d := range csp.Directives() {
		if _, ok := c[d]; ok {
			out = append(out, d)
		}
	}
	return out
}

func quote(s string) string {
	q, _ := json.Marshal(s) // a string always marshals
	return string(q)
}
