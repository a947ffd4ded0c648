package jsontree

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// flat renders a tree as "path kind text" lines, depth first.
func flat(n *Node) []string {
	out := []string{n.Path + " " + n.Kind.String() + " " + n.Text}
	if n.Kind == Bool && n.Bool {
		out[0] += "true"
	}
	for _, e := range n.Elems {
		out = append(out, flat(e)...)
	}
	for _, m := range n.Members {
		out = append(out, flat(m.Value)...)
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`{}`, []string{" an object "}},
		{` {"b": 1, "a": [true, null, "x"], "": {"k.l": -0.5e+3}} `, []string{
			" an object ", "b a number 1", "a a list ", "a[0] a boolean true", "a[1] null ", `a[2] a string x`,
			`"" an object `, `"".k.l a number -0.5e+3`}},
		{`{"b": 1, "b": 2}`, []string{" an object ", "b a number 1", "b a number 2"}},
		{`"\u00e9\ud83d\ude00\n\/"`, []string{" a string é😀\n/"}},
		{`[]`, []string{" a list "}},
		{`0`, []string{" a number 0"}},
	}
	for _, tt := range tests {
		n, err := Parse([]byte(tt.in))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, flat(n)); diff != "" {
			t.Errorf("Parse(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `empty input, want a JSON object`},
		{"  \n", `empty input, want a JSON object`},
		{`{"a": 1,}`, `invalid JSON at line 1, column 9: a comma before the closing brace (JSON has no trailing commas), at "}"`},
		{`{"a": [1,]}`, `a: invalid JSON at line 1, column 10: a comma before the closing bracket (JSON has no trailing commas), at "]"`},
		{`{"a": {"b": +1}}`, `a: invalid JSON at line 1, column 13: a number cannot start with "+"`},
		{`{"a": 01}`, `invalid JSON at line 1, column 7: a number cannot have a leading zero "01"`},
		{`{"a": -}`, `invalid JSON at line 1, column 8: want a digit after '-', got "}"`},
		{`{"a": 1.}`, `invalid JSON at line 1, column 9: want a digit after '.', got "}"`},
		{`{"a": 1e}`, `invalid JSON at line 1, column 9: want a digit in the exponent, got "}"`},
		{`{"a": True}`, `invalid JSON at line 1, column 7: unknown word (JSON has true, false and null; strings take double quotes) "True"`},
		{`{'a': 1}`, `invalid JSON at line 1, column 2: want a key in double quotes, got "'"`},
		{`{"a" 1}`, `invalid JSON at line 1, column 6: want ':' after the key, got "1"`},
		{`{"a": 1 "b": 2}`, `invalid JSON at line 1, column 9: want ',' or '}' after a value, got "\""`},
		{`[1 2]`, `invalid JSON at line 1, column 4: want ',' or ']' after a value, got "2"`},
		{"{\n  \"a\": \"x\ty\"}", `invalid JSON at line 2, column 10: a control character in a string (write it as a \u escape), at "\t"`},
		{`{"a": "\x"}`, `invalid JSON at line 1, column 8: invalid escape in a string "\\x"`},
		{`{"a": "\u12"}`, `invalid JSON at line 1, column 10: want four hex digits after \u, at "1"`},
		{`{"a": "\ud800"}`, `invalid JSON at line 1, column 14: a lone UTF-16 surrogate in a \u escape, before "\""`},
		{"{\"a\": \"\xff\"}", `invalid JSON at line 1, column 8: invalid UTF-8 in a string, at byte "0xff"`},
		{`{"a": {"b": [`, `a.b: invalid JSON at line 1, column 14: unexpected end of input (the file ends inside a list, object or string: close it)`},
		{`{"a": "b`, `invalid JSON at line 1, column 9: unexpected end of input (the file ends inside a list, object or string: close it)`},
		{`{} {}`, `invalid JSON at line 1, column 4: data after the JSON value, at "{"`},
		{`{"a": /* no */ 1}`, `invalid JSON at line 1, column 7: want a value, got "/"`},
		{strings.Repeat("[", MaxDepth+1), strings.Repeat("[0]", MaxDepth-1) + `: invalid JSON at line 1, column 65: nested more than 64 levels deep, at "["`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		got := "<nil>"
		if err != nil {
			got = err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestUnique(t *testing.T) {
	n, err := Parse([]byte(`{"a": 1, "A": 2, "a": 3, "b": 4}`))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(ms []Member) (out []string) {
		for _, m := range ms {
			out = append(out, m.Key)
		}
		return out
	}
	texts := func(errs []error) (out []string) {
		for _, e := range errs {
			out = append(out, e.(*cfgerr.Error).Error())
		}
		return out
	}
	ms, errs := n.Unique(nil)
	if diff := cmp.Diff([]string{"a", "A", "b"}, keys(ms)); diff != "" {
		t.Errorf("exact: keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a: key given twice (keep one of them)"}, texts(errs)); diff != "" {
		t.Errorf("exact: errors (-want +got):\n%s", diff)
	}
	ms, errs = n.Unique(strings.ToLower)
	if diff := cmp.Diff([]string{"a", "b"}, keys(ms)); diff != "" {
		t.Errorf("folded: keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`A: key given twice, also as "a" (keep one of them)`, "a: key given twice (keep one of them)"}, texts(errs)); diff != "" {
		t.Errorf("folded: errors (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": [1, -0.5e3, "x\u00e9", true, null]}`, `"plain"`, `"a\"b\\c"`, `"é\n"`, `{"k": {"l": [[], {}, "x"]}}`, `{"a": 1,}`, `"\ud800"`, "[[[[", `{"a"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		if err != nil {
			if n != nil {
				t.Fatal("a tree with an error")
			}
			if _, ok := err.(*cfgerr.Error); !ok {
				t.Fatalf("error %T is not a *cfgerr.Error", err)
			}
			return
		}
		// What it accepts is JSON, and a string decodes as encoding/json
		// decodes it (escapes, or none: the text sliced as it is).
		if !json.Valid(data) {
			t.Fatalf("Parse accepted %q, which is not JSON", data)
		}
		if n.Kind == String {
			var want string
			if err := json.Unmarshal(data, &want); err != nil || want != n.Text {
				t.Fatalf("string %q: Text %q, encoding/json %q (%v)", data, n.Text, want, err)
			}
		}
		var walk func(*Node)
		walk = func(n *Node) {
			for i, e := range n.Elems {
				if e.Path != n.Path+cfgerr.Index(i) {
					t.Fatalf("item path %q under %q", e.Path, n.Path)
				}
				walk(e)
			}
			for _, m := range n.Members {
				if m.Value.Path != Key(n.Path, m.Key) {
					t.Fatalf("member path %q under %q", m.Value.Path, n.Path)
				}
				walk(m.Value)
			}
		}
		walk(n)
	})
}

// TestUniqueSizes: Unique finds the repeats of an object of few keys
// (scanned) and of many (a map), across the switch from one to the other.
func TestUniqueSizes(t *testing.T) {
	for _, n := range []int{1, 7, 8, 9, 20} {
		var doc, want []string
		for i := range n {
			k := "k" + strconv.Itoa(i)
			doc, want = append(doc, `"`+k+`": 0`), append(want, k)
		}
		last := "k" + strconv.Itoa(n-1)
		doc = append(doc, `"K0": 1`, `"`+last+`": 2`)
		root, err := Parse([]byte("{" + strings.Join(doc, ", ") + "}"))
		if err != nil {
			t.Fatal(err)
		}
		ms, errs := root.Unique(strings.ToLower)
		var got, gotErrs []string
		for _, m := range ms {
			got = append(got, m.Key)
		}
		for _, e := range errs {
			gotErrs = append(gotErrs, e.Error())
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d keys: (-want +got):\n%s", n, diff)
		}
		wantErrs := []string{`K0: key given twice, also as "k0" (keep one of them)`, last + ": key given twice (keep one of them)"}
		if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
			t.Errorf("%d keys: errors (-want +got):\n%s", n, diff)
		}
	}
}
