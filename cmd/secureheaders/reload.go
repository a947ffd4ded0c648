package main

import (
	"log/slog"
	"reflect"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// loadOptions reads the configuration file at path into Options, without
// compiling anything. It is the one place serve decodes its file.
func loadOptions(path string) (*secureheaders.Options, error) {
	return secureheaders.LoadConfig(path)
}

// reloader re-reads serve's configuration file (on SIGHUP) and swaps it
// into the running engine with Reconfigure.
type reloader struct {
	sh     *secureheaders.Engine
	path   string
	finish func(*secureheaders.Options) // serve's own settings: port, logger
	logger *slog.Logger
}

// reload reads the file again and reconfigures the engine. It logs which
// parts of the configuration changed, or every problem that made it refuse
// the file; then the configuration in effect stays as it was. It reports
// whether the new file is in effect.
func (rl *reloader) reload() bool {
	opts, err := demoOptions(rl.path)
	if err == nil {
		rl.finish(opts)
		old := rl.sh.Options()
		if err = rl.sh.Reconfigure(opts); err == nil {
			changed := changedParts(old, rl.sh.Options())
			if len(changed) == 0 {
				rl.logger.Info("config reloaded: nothing changed", "path", rl.path)
			} else {
				rl.logger.Info("config reloaded", "path", rl.path, "changed", strings.Join(changed, "; "))
			}
			return true
		}
	}
	n := 0
	for e := range policy.AllErrors(err) {
		rl.logger.Error("config reload refused", "path", rl.path, "error", e.Error())
		n++
	}
	rl.logger.Warn("config reload refused: the configuration in effect is kept", "path", rl.path, "errors", n)
	return false
}

// changedParts names the top-level parts of the configuration that differ
// between old and new, in the order of the JSON file; for the policy, it
// names the headers whose value changed, appeared or disappeared.
func changedParts(old, new secureheaders.Options) []string {
	var parts []string
	if hs := changedHeaders(old.Policy, new.Policy); len(hs) > 0 {
		parts = append(parts, "policy headers: "+strings.Join(hs, ", "))
	} else if !reflect.DeepEqual(old.Policy, new.Policy) {
		parts = append(parts, "policy")
	}
	for _, p := range []struct {
		name     string
		old, new any
	}{
		{"routes", old.Routes, new.Routes},
		{"https", old.HTTPS, new.HTTPS},
		{"reports", old.Reports, new.Reports},
		{"cookies", old.Cookies, new.Cookies},
		{"trustedProxies", old.TrustedProxies, new.TrustedProxies},
	} {
		if !reflect.DeepEqual(p.old, p.new) {
			parts = append(parts, p.name)
		}
	}
	return parts
}

// changedHeaders lists the headers whose rendered value differs between two
// policies (nil meaning none): in old's order, then those only new sends.
func changedHeaders(old, new *policy.Policy) []string {
	fields := func(p *policy.Policy) map[string]string {
		m := map[string]string{}
		if p != nil {
			for _, f := range p.Fields() {
				m[f.Name] = f.Value
			}
		}
		return m
	}
	a, b := fields(old), fields(new)
	var out []string
	seen := map[string]bool{}
	add := func(fs []policy.Field) {
		for _, f := range fs {
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			va, inA := a[f.Name]
			vb, inB := b[f.Name]
			if inA != inB || va != vb {
				out = append(out, f.Name)
			}
		}
	}
	if old != nil {
		add(old.Fields())
	}
	if new != nil {
		add(new.Fields())
	}
	return out
}
