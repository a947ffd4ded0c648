package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/htmlhash"
	"github.com/secureheaders/secureheaders/policy"
)

// withHashes returns p with every nonce slot of its CSPs replaced by h
// (htmlhash.Hashes.Apply).
func withHashes(p policy.Policy, h htmlhash.Hashes) policy.Policy {
	p = p.Clone()
	if p.CSP != nil {
		p.CSP = h.Apply(p.CSP)
	}
	if p.CSPReportOnly != nil {
		p.CSPReportOnly = h.Apply(p.CSPReportOnly)
	}
	return p
}

// updateWithHashes is withHashes for the Update of a route: a directive
// that held only the nonce slot and has no hash to add is dropped (it adds
// nothing) rather than turned into 'none'.
func updateWithHashes(p policy.Policy, h htmlhash.Hashes) policy.Policy {
	out := withHashes(p, h)
	for _, pair := range [][2]csp.Policy{{p.CSP, out.CSP}, {p.CSPReportOnly, out.CSPReportOnly}} {
		for d, l := range pair[1] {
			if slices.Equal(l, []csp.Source{csp.None}) && !slices.Contains(pair[0][d], csp.None) {
				delete(pair[1], d)
			}
		}
	}
	return out
}

// configWithHashes returns a copy of cfg whose app policy and route
// updates have h in place of the nonce slot.
func configWithHashes(cfg *config, h htmlhash.Hashes) *config {
	c := &config{Policy: withHashes(cfg.Policy, h)}
	for _, r := range cfg.Routes {
		r.Override = r.Override.Clone()
		r.Override.Update = updateWithHashes(r.Override.Update, h)
		c.Routes = append(c.Routes, r)
	}
	return c
}

// hashBlocks returns the blocks of render -hashes DIR: the policy of each
// HTML page under dir with its own hashes in place of the nonce slot, one
// exact-path block per page (a directory's index.html also for the
// directory's path), after the app and route blocks, whose nonce slots are
// dropped. With merge, the hashes of every page are put in the app and route
// policies instead, and there is no page block. Nothing is returned when a
// file was skipped or a page cannot be hashed: a partial config would block
// that page's scripts.
// Warnings (charsetWarning) go to stderr.
func hashBlocks(cfg *config, dir string, merge, secure bool, format string, stderr io.Writer) ([]block, error) {
	static, ok := staticFormats[format]
	if !ok {
		return nil, fmt.Errorf("-hashes is for the static formats (nginx, caddy, apache, netlify), not %q: the middleware fills in nonces itself", format)
	}
	if !merge && format == "netlify" {
		return nil, errors.New("-hashes without -merge needs one policy per page, but a _headers file sends the headers of every matching rule (two Content-Security-Policy headers both apply, so each page's hashes would be blocked by the other): add -merge")
	}
	type hashed struct {
		page
		h htmlhash.Hashes
	}
	var pages []hashed
	var all htmlhash.Hashes
	var problems []error
	errs := walkPages([]string{dir}, func(p page) {
		h, err := htmlhash.Sources(p.doc, &htmlhash.Options{Attrs: true})
		if n := len(h.ScriptAttr); n > 0 {
			fmt.Fprintf(stderr, "secureheaders render: %s: warning: %d event-handler attribute value(s) (onclick=…) are blocked by this policy: move them into a script, or allow them by hash with 'unsafe-hashes' by hand (secureheaders hash -attrs prints them)\n", p.file, n)
		}
		h.ScriptAttr, h.StyleAttr = nil, nil
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: cannot hash its inline code, so its scripts would be blocked: %v", p.file, err))
			return
		}
		if w := charsetWarning(p); w != nil {
			fmt.Fprintf(stderr, "secureheaders render: %v\n", w)
		}
		all.Merge(h)
		p.doc = nil // only the hashes are kept: memory stays bounded by one page
		pages = append(pages, hashed{p, h})
	})
	errs = append(errs, problems...)
	slices.SortFunc(pages, func(a, b hashed) int { return strings.Compare(a.url, b.url) })
	if len(pages) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("-hashes %s: no .html or .htm file found", dir))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if merge {
		return appBlocks(configWithHashes(cfg, all), secure, static)
	}
	blocks, err := appBlocks(configWithHashes(cfg, htmlhash.Hashes{}), secure, static)
	if err != nil {
		return nil, err
	}
	for _, pg := range pages {
		urls := []string{pg.url}
		if dirURL, ok := strings.CutSuffix(pg.url, "/index.html"); ok {
			urls = append(urls, dirURL+"/")
		} else if dirURL, ok := strings.CutSuffix(pg.url, "/index.htm"); ok {
			urls = append(urls, dirURL+"/")
		}
		for _, u := range urls {
			if i := strings.IndexFunc(u, func(r rune) bool { return r > 0x7F || !isPathByte(byte(r)) }); i >= 0 {
				errs = append(errs, fmt.Errorf("%s: byte %q of its path %s is not exported (only letters, digits and -._~/:@+)", pg.file, u[i], u))
				break
			}
			p, err := routePolicy(cfg, u)
			if err == nil {
				var fields []policy.Field
				if fields, err = compileFields(withHashes(p, pg.h), secure); err == nil {
					blocks = append(blocks, block{pattern: u, page: true, match: pathMatch{path: u, exact: true}, fields: fields})
				}
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", pg.file, err))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(blocks[1:], func(a, b block) int {
		return cmp.Or(cmp.Compare(len(a.match.path), len(b.match.path)), boolCompare(a.match.exact, b.match.exact), strings.Compare(a.pattern, b.pattern))
	})
	return blocks, nil
}
