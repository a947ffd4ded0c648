// Package htmlhash computes the Content-Security-Policy hash sources of the
// inline scripts and styles of an HTML document, and the Subresource
// Integrity values of the files it links, so that a pre-rendered page (a
// static site, an embed.FS, a CDN) can be served with a strict policy and no
// per-request nonce.
//
// # What is hashed
//
// A browser allows an inline element by hash when the digest of its text, as
// the HTML parser delivered it, is in the policy. Sources reproduces that
// text:
//
//   - The document is decoded as UTF-8, as the WHATWG Encoding standard does:
//     a leading byte order mark is dropped, and each invalid sequence (its
//     maximal subpart) becomes U+FFFD. A document that declares another
//     charset with <meta> is refused: its bytes would not hash the same.
//   - Line breaks are normalised before tokenizing: CR LF and a lone CR
//     become LF (HTML "preprocessing the input stream"). A file saved with
//     CRLF therefore hashes like the same file with LF; the e2e test checks
//     this against Chromium.
//   - The text of <script> and <style> is raw text: "&amp;" stays five bytes,
//     nothing is trimmed, and a NUL byte becomes U+FFFD. Inside <svg> the
//     parser is in foreign content, where entities are decoded and
//     <![CDATA[…]]> sections unwrapped; Sources follows it there too.
//   - Attribute values (event handlers, style) are entity-decoded, as the
//     DOM holds them.
//
// # Which elements
//
// A <script> without src whose type is empty, a JavaScript MIME type,
// "module", "importmap" or "speculationrules": the types the HTML standard
// subjects to the CSP inline check. Data blocks (application/json,
// application/ld+json, text/template…) are never run, so they are not
// hashed. A <style> whose type is empty or text/css. Elements inside
// <template> and <noscript> are skipped: they are not run when the page
// loads. Event-handler attributes (on…) and style attributes only when
// Options.Attrs is set: allowing them by hash also needs 'unsafe-hashes',
// which [Hashes.Apply] adds. An external <script src> that carries an
// integrity attribute contributes its digests to the script hashes too, so
// that 'strict-dynamic' (which ignores host sources) still lets it load
// (CSP3, "does element match source list").
//
// # Why a separate package
//
// Tokenizing HTML the way a browser does needs a real HTML parser;
// golang.org/x/net/html is the Go ecosystem's one. The middleware does not
// need it, so it lives here: an application that imports only the root
// package (or csp, policy, render) does not compile x/net. `go list -deps`
// at the module root lists no golang.org/x/net package (only the standard
// library's own vendor/golang.org/x/net copies), and a test keeps it so.
package htmlhash
