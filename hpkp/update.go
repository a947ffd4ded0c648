package hpkp

import "slices"

// Clone returns a deep copy of p: changing the copy's Pins does not change
// p. A nil Pins stays nil. Clone is safe for concurrent use with other
// readers of p.
func (p Policy) Clone() Policy {
	p.Pins = slices.Clone(p.Pins)
	return p
}

// Update returns base with add applied. It is pure: it modifies neither
// argument and the result shares no memory with them. The rules, in order:
//
//  1. Pins is the union of base.Pins then add.Pins, in order of first
//     appearance. A pin equal to an earlier one (same Alg and Hash, byte for
//     byte; "SHA256" and "sha256" differ) is dropped, including a repeat
//     within base. With no pins on either side, Pins is nil.
//  2. MaxAge, IncludeSubDomains, ReportURI and ReportOnly are add's, even
//     when zero: an update sets every scalar, so a false flag or an empty
//     ReportURI in add removes the one in base.
//  3. The result is not validated; call [Policy.Validate] on it.
//
// Update is safe for concurrent use.
func Update(base, add Policy) Policy {
	out := add
	out.Pins = nil
	if n := len(base.Pins) + len(add.Pins); n > 0 {
		out.Pins = make([]Pin, 0, n)
		seen := make(map[Pin]struct{}, n)
		for _, pins := range [][]Pin{base.Pins, add.Pins} {
			for _, pin := range pins {
				if _, dup := seen[pin]; !dup {
					seen[pin] = struct{}{}
					out.Pins = append(out.Pins, pin)
				}
			}
		}
	}
	return out
}
