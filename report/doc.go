// Package report receives Content Security Policy violation reports, and the
// other reports of the Reporting API, from browsers.
//
// [Handler] is an http.Handler meant to face the internet: it answers CORS
// preflights, checks the media type and the body size, rate-limits each
// client, decodes both the legacy application/csp-report body and the
// Reporting API's application/reports+json batches into [Report] values,
// drops duplicates, and hands the rest to a [Sink] through a bounded queue,
// so that a slow sink never blocks a request. Its counters are in [Stats].
// [Decode] is the decoder on its own.
//
// Most applications do not build a Handler: they set Options.Reports of the
// secureheaders engine, which mounts the receiver at its path and uses the
// engine's one list of trusted proxies for the rate limit (the
// [Options.TrustedProxies] given to the engine must then be empty). A
// Handler built with [NewHandler] stands alone and takes its own list.
//
// Problems in [Options] are reported by [Options.Validate] as *policy.Error
// values, joined, like every configuration error of the module.
package report
