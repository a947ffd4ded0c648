package csp

import "slices"

// Clone returns a deep copy of p: a new map with new slices, so changing
// either never shows in the other. The nil Policy stays nil, and a nil item
// list stays nil. Clone is safe for concurrent use as long as nobody writes
// p.
func (p Policy) Clone() Policy {
	if p == nil {
		return nil
	}
	q := make(Policy, len(p))
	for d, srcs := range p {
		q[d] = slices.Clone(srcs)
	}
	return q
}

// Update returns base with add merged in: what a user means by "also allow
// these". It is pure and safe for concurrent use as long as nobody writes
// the inputs. The rules, in order:
//
//  1. The result is new: neither input is modified, and the result shares
//     no map or slice with them. It is nil when neither input has a
//     directive.
//  2. A directive only in base is kept. A directive only in add is added,
//     except that a fetch directive other than default-src is first seeded
//     with a copy of the sources that the directive falls back to in base
//     (CSP3 §6.8.3: script-src-elem and script-src-attr fall back to
//     script-src, style-src-elem and style-src-attr to style-src, worker-src
//     to child-src then script-src, frame-src to child-src, fenced-frame-src
//     to frame-src then child-src, and all of them finally to default-src),
//     when base has one: adding never narrows what base allowed.
//  3. The items of a directive in both (or seeded) are unioned in order:
//     base's first, as they are, then each of add's not already present,
//     by exact Source equality. report-to, which names one group, is the
//     exception: add's value replaces base's.
//  4. 'none' (and trusted-types' 'none') is dropped from every directive
//     of the result that holds any other item, so adding to 'none' replaces
//     it and adding 'none' to a list changes nothing.
//  5. A valueless directive (upgrade-insecure-requests, a bare sandbox)
//     present in either input is present in the result.
//
// Update does not validate: merging two valid policies gives a valid one,
// merging an invalid one may not.
func Update(base, add Policy) Policy {
	if len(base) == 0 && len(add) == 0 {
		return nil
	}
	// Each directive is copied once, with room for what add brings.
	out := make(Policy, len(base)+len(add))
	for d, srcs := range base {
		if n := len(add[d]); n > 0 && d != ReportTo {
			out[d] = append(make([]Source, 0, len(srcs)+n), srcs...)
		} else {
			out[d] = slices.Clone(srcs)
		}
	}
	for d, srcs := range add {
		cur, ok := out[d]
		if !ok {
			if from := seed(base, d); len(srcs) > 0 {
				cur = append(make([]Source, 0, len(from)+len(srcs)), from...)
			} else {
				cur = slices.Clone(from)
			}
		}
		if d == ReportTo && len(srcs) > 0 {
			cur = slices.Clone(srcs)
		} else {
			for _, src := range srcs {
				if !slices.Contains(cur, src) {
					cur = append(cur, src)
				}
			}
		}
		out[d] = cur
	}
	for d, srcs := range out {
		if len(srcs) > 1 {
			out[d] = slices.DeleteFunc(srcs, func(s Source) bool { return isNone(d, s) })
		}
	}
	return out
}

// seed returns the sources of the directive that d falls back to in base,
// or nil.
func seed(base Policy, d Directive) []Source {
	for _, f := range fallback(d) {
		if srcs, ok := base[f]; ok {
			return srcs
		}
	}
	return nil
}
