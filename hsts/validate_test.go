package hsts

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

const (
	ruleSub  = "includeSubDomains: the preload list requires includeSubDomains (set IncludeSubDomains once every subdomain serves HTTPS)"
	rulePre  = "preload: the preload list requires the preload directive (set Preload, then submit the domain at https://hstspreload.org)"
	negative = `max-age: negative duration "-1s" (use a positive duration, or 0 to make browsers forget the host's HSTS state)`
)

func ruleMaxAgeGot(s string) string {
	return `max-age: the preload list requires at least 31536000 seconds (one year), got "` + s + `" (set MaxAge to hsts.OneYear or more)`
}

// missing is the error of a Policy whose MaxAge was not given.
const missing = "max-age: is missing: a zero MaxAge would send max-age=0, which makes browsers forget the host's HSTS state (set MaxAge, e.g. to hsts.OneYear, or set Expire to send max-age=0 on purpose)"

func TestValidate(t *testing.T) {
	ready := Policy{MaxAge: OneYear, IncludeSubDomains: true, Preload: true}
	tests := []struct {
		name string
		p    Policy
		want []string
	}{
		{"expire forgets the host", Policy{Expire: true}, nil},
		{"expire with subdomains", Policy{Expire: true, IncludeSubDomains: true}, nil},
		{"zero is not given", Policy{}, []string{missing}},
		{"partial: flags only", Policy{IncludeSubDomains: true}, []string{missing}},
		{"expire with a max-age", Policy{MaxAge: OneYear, Expire: true}, []string{
			`max-age: is set together with Expire, which sends max-age=0; got "8760h0m0s" (set MaxAge to 0 to expire the policy, or Expire to false)`}},
		{"one year", Policy{MaxAge: OneYear}, nil},
		{"flags without preload", Policy{MaxAge: time.Hour, IncludeSubDomains: true}, nil},
		{"preload ready", ready, nil},
		{"preload ready, two years", Policy{MaxAge: 2 * OneYear, IncludeSubDomains: true, Preload: true}, nil},
		{"one second", Policy{MaxAge: time.Second}, nil},
		{"negative", Policy{MaxAge: -time.Second}, []string{negative}},
		{"seconds written as nanoseconds", Policy{MaxAge: 31536000}, []string{
			`max-age: a MaxAge under one second truncates to max-age=0 and deletes the host's HSTS state; got "31.536ms" (did you mean 31536000 * time.Second? MaxAge is a time.Duration, not seconds)`}},
		{"preload without includeSubDomains", Policy{MaxAge: OneYear, Preload: true}, []string{ruleSub}},
		{"preload with short max-age", Policy{MaxAge: time.Hour, Preload: true}, []string{ruleMaxAgeGot("3600"), ruleSub}},
		{"preload one nanosecond short", Policy{MaxAge: OneYear - 1, IncludeSubDomains: true, Preload: true}, []string{ruleMaxAgeGot("31535999")}},
		{"negative and preload", Policy{MaxAge: -time.Second, IncludeSubDomains: true, Preload: true}, []string{negative, ruleMaxAgeGot("-1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errorTexts(t, tt.p.Validate())); diff != "" {
				t.Errorf("%v: Validate() (-want +got):\n%s", tt.p, diff)
			}
		})
	}
}

func TestPreloadReady(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want []string
	}{
		{"ready", Policy{MaxAge: OneYear, IncludeSubDomains: true, Preload: true}, nil},
		{"ready, sub-second part ignored", Policy{MaxAge: OneYear + time.Millisecond, IncludeSubDomains: true, Preload: true}, nil},
		{"zero fails every rule", Policy{}, []string{ruleMaxAgeGot("0"), ruleSub, rulePre}},
		{"no preload", Policy{MaxAge: 2 * OneYear, IncludeSubDomains: true}, []string{rulePre}},
		{"no includeSubDomains", Policy{MaxAge: OneYear, Preload: true}, []string{ruleSub}},
		{"short", Policy{MaxAge: 180 * 24 * time.Hour, IncludeSubDomains: true, Preload: true}, []string{ruleMaxAgeGot("15552000")}},
		{"truncated below a year", Policy{MaxAge: OneYear - time.Nanosecond, IncludeSubDomains: true, Preload: true}, []string{ruleMaxAgeGot("31535999")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errorTexts(t, tt.p.PreloadReady())); diff != "" {
				t.Errorf("%v: PreloadReady() (-want +got):\n%s", tt.p, diff)
			}
		})
	}
}

// TestErrorPaths pins the Path of each refusal, which callers use to point
// at the field in their configuration.
func TestErrorPaths(t *testing.T) {
	var paths []string
	err := Policy{MaxAge: -time.Second}.PreloadReady()
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		paths = append(paths, e.(*cfgerr.Error).Path)
	}
	if diff := cmp.Diff([]string{"max-age", "includeSubDomains", "preload"}, paths); diff != "" {
		t.Errorf("PreloadReady paths (-want +got):\n%s", diff)
	}
}
