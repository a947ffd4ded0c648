package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/jsontree"
	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
)

// applySuggestion returns the configuration file data with s's additions
// merged into it: each target's sources appended to the directive of the
// "update" entry that sets its CSP (top level, or the route's), created
// when absent. Keys keep their order; the file is re-indented. The result
// is decoded and compiled before it is returned, and refused unless every
// policy it serves allows what the suggestion adds.
func applySuggestion(data []byte, s suggestcsp.Suggestion) ([]byte, error) {
	root, err := jsontree.Parse(data)
	if err != nil {
		return nil, err
	}
	for _, t := range s.Targets {
		obj := root
		if t.Pattern != "" {
			routes := member(root, "routes", false)
			if routes == nil || member(routes, t.Pattern, false) == nil {
				return nil, fmt.Errorf("route %q is not in the configuration", t.Pattern)
			}
			obj = member(routes, t.Pattern, false)
		}
		upd := member(obj, "update", true)
		if len(t.Add.CSP) > 0 {
			if err := mergeCSP(upd, false, t.Add.CSP, t.After.CSP); err != nil {
				return nil, err
			}
		}
		if len(t.Add.CSPReportOnly) > 0 {
			if err := mergeCSP(upd, true, t.Add.CSPReportOnly, t.After.CSPReportOnly); err != nil {
				return nil, err
			}
		}
	}
	var b bytes.Buffer
	writeNode(&b, root, "")
	b.WriteByte('\n')
	out := b.Bytes()
	if err := checkApplied(out, s); err != nil {
		return nil, err
	}
	return out, nil
}

// checkApplied decodes and compiles the new configuration and checks that
// each target's policy now allows everything its After allows.
func checkApplied(data []byte, s suggestcsp.Suggestion) error {
	opts, err := secureheaders.ParseConfig(data)
	if err != nil {
		return fmt.Errorf("the configuration with the suggestion applied does not decode (please report this): %w", err)
	}
	eng, err := secureheaders.New(opts)
	if err != nil {
		return fmt.Errorf("the configuration with the suggestion applied is refused (please report this): %w", err)
	}
	defer eng.Close()
	for _, t := range s.Targets {
		got := eng.Policy()
		if t.Pattern != "" {
			got, _ = eng.RoutePolicy(t.Pattern)
		}
		for _, c := range policy.Diff(t.After, got) {
			if len(c.Blocked) > 0 {
				return fmt.Errorf("the configuration with the suggestion applied does not allow %s in %s %s (please report this)", strings.Join(c.Blocked, " "), c.Header, c.Directive)
			}
		}
	}
	return nil
}

// mergeCSP adds c to the CSP entry of upd (an "update" object) that sets the
// enforced or the report-only CSP, or adds such an entry. A directive the
// entry lacks gets its whole list in after (the policy served with c): a
// list the entry starts is not seeded from default-src when the entry
// itself gives default-src, so "add" alone could narrow.
func mergeCSP(upd *jsontree.Node, reportOnly bool, c, after csp.Policy) error {
	var entry *jsontree.Node
	for _, m := range upd.Members {
		if cspKey(m.Key, m.Value) == 1+boolInt(reportOnly) {
			entry = m.Value
		}
	}
	if entry == nil {
		name := "Content-Security-Policy"
		if reportOnly {
			name += "-Report-Only"
		}
		entry = &jsontree.Node{Kind: jsontree.Object}
		upd.Members = append(upd.Members, jsontree.Member{Key: name, Value: entry})
	}
	switch entry.Kind {
	case jsontree.String:
		p, err := csp.Parse(entry.Text)
		if err != nil {
			return err
		}
		for d, srcs := range c {
			if _, ok := p[d]; ok {
				p = csp.Update(p, csp.Policy{d: srcs})
			} else {
				p[d] = slices.Clone(after[d])
			}
		}
		entry.Text = p.String()
		return nil
	case jsontree.Object:
	default:
		return errors.New("the configuration's CSP entry is neither an object nor a string")
	}
	for _, d := range csp.Directives() {
		srcs, ok := c[d]
		if !ok {
			continue
		}
		var list *jsontree.Node
		for _, m := range entry.Members {
			if strings.EqualFold(m.Key, string(d)) {
				list = m.Value
			}
		}
		if list == nil {
			list = &jsontree.Node{Kind: jsontree.Array}
			entry.Members = append(entry.Members, jsontree.Member{Key: string(d), Value: list})
			srcs = after[d]
		}
		if list.Kind != jsontree.Array {
			return fmt.Errorf("the configuration's %s is not a list", d)
		}
		have := make([]csp.Source, 0, len(list.Elems))
		for _, e := range list.Elems {
			if s, err := csp.ParseSource(e.Text); err == nil {
				have = append(have, s)
			}
		}
		for _, s := range srcs {
			if !slices.Contains(have, s) {
				list.Elems = append(list.Elems, &jsontree.Node{Kind: jsontree.String, Text: suggestcsp.SourceText(s)})
			}
		}
	}
	return nil
}

// cspKey tells what a member of an "update" object sets: 1 the enforced
// CSP, 2 the report-only CSP, 0 something else. The names are the
// decoder's: Content-Security-Policy[-Report-Only] and the aliases CSP and
// CSP-Report-Only, case-insensitive with '_' as '-', and the seed's
// "report-only": true inside a CSP entry. (checkApplied catches any
// disagreement with the decoder.)
func cspKey(key string, v *jsontree.Node) int {
	k := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(key), "_", "-"))
	switch k {
	case "csp-report-only", "content-security-policy-report-only":
		return 2
	case "csp", "content-security-policy":
		if v.Kind == jsontree.Object {
			for _, m := range v.Members {
				mk := strings.ToLower(strings.ReplaceAll(m.Key, "_", "-"))
				if (mk == "report-only" || mk == "read-only") && m.Value.Kind == jsontree.Bool && m.Value.Bool {
					return 2
				}
			}
		}
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// member returns the value of n's member key (exact match), adding an
// empty object for it when create is set.
func member(n *jsontree.Node, key string, create bool) *jsontree.Node {
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	if !create {
		return nil
	}
	v := &jsontree.Node{Kind: jsontree.Object}
	n.Members = append(n.Members, jsontree.Member{Key: key, Value: v})
	return v
}

// writeNode writes n as indented JSON: objects one member a line, lists of
// scalars on one line.
func writeNode(b *bytes.Buffer, n *jsontree.Node, indent string) {
	switch n.Kind {
	case jsontree.Null:
		b.WriteString("null")
	case jsontree.Bool:
		b.WriteString(fmt.Sprint(n.Bool))
	case jsontree.Number:
		b.WriteString(n.Text)
	case jsontree.String:
		writeString(b, n.Text)
	case jsontree.Array:
		flat := !slices.ContainsFunc(n.Elems, func(e *jsontree.Node) bool { return e.Kind == jsontree.Array || e.Kind == jsontree.Object })
		b.WriteByte('[')
		for i, e := range n.Elems {
			if i > 0 {
				b.WriteByte(',')
				if flat {
					b.WriteByte(' ')
				}
			}
			if !flat {
				b.WriteString("\n" + indent + "  ")
			}
			writeNode(b, e, indent+"  ")
		}
		if !flat && len(n.Elems) > 0 {
			b.WriteString("\n" + indent)
		}
		b.WriteByte(']')
	case jsontree.Object:
		if len(n.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n" + indent + "  ")
			writeString(b, m.Key)
			b.WriteString(": ")
			writeNode(b, m.Value, indent+"  ")
		}
		b.WriteString("\n" + indent + "}")
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}
