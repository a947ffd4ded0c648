package htmlhash

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestAddIntegrityGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "sri", "in.html"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"app.js": "alert(1)", "/css/site.css": "body{}", "m.js": "export{}"}
	open := func(u string) ([]byte, bool) {
		s, ok := files[u]
		return []byte(s), ok
	}
	got, links, err := AddIntegrity(in, "sha384", open)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sri", "out.html")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	added := 0
	for _, l := range links {
		if l.Integrity != "" {
			added++
		}
	}
	if added != 3 {
		t.Errorf("%d integrity attributes added, want 3: %+v", added, links)
	}
	// A second pass finds nothing left to add.
	again, _, err := AddIntegrity(got, "sha384", open)
	if err != nil || string(again) != string(got) {
		t.Errorf("second pass changed the document: %v", err)
	}
}

func TestAddIntegrityBase(t *testing.T) {
	if _, _, err := AddIntegrity([]byte(`<base href="https://cdn.example/"><script src=a.js></script>`), "sha384",
		func(string) ([]byte, bool) { return nil, true }); err == nil {
		t.Error("<base href>: no error")
	}
}

func TestIntegrity(t *testing.T) {
	got, err := Integrity("sha384", []byte("alert(1)"))
	if err != nil || got != "sha384-HT2E9NfWiuQ/w1PRai+hTyqW16NIoCGA/m8VQDUopfAtcz6YQjtsMmQd5uRbVDpW" {
		t.Errorf("Integrity = %q, %v", got, err)
	}
	if _, err := Integrity("md5", nil); err == nil {
		t.Error("md5: no error")
	}
}
