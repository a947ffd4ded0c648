package hdrset

import (
	"net/http"
	"slices"
)

// Delta is what turns the headers written by one Set into those of another:
// the keys to delete and a Set of the headers that differ. It lets a
// per-route set be applied on top of the app-wide set already written,
// touching only what the route changes.
//
// A *Delta is immutable and safe for concurrent use.
type Delta struct {
	changed *Set
	removed [NumVariants][]string // by Variant
}

// NewDelta computes the change from the headers of from to those of to.
func NewDelta(from, to *Set) *Delta {
	d := &Delta{changed: &Set{}}
	for i := range Variant(NumVariants) {
		fv, tv := from.variantOrEmpty(i), to.variantOrEmpty(i)
		var changed []field
		for _, tf := range tv.fields {
			if j := fv.index(tf.key); j < 0 || !slices.Equal(fv.fields[j].parts, tf.parts) {
				changed = append(changed, tf)
			}
		}
		for _, ff := range fv.fields {
			if tv.index(ff.key) < 0 {
				d.removed[i] = append(d.removed[i], ff.key)
			}
		}
		d.changed.v[i] = buildVariant(changed)
	}
	return d
}

// Apply deletes the headers the target set does not send and writes those
// that differ, reusing nonce when the target has a nonce slot (a fresh one
// when nonce is ""). It returns the nonce in effect: the one written, or the
// given one when nothing that carries a nonce changed.
func (d *Delta) Apply(h http.Header, v Variant, nonce string) string {
	return d.ApplyInto(h, v, nonce, nil)
}

// ApplyInto is Apply taking its memory from sc, as Set.WriteInto.
func (d *Delta) ApplyInto(h http.Header, v Variant, nonce string, sc *Scratch) string {
	for _, k := range d.removed[v] {
		delete(h, k)
	}
	return d.changed.WriteInto(h, v, nonce, sc)
}

// BufLen returns at most how many Scratch.Buf bytes ApplyInto takes (with
// a fresh nonce; reusing one takes less).
func (d *Delta) BufLen(v Variant) int { return d.changed.BufLen(v) }

// Len returns how many headers Apply writes for a secure or plain response.
func (d *Delta) Len(v Variant) int { return d.changed.Len(v) }

// Empty reports whether the two sets write the same headers.
func (d *Delta) Empty() bool {
	for i := range Variant(NumVariants) {
		if d.changed.Len(i) != 0 || len(d.removed[i]) != 0 {
			return false
		}
	}
	return true
}

func (s *Set) variantOrEmpty(v Variant) *variant {
	if s == nil {
		return &variant{}
	}
	return s.variant(v)
}

func (v *variant) index(key string) int {
	for i := range v.fields {
		if v.fields[i].key == key {
			return i
		}
	}
	return -1
}
