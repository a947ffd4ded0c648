package main

import (
	"encoding/json"

	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// suggestDoc is what suggest -json prints: one object, the same in every
// run on the same input. Lists are [] when empty, never null; the shape is
// documented in docs/rollout.md ("suggest -json").
type suggestDoc struct {
	// Config is the -config path.
	Config string `json:"config"`
	// Fragment is the configuration fragment to merge ({} when nothing is
	// suggested), as suggest prints it.
	Fragment json.RawMessage `json:"fragment"`
	// Notes say what to do about each kind of violation, in the order the
	// text output lists them.
	Notes []suggestNote `json:"notes"`
	// Noise are the groups left out as noise, in the snapshot's order.
	Noise []suggestNoise `json:"noise"`
	// Targets are the policies the fragment changes (the app policy, then
	// routes by pattern), with policy.Diff of before and after.
	Targets []suggestTarget `json:"targets"`
	// Summary counts what was read.
	Summary suggestSummary `json:"summary"`
	// Wrote is the -o file, once written.
	Wrote string `json:"wrote,omitempty"`
}

// suggestNote is a suggestcsp.Note.
type suggestNote struct {
	Route     string   `json:"route,omitempty"` // the pattern route; absent for the app policy
	Header    string   `json:"header"`
	Directive string   `json:"directive"`
	Blocked   string   `json:"blocked"`
	Count     uint64   `json:"count"`
	Added     string   `json:"added,omitempty"` // the source the fragment adds
	Action    string   `json:"action"`
	Risk      string   `json:"risk,omitempty"`
	Where     []string `json:"where"` // up to 10 places: "/path" or "/path: file:line"
	More      int      `json:"more"`  // places left out of where
}

// suggestNoise is a group of reports left out as noise.
type suggestNoise struct {
	Noise       report.Noise `json:"noise"` // the class: "extension", "blocker-media"…
	Disposition string       `json:"disposition"`
	Directive   string       `json:"directive"`
	Blocked     string       `json:"blocked"`
	Path        string       `json:"path"`
	Count       uint64       `json:"count"`
}

// suggestTarget is one policy the fragment changes.
type suggestTarget struct {
	Route   string          `json:"route,omitempty"` // absent for the app policy
	Changes []policy.Change `json:"changes"`
}

// suggestSummary is the last line of the text output.
type suggestSummary struct {
	Reports   uint64 `json:"reports"`
	Groups    int    `json:"groups"`
	Suggested int    `json:"suggested"` // groups the suggestion is built on
	Noise     int    `json:"noise"`     // groups left out as noise
	Evicted   uint64 `json:"evicted"`
}

// newSuggestDoc builds the -json output of s, made from snap for the
// configuration at configPath.
func newSuggestDoc(s suggestcsp.Suggestion, configPath string, snap report.Snapshot, suggested, noise int) suggestDoc {
	d := suggestDoc{
		Config:   configPath,
		Fragment: json.RawMessage(s.Fragment()),
		Notes:    []suggestNote{},
		Noise:    []suggestNoise{},
		Targets:  []suggestTarget{},
		Summary:  suggestSummary{Reports: snap.Reports, Groups: len(snap.Groups), Suggested: suggested, Noise: noise, Evicted: snap.Evicted},
	}
	for _, n := range s.Notes {
		where := n.Where
		if where == nil {
			where = []string{}
		}
		d.Notes = append(d.Notes, suggestNote{Route: n.Route, Header: n.Header, Directive: n.Directive, Blocked: n.Blocked,
			Count: n.Count, Added: n.Added, Action: n.Action, Risk: n.Risk, Where: where, More: n.More})
	}
	for _, g := range snap.Groups {
		if g.Noise != "" {
			d.Noise = append(d.Noise, suggestNoise{Noise: g.Noise, Disposition: g.Disposition, Directive: g.Directive, Blocked: g.Blocked, Path: g.Path, Count: g.Count})
		}
	}
	for _, t := range s.Targets {
		c := policy.Diff(t.Before, t.After)
		if c == nil {
			c = []policy.Change{}
		}
		d.Targets = append(d.Targets, suggestTarget{Route: t.Pattern, Changes: c})
	}
	return d
}
