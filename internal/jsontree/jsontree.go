// Package jsontree reads a JSON document (RFC 8259) into a tree of nodes
// that keeps the order of object keys and knows each value's path, for the
// configuration decoder: it reports problems in the file's own terms (a path,
// a line and column) and lets the decoder see what encoding/json hides — a
// key given twice, a number as it was written.
//
// The grammar is RFC 8259's, strictly: no comments, no trailing commas, no
// leading '+' or zeros, strings of valid UTF-8 without raw control
// characters, and one value per document. Nesting is limited to MaxDepth.
package jsontree

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Kind is the JSON type of a Node.
type Kind uint8

// The kinds of JSON values.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String names the kind as a message does: "null", "a boolean", "a number",
// "a string", "a list", "an object".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "a boolean"
	case Number:
		return "a number"
	case String:
		return "a string"
	case Array:
		return "a list"
	case Object:
		return "an object"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// MaxDepth is how deeply arrays and objects may nest.
const MaxDepth = 64

// Node is one JSON value.
type Node struct {
	Kind Kind
	// Path locates the value: "" for the document, "update.CSP" for a key,
	// "remove[1]" for a list item (see cfgerr.JoinPath; an empty key is
	// written `""`).
	Path string
	// Bool is the value of a Bool.
	Bool bool
	// Text is the decoded text of a String, and the literal of a Number as
	// it was written ("1e3", "-0", "3.0").
	Text string
	// Elems are the items of an Array.
	Elems []*Node
	// Members are the keys and values of an Object, in file order,
	// duplicates included (see Unique).
	Members []Member
}

// Member is one key of an Object.
type Member struct {
	Key   string
	Value *Node
}

// Key returns the path of key below path, as Node.Path writes it.
func Key(path, key string) string {
	if key == "" {
		key = `""`
	}
	return cfgerr.JoinPath(path, key)
}

// Unique returns the members of n (an Object) without the ones whose key is
// equivalent to an earlier one, and an *cfgerr.Error for each of those.
// Keys k1 and k2 are equivalent when same(k1) == same(k2); a nil same means
// only identical keys are. Values are not examined.
func (n *Node) Unique(same func(string) string) ([]Member, []error) {
	var (
		out  = make([]Member, 0, len(n.Members))
		errs []error
		// The folded keys so far, each with the first spelling: scanned
		// while there are few (a configuration's objects have a handful
		// of keys), a map past that.
		small [8]struct{ key, first string }
		few   = small[:0]
		seen  map[string]string
	)
	for _, m := range n.Members {
		k := m.Key
		if same != nil {
			k = same(k)
		}
		first, dup := "", false
		if seen != nil {
			first, dup = seen[k]
		} else {
			for _, f := range few {
				if f.key == k {
					first, dup = f.first, true
					break
				}
			}
		}
		if dup {
			e := &cfgerr.Error{Path: m.Value.Path, Reason: "key given twice", Fix: "keep one of them"}
			if first != m.Key {
				e.Reason, e.Value = "key given twice, also as", first
			}
			errs = append(errs, e)
			continue
		}
		switch {
		case seen != nil:
			seen[k] = m.Key
		case len(few) < cap(few):
			few = append(few, struct{ key, first string }{k, m.Key})
		default:
			seen = make(map[string]string, len(n.Members))
			for _, f := range few {
				seen[f.key] = f.first
			}
			seen[k] = m.Key
		}
		out = append(out, m)
	}
	return out, errs
}

// Parse reads one JSON document. On failure it returns a single
// *cfgerr.Error whose Path is the innermost list or object that holds the
// problem and whose Reason gives the line and column.
func Parse(data []byte) (*Node, error) {
	p := &parser{data: data, text: string(data)}
	p.skipSpace()
	if p.pos == len(data) {
		return nil, &cfgerr.Error{Reason: "empty input, want a JSON object"}
	}
	n, err := p.value("", "", 0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(data) {
		return nil, p.fail("", "data after the JSON value, at", "")
	}
	return n, nil
}

// The parser allocates little per value (ParseConfig + New with 50 routes
// made 2,140 of its 17,900 allocations here, now 870: bench's
// BenchmarkCompile, from=config, -memprofile): nodes come from blocks
// of nodeBlock, a string without escapes and a number are slices of text
// (one copy of the document), and the members of an object and the items
// of a list are gathered on a stack shared by the whole document, then
// copied once into a slice of their exact length.
type parser struct {
	data    []byte
	text    string // data, copied once
	pos     int
	nodes   []Node   // the rest of the current block
	members []Member // the open objects' members so far
	elems   []*Node  // the open lists' items so far
}

// nodeBlock is how many nodes are allocated together.
const nodeBlock = 32

// node returns a new node of kind k at path.
func (p *parser) node(k Kind, path string) *Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]Node, nodeBlock)
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	n.Kind, n.Path = k, path
	return n
}

// fail returns the error at the current position; when value is empty the
// character there (or "end of input") is shown.
func (p *parser) fail(path, reason, value string) *cfgerr.Error {
	line, col := 1, 1
	for _, c := range p.data[:p.pos] {
		if c == '\n' {
			line, col = line+1, 1
		} else if c < 0x80 || c >= 0xC0 {
			col++ // count characters, not continuation bytes
		}
	}
	at := "invalid JSON at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ": "
	if p.pos >= len(p.data) {
		return &cfgerr.Error{Path: path, Reason: at + "unexpected end of input", Fix: `the file ends inside a list, object or string: close it`}
	}
	if value == "" {
		r, _ := utf8.DecodeRune(p.data[p.pos:])
		value = string(r)
		if r == utf8.RuneError {
			value = string(p.data[p.pos : p.pos+1])
		}
	}
	return &cfgerr.Error{Path: path, Value: value, Reason: at + reason}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value reads the value at p.pos, whose path is path; a problem in a
// scalar is reported with container, the path of the list or object that
// holds it, a problem inside a list or object with its own path.
func (p *parser) value(path, container string, depth int) (*Node, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail(container, "", "")
	}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth >= MaxDepth {
			return nil, p.fail(container, "nested more than "+strconv.Itoa(MaxDepth)+" levels deep, at", "")
		}
		if c == '{' {
			return p.object(path, depth+1)
		}
		return p.array(path, depth+1)
	case c == '"':
		s, err := p.str(container)
		if err != nil {
			return nil, err
		}
		n := p.node(String, path)
		n.Text = s
		return n, nil
	case c == '-' || '0' <= c && c <= '9':
		return p.number(path, container)
	case c == '+':
		return nil, p.fail(container, "a number cannot start with", "+")
	case isLetter(c):
		start := p.pos
		for p.pos < len(p.data) && isLetter(p.data[p.pos]) {
			p.pos++
		}
		switch w := p.text[start:p.pos]; w {
		case "true", "false":
			n := p.node(Bool, path)
			n.Bool = w == "true"
			return n, nil
		case "null":
			return p.node(Null, path), nil
		default:
			p.pos = start
			return nil, p.fail(container, "unknown word (JSON has true, false and null; strings take double quotes)", w)
		}
	}
	return nil, p.fail(container, "want a value, got", "")
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func (p *parser) object(path string, depth int) (*Node, error) {
	n := p.node(Object, path)
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.fail(path, "", "")
		}
		if p.data[p.pos] != '"' {
			if p.data[p.pos] == '}' && len(p.members) > base {
				return nil, p.fail(path, "a comma before the closing brace (JSON has no trailing commas), at", "")
			}
			return nil, p.fail(path, "want a key in double quotes, got", "")
		}
		key, err := p.str(path)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail(path, "want ':' after the key, got", "")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(Key(path, key), path, depth)
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, Member{Key: key, Value: v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.fail(path, "", "")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.Members = append([]Member(nil), p.members[base:]...)
			return n, nil
		default:
			return nil, p.fail(path, "want ',' or '}' after a value, got", "")
		}
	}
}

func (p *parser) array(path string, depth int) (*Node, error) {
	n := p.node(Array, path)
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	base := len(p.elems)
	defer func() { p.elems = p.elems[:base] }()
	for {
		p.skipSpace()
		i := len(p.elems) - base
		if p.pos < len(p.data) && p.data[p.pos] == ']' && i > 0 {
			return nil, p.fail(path, "a comma before the closing bracket (JSON has no trailing commas), at", "")
		}
		// path+cfgerr.Index(i), in one allocation.
		v, err := p.value(path+"["+strconv.Itoa(i)+"]", path, depth)
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.fail(path, "", "")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.Elems = append([]*Node(nil), p.elems[base:]...)
			return n, nil
		default:
			return nil, p.fail(path, "want ',' or ']' after a value, got", "")
		}
	}
}

// number reads a number literal (RFC 8259 §6) and keeps it as written.
func (p *parser) number(path, container string) (*Node, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	intStart := p.pos
	switch n := digits(); {
	case n == 0:
		return nil, p.fail(container, "want a digit after '-', got", "")
	case n > 1 && p.data[intStart] == '0':
		p.pos = intStart
		return nil, p.fail(container, "a number cannot have a leading zero", string(p.data[start:intStart+n]))
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.fail(container, "want a digit after '.', got", "")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail(container, "want a digit in the exponent, got", "")
		}
	}
	n := p.node(Number, path)
	n.Text = p.text[start:p.pos]
	return n, nil
}

// str reads a string literal at p.pos.
func (p *parser) str(container string) (string, error) {
	p.pos++ // '"'
	// Without an escape the string is a slice of the text; from the
	// first escape on it is built.
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			p.pos++
			return p.text[start : p.pos-1], nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		p.pos++
	}
	var b strings.Builder
	b.WriteString(p.text[start:p.pos])
	for {
		if p.pos >= len(p.data) {
			return "", p.fail(container, "", "")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			r, err := p.escape(container)
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case c < 0x20:
			return "", p.fail(container, "a control character in a string (write it as a \\u escape), at", string(rune(c)))
		case c < 0x80:
			b.WriteByte(c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.fail(container, "invalid UTF-8 in a string, at byte", "0x"+strconv.FormatUint(uint64(c), 16))
			}
			b.WriteRune(r)
			p.pos += size
		}
	}
}

// escape reads one escape sequence at p.pos ('\\'), a surrogate pair as one.
func (p *parser) escape(container string) (rune, error) {
	if p.pos+1 >= len(p.data) {
		p.pos = len(p.data)
		return 0, p.fail(container, "", "")
	}
	p.pos++
	c := p.data[p.pos]
	if r, ok := map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c]; ok {
		p.pos++
		return r, nil
	}
	if c != 'u' {
		p.pos--
		return 0, p.fail(container, "invalid escape in a string", `\`+string(rune(c)))
	}
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail(container, `want four hex digits after \u, at`, "")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
		save := p.pos
		p.pos++
		if r2, ok := p.hex4(); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, nil
			}
		}
		p.pos = save
	}
	return 0, p.fail(container, `a lone UTF-16 surrogate in a \u escape, before`, "")
}

// hex4 reads "u" and four hex digits at p.pos.
func (p *parser) hex4() (rune, bool) {
	p.pos++ // 'u'
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}
