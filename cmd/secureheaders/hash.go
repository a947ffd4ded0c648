package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/htmlhash"
)

// Limits on what hash, sri and render -hashes read, so that a huge file or
// a huge tree costs bounded time and memory.
const (
	maxPageBytes = 16 << 20 // per HTML file or asset
	maxPages     = 100000   // HTML files per run
	// maxRewriteBytes bounds the rewritten pages hash -sri -write holds
	// until every page is done (it writes all of them or none).
	maxRewriteBytes = 512 << 20
)

// page is one HTML file found under a site root.
type page struct {
	file string // as given or found (for messages)
	root string // the site root (a DIR argument, or the file's directory)
	url  string // its URL path from the root: "/about.html"
	doc  []byte
}

// walkPages reads the HTML files named by args, one at a time, and calls
// visit with each: each FILE, and every *.html and *.htm under each DIR.
// Symbolic links to directories are not followed (no loops); a file that
// cannot be used is skipped with one message in skipped. visit must not keep
// p.doc: memory then stays bounded by the largest page (maxPageBytes),
// whatever the size of the tree.
func walkPages(args []string, visit func(p page)) (skipped []error) {
	n := 0
	add := func(file, root string) {
		if n >= maxPages {
			skipped = append(skipped, fmt.Errorf("%s: skipped: more than %d HTML files", file, maxPages))
			return
		}
		doc, err := readBounded(file)
		if err == nil {
			if ct := http.DetectContentType(doc); !strings.HasPrefix(ct, "text/") {
				err = fmt.Errorf("not HTML (the content looks like %s)", ct)
			}
		}
		if err != nil {
			skipped = append(skipped, fmt.Errorf("%s: skipped: %v", file, err))
			return
		}
		rel, _ := filepath.Rel(root, file)
		n++
		visit(page{file: file, root: root, url: "/" + filepath.ToSlash(rel), doc: doc})
	}
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("%s: skipped: %v", arg, err))
			continue
		}
		if !fi.IsDir() {
			add(arg, filepath.Dir(arg)) // readBounded refuses what is not a regular file
			continue
		}
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				skipped = append(skipped, fmt.Errorf("%s: skipped: %v", p, err))
				return nil
			}
			if d.IsDir() || !isHTMLName(p) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(p); err != nil {
					skipped = append(skipped, fmt.Errorf("%s: skipped: %v", p, err))
					return nil
				} else if !fi.Mode().IsRegular() {
					skipped = append(skipped, fmt.Errorf("%s: skipped: a symbolic link to something other than a file", p))
					return nil
				}
			} else if !d.Type().IsRegular() {
				skipped = append(skipped, fmt.Errorf("%s: skipped: not a regular file", p))
				return nil
			}
			add(p, arg)
			return nil
		})
		if err != nil {
			skipped = append(skipped, fmt.Errorf("%s: %v", arg, err))
		}
	}
	return skipped
}

func isHTMLName(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".html" || ext == ".htm"
}

// readBounded reads a regular file of at most maxPageBytes.
func readBounded(name string) ([]byte, error) {
	// Stat before opening: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(name); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxPageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPageBytes {
		return nil, fmt.Errorf("larger than %d MiB", maxPageBytes>>20)
	}
	return b, nil
}

// charsetWarning returns a warning for a page with non-ASCII bytes that
// declares no charset: served without "charset=utf-8" in its Content-Type,
// Chromium decodes it as windows-1252 (measured), so the hashes, computed
// over UTF-8, do not match its non-ASCII scripts.
func charsetWarning(p page) error {
	if !slices.ContainsFunc(p.doc, func(b byte) bool { return b >= 0x80 }) || bytes.Contains(bytes.ToLower(p.doc), []byte("charset")) {
		return nil
	}
	return fmt.Errorf("%s: warning: non-ASCII text and no <meta charset=\"utf-8\">: serve it with Content-Type \"text/html; charset=utf-8\" (nginx: charset utf-8;) or add the meta, else browsers may decode it as windows-1252 and block its scripts", p.file)
}

// directiveLines renders h as the source lists it adds, one directive a
// line: "script-src 'sha256-…' …".
func directiveLines(h htmlhash.Hashes) []string {
	var out []string
	line := func(d string, lists ...[]csp.Source) {
		var b strings.Builder
		for _, l := range lists {
			for _, s := range l {
				b.WriteString(" " + s.String())
			}
		}
		if b.Len() > 0 {
			out = append(out, d+b.String())
		}
	}
	line("script-src", h.Script)
	line("style-src", h.Style)
	if len(h.ScriptAttr) > 0 {
		line("script-src-attr", h.ScriptAttr, []csp.Source{csp.UnsafeHashes})
	}
	if len(h.StyleAttr) > 0 {
		line("style-src-attr", h.StyleAttr, []csp.Source{csp.UnsafeHashes})
	}
	return out
}

type jsonHashes struct {
	Path       string   `json:"path,omitempty"`
	Script     []string `json:"script"`
	Style      []string `json:"style"`
	ScriptAttr []string `json:"scriptAttr,omitempty"`
	StyleAttr  []string `json:"styleAttr,omitempty"`
}

func toJSON(p string, h htmlhash.Hashes) jsonHashes {
	str := func(l []csp.Source) []string {
		out := []string{}
		for _, s := range l {
			out = append(out, s.String())
		}
		return out
	}
	return jsonHashes{Path: p, Script: str(h.Script), Style: str(h.Style), ScriptAttr: str(h.ScriptAttr), StyleAttr: str(h.StyleAttr)}
}

func runHash(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("hash", stderr)
	alg := fs.String("alg", "sha256", "digest: sha256, sha384 or sha512 (also the SRI digest with -sri)")
	attrs := fs.Bool("attrs", false, "also hash event-handler and style attributes (they need 'unsafe-hashes')")
	asJSON := fs.Bool("json", false, "print JSON")
	merge := fs.Bool("merge", false, "print one set of hashes for all the files")
	sri := fs.Bool("sri", false, "print the integrity attributes that <script src> and <link rel=stylesheet> of local files lack")
	write := fs.Bool("write", false, "with -sri: add them to the HTML files, changing nothing else")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders hash [-alg sha256|sha384|sha512] [-attrs] [-json] [-merge] [-sri [-write]] FILE|DIR…")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, 1, -1); !ok {
		return code
	}
	if *write && !*sri {
		fmt.Fprintln(stderr, "secureheaders hash: -write needs -sri")
		return 2
	}
	if _, err := csp.HashSource(*alg, nil); err != nil {
		fmt.Fprintf(stderr, "secureheaders hash: -alg: %v\n", err)
		return 2
	}
	if *sri {
		return runSRIWrite(fs.Args(), *alg, *write, stdout, stderr)
	}
	var merged htmlhash.Hashes
	var docs []jsonHashes
	var text strings.Builder
	var problems []error
	skipped := walkPages(fs.Args(), func(p page) {
		h, err := htmlhash.Sources(p.doc, &htmlhash.Options{Alg: *alg, Attrs: *attrs})
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: skipped: %v", p.file, err))
			return
		}
		if w := charsetWarning(p); w != nil {
			fmt.Fprintf(stderr, "secureheaders hash: %v\n", w)
		}
		merged.Merge(h)
		docs = append(docs, toJSON(p.file, h))
		fmt.Fprintf(&text, "# %s\n", p.file)
		for _, l := range directiveLines(h) {
			text.WriteString(l + "\n")
		}
	})
	problems = append(skipped, problems...)
	switch {
	case *asJSON && *merge:
		printJSON(stdout, toJSON("", merged))
	case *asJSON:
		if docs == nil {
			docs = []jsonHashes{}
		}
		printJSON(stdout, docs)
	case *merge:
		for _, l := range directiveLines(merged) {
			fmt.Fprintln(stdout, l)
		}
	default:
		io.WriteString(stdout, text.String())
	}
	for _, e := range problems {
		fmt.Fprintf(stderr, "secureheaders hash: %v\n", e)
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

// printJSON writes v as indented JSON, HTML characters unescaped.
func printJSON(w io.Writer, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v) // strings only
	w.Write(buf.Bytes())
}

// localFile resolves the URL u of an element of p to a file under p.root,
// or returns false for a URL that is not a local file (another origin, a
// data: URL, a path leaving the root).
func localFile(p page, u string) (string, bool) {
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "" || pu.Host != "" || pu.Opaque != "" || strings.HasPrefix(u, "//") || pu.Path == "" {
		return "", false
	}
	ref := pu.Path
	if !strings.HasPrefix(ref, "/") {
		ref = path.Join(path.Dir(p.url), ref)
	}
	ref = path.Clean("/" + ref)
	if strings.Contains(ref, "/../") {
		return "", false
	}
	return filepath.Join(p.root, filepath.FromSlash(ref)), true
}

// runSRIWrite prints, or with write adds, the integrity attributes of the
// local assets of pages. With write, every file is rewritten only once all
// of them were processed without a problem.
func runSRIWrite(args []string, alg string, write bool, stdout, stderr io.Writer) int {
	type result struct {
		p   page
		out []byte
	}
	var results []result
	var problems []error
	pending := 0 // bytes of results
	skipped := walkPages(args, func(p page) {
		var assetErrs []error
		open := func(u string) ([]byte, bool) {
			f, ok := localFile(p, u)
			if !ok {
				return nil, false
			}
			b, err := readBounded(f)
			if err != nil {
				assetErrs = append(assetErrs, fmt.Errorf("%s: %s: %v", p.file, u, err))
				return nil, false
			}
			return b, true
		}
		out, links, err := htmlhash.AddIntegrity(p.doc, alg, open)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: skipped: %v", p.file, err))
			return
		}
		problems = append(problems, assetErrs...)
		for _, l := range links {
			if l.Integrity != "" {
				fmt.Fprintf(stdout, "%s: %s integrity=%q\n", p.file, l.URL, l.Integrity)
			}
		}
		if write && !bytes.Equal(out, p.doc) {
			if pending += len(out); pending > maxRewriteBytes {
				problems = append(problems, fmt.Errorf("%s: skipped: the pages to rewrite in this run already hold more than %d MiB, and -write keeps them all until every page is done; run it once per subdirectory", p.file, maxRewriteBytes>>20))
				return
			}
			p.doc = nil
			results = append(results, result{p, out})
		}
	})
	problems = append(skipped, problems...)
	for _, e := range problems {
		fmt.Fprintf(stderr, "secureheaders hash: %v\n", e)
	}
	if len(problems) > 0 {
		if write && len(results) > 0 {
			fmt.Fprintln(stderr, "secureheaders hash: nothing written")
		}
		return 1
	}
	if write {
		for _, r := range results {
			if err := writeFileAtomic(r.p.file, r.out); err != nil {
				fmt.Fprintf(stderr, "secureheaders hash: %v\n", err)
				return 1
			}
		}
	}
	return 0
}

// writeFileAtomic replaces name with data through a temporary file in the
// same directory, keeping name's permissions (0644 for a new file), so name
// is never left partly written.
func writeFileAtomic(name string, data []byte) error {
	perm := os.FileMode(0o644)
	fi, err := os.Stat(name)
	switch {
	case err == nil:
		perm = fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".secureheaders-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func runSRI(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sri", stderr)
	alg := fs.String("alg", "sha384", "digest: sha256, sha384 or sha512")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders sri [-alg sha384] FILE…")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, 1, -1); !ok {
		return code
	}
	if _, err := htmlhash.Integrity(*alg, nil); err != nil {
		fmt.Fprintf(stderr, "secureheaders sri: -alg: %v\n", err)
		return 2
	}
	code := 0
	for _, f := range fs.Args() {
		b, err := readBounded(f)
		if err != nil {
			fmt.Fprintf(stderr, "secureheaders sri: %s: %v\n", f, err)
			code = 1
			continue
		}
		v, _ := htmlhash.Integrity(*alg, b)
		fmt.Fprintf(stdout, "%s %s\n", v, f)
	}
	return code
}
