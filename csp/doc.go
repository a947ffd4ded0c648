// Package csp models one Content-Security-Policy header (CSP Level 3,
// https://www.w3.org/TR/CSP3/): typed directives and sources, parsing,
// validation, merging and canonical rendering.
package csp
