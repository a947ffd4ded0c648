package cookies

// Attrs are the attributes a Flags gives one cookie, for the tools that
// compare two configurations (secureheaders diff). SameSite is "Lax",
// "Strict", "None" or "" (none added). Secure is added on secure requests
// only, and SameSite=None too.
type Attrs struct {
	Secure, HTTPOnly bool
	SameSite         string
	// Skip is true when a rule leaves the cookie as the application set
	// it; the other fields are false then.
	Skip bool
}

// AttrsFor returns the attributes the cookie called name gets: those of the
// first rule that matches it, else the top-level ones. A nil *Flags gives
// none. It is safe for concurrent use.
func (c *Flags) AttrsFor(name string) Attrs {
	if c == nil {
		return Attrs{}
	}
	a := c.attrsFor(name)
	if a.skip {
		return Attrs{Skip: true}
	}
	return Attrs{Secure: a.secure, HTTPOnly: a.httpOnly, SameSite: a.sameSite}
}
