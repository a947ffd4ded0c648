// Package suggestcsp proposes the smallest change to a policy that would
// have allowed the CSP violations browsers reported, for the rollout from
// report-only to enforced: `secureheaders suggest` prints it and
// report.NewDashboard shows it. (Package internal/suggest is something else:
// "did you mean" hints.)
//
// # Rules
//
// For each violation group (noise is left out by the callers):
//
//  1. The group's document path picks the policy: the pattern route it
//     matches as the engine matches requests (patmux, a GET request to the
//     path), the app policy when none matches. The report's disposition
//     picks the CSP: "report" the report-only one, "enforce" the enforced
//     one.
//  2. The source is added to the directive that governs the reported one
//     (Policy.Effective), except that a directive governed only by
//     default-src gets its own directive (script-src for script-src-elem,
//     frame-src for frame-src…), seeded from default-src by the merge
//     rules, so nothing else widens.
//  3. A URL's origin is added as a host source; "data:" only in img-src;
//     nothing else is ever added: never 'unsafe-inline', 'unsafe-eval',
//     'unsafe-hashes', a wildcard or a scheme such as https:.
//  4. An inline script or style gets a note: put the nonce on the element
//     (the nonce slot is added to the directive when it has none), or allow
//     the exact text by its hash when the report's sample is the whole text
//     (browsers cut samples at 40 characters, so only a shorter sample is
//     known to be whole). An eval gets a note: remove it. Both list where
//     they happened (document path, source file:line).
//  5. A new script host comes with its risk (JSONP endpoints, old library
//     versions and user uploads on an allow-listed host bypass the policy)
//     and, when the directive has the nonce, the alternative of
//     'strict-dynamic' with the nonce. Under 'strict-dynamic' a host is
//     never added (browsers ignore host lists there): the note says to load
//     the script with the nonce.
//  6. A source the policy already allows is not added again (the reports
//     came from an older policy), and neither is anything for a CSP the
//     policy does not send.
package suggestcsp
