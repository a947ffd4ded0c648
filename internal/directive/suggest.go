package directive

import "github.com/secureheaders/secureheaders/internal/suggest"

// nameTypo: case, '-' and '_' do not count, then two edits still read as a
// typo. The known names are few and far apart, so a fixed limit is enough.
var nameTypo = suggest.Rule{MaxEdits: func(int) int { return 2 }, IgnoreSeparators: true}

// Suggest returns the name in known that name most likely misspells, or ""
// when none is near: case, '-' and '_' are ignored ("include_subdomains"
// is "includeSubDomains"), then up to two edits are allowed, a swap of two
// adjacent letters counting as one. Ties go to the earlier name.
func Suggest(name string, known []string) string {
	return nameTypo.Closest(name, known)
}
