package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// golden compares got with testdata/golden/name, rewritten with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestHashGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"site.hash", []string{"hash", "testdata/site"}},
		{"site-attrs-merge.hash", []string{"hash", "-attrs", "-merge", "testdata/site"}},
		{"site-sha384.json", []string{"hash", "-alg", "sha384", "-json", "testdata/site"}},
		{"site-merge.json", []string{"hash", "-json", "-merge", "testdata/site"}},
		{"site-sri.hash", []string{"hash", "-sri", "-alg", "sha384", "testdata/site"}},
		{"site.sri", []string{"sri", "testdata/site/app.js", "testdata/site/site.css"}},
		{"site-strict-http.nginx", []string{"render", "-config", "testdata/strict.json", "-format", "nginx", "-nginx-part", "http", "-hashes", "testdata/site"}},
		{"site-strict-server.nginx", []string{"render", "-config", "testdata/strict.json", "-format", "nginx", "-nginx-part", "server", "-hashes", "testdata/site"}},
		{"site-strict.apache", []string{"render", "-config", "testdata/strict.json", "-format", "apache", "-hashes", "testdata/site"}},
		{"site-strict-merge.caddy", []string{"render", "-config", "testdata/strict.json", "-format", "caddy", "-hashes", "testdata/site", "-merge"}},
		{"site-strict-merge.netlify", []string{"render", "-config", "testdata/strict.json", "-format", "netlify", "-hashes", "testdata/site", "-merge"}},
		{"site-routes.caddy", []string{"render", "-config", "testdata/routes.json", "-format", "caddy", "-hashes", "testdata/site"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tc.args...)
			if code != 0 {
				t.Fatalf("%v: exit %d, stderr:\n%s", tc.args, code, stderr)
			}
			golden(t, tc.golden, stdout)
			// index.html has an onclick attribute: render warns about it.
			want := ""
			if tc.args[0] == "render" {
				want = "secureheaders render: testdata/site/index.html: warning: 1 event-handler attribute value(s)"
			}
			if !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") > 1 || want == "" && stderr != "" {
				t.Errorf("%v: stderr:\n%s\nwant one line starting with %q", tc.args, stderr, want)
			}
		})
	}
}

// copySite copies testdata/site to a temporary directory.
func copySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("testdata/site", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/site", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHashSRIWrite(t *testing.T) {
	dir := copySite(t)
	code, _, stderr := runCmd(t, "hash", "-sri", "-write", "-alg", "sha384", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"index.html", "blog/post.html"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "sri-"+strings.ReplaceAll(f, "/", "-")+".golden", string(got))
	}
	// Run again: nothing left to add, nothing changes.
	before, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if code, stdout, _ := runCmd(t, "hash", "-sri", "-write", dir); code != 0 || stdout != "" {
		t.Errorf("second run: exit %d, stdout %q", code, stdout)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Equal(before, after) {
		t.Error("second run changed index.html")
	}
}

func TestHashSRIWriteNothingOnError(t *testing.T) {
	dir := copySite(t)
	// A directory where a stylesheet should be: that asset cannot be read.
	os.Remove(filepath.Join(dir, "site.css"))
	os.Mkdir(filepath.Join(dir, "site.css"), 0o755)
	before, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	code, _, stderr := runCmd(t, "hash", "-sri", "-write", dir)
	if code != 1 || !strings.Contains(stderr, "site.css") || !strings.Contains(stderr, "nothing written") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	oneLineErrors(t, stderr, "secureheaders hash: ")
	if after, _ := os.ReadFile(filepath.Join(dir, "index.html")); !bytes.Equal(before, after) {
		t.Error("index.html was written although another file failed")
	}
}

// TestHashBadInput: each bad file gets one message and is skipped; render
// -hashes writes no config at all.
func TestHashBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ok.html", []byte("<script>ok()</script>"))
	write("binary.html", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...))
	write("unclosed.html", []byte("<p><script>never()"))
	write("latin1.html", []byte("<meta charset=iso-8859-1><script>x()</script>"))
	write("deep.html", bytes.Repeat([]byte("<div>"), 1000))
	huge := bytes.Repeat([]byte("<p>"), maxPageBytes/3+1)
	write("huge.html", huge)
	if err := os.Symlink("loop2.html", filepath.Join(dir, "loop1.html")); err != nil {
		t.Skip(err)
	}
	os.Symlink("loop1.html", filepath.Join(dir, "loop2.html"))
	os.Symlink(".", filepath.Join(dir, "self.html"))

	code, stdout, stderr := runCmd(t, "hash", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	oneLineErrors(t, stderr, "secureheaders hash: ")
	for _, f := range []string{"binary.html", "unclosed.html", "latin1.html", "deep.html", "huge.html", "loop1.html", "loop2.html", "self.html"} {
		if !strings.Contains(stderr, f+": skipped: ") {
			t.Errorf("no message for %s in:\n%s", f, stderr)
		}
	}
	if !strings.Contains(stdout, "ok.html") || strings.Count(stdout, "# ") != 1 {
		t.Errorf("stdout:\n%s", stdout)
	}

	for _, format := range []string{"nginx", "caddy", "apache"} {
		code, stdout, stderr = runCmd(t, "render", "-format", format, "-nginx-part", "http", "-hashes", dir)
		if format != "nginx" {
			code, stdout, stderr = runCmd(t, "render", "-format", format, "-hashes", dir)
		}
		if code != 1 || stdout != "" {
			t.Errorf("render -format %s -hashes: exit %d, stdout %q: want 1 and no config", format, code, stdout)
		}
		for _, f := range []string{"binary.html", "unclosed.html", "latin1.html", "deep.html", "huge.html", "loop1.html", "loop2.html", "self.html"} {
			if !strings.Contains(stderr, f+": ") {
				t.Errorf("render -format %s -hashes: no message for %s in:\n%s", format, f, stderr)
			}
		}
		oneLineErrors(t, stderr, "secureheaders render: ")
	}
}

func TestHashCharsetWarning(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.html"), []byte("<script>var s = 'caf\xc3\xa9';</script>"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.html"), []byte("<meta charset=utf-8><script>var s = 'caf\xc3\xa9';</script>"), 0o644)
	code, stdout, stderr := runCmd(t, "hash", dir)
	if code != 0 || strings.Count(stdout, "script-src") != 2 || !strings.Contains(stderr, "a.html: warning: non-ASCII") || strings.Contains(stderr, "b.html") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	oneLineErrors(t, stderr, "secureheaders hash: ")
}

func TestRenderHashesErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-hashes", "testdata/site"}, "static formats"},
		{[]string{"-format", "netlify", "-hashes", "testdata/site"}, "-merge"},
		{[]string{"-format", "nginx", "-hashes", t.TempDir()}, "no .html"},
	} {
		code, stdout, stderr := runCmd(t, append([]string{"render"}, tc.args...)...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("render %v: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
	if code, _, _ := runCmd(t, "hash", "-alg", "md5", "x"); code != 2 {
		t.Errorf("hash -alg md5: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "hash", "-write", "x"); code != 2 {
		t.Errorf("hash -write without -sri: exit %d, want 2", code)
	}
}
