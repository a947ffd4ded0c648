package hpkp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUpdate(t *testing.T) {
	base := Policy{Pins: []Pin{pinA, pinB}, MaxAge: sixtyDays, IncludeSubDomains: true, ReportURI: "/old"}
	tests := []struct {
		name      string
		base, add Policy
		want      Policy
	}{
		{"both empty", Policy{}, Policy{}, Policy{}},
		{"pins appended", base, Policy{Pins: []Pin{pinC}, MaxAge: sixtyDays, IncludeSubDomains: true, ReportURI: "/old"},
			Policy{Pins: []Pin{pinA, pinB, pinC}, MaxAge: sixtyDays, IncludeSubDomains: true, ReportURI: "/old"}},
		{"duplicates dropped, base order first", base, Policy{Pins: []Pin{pinC, pinB, pinA, pinC}},
			Policy{Pins: []Pin{pinA, pinB, pinC}}},
		{"repeat inside base dropped", Policy{Pins: []Pin{pinA, pinA, pinB}}, Policy{},
			Policy{Pins: []Pin{pinA, pinB}}},
		{"match is exact", Policy{Pins: []Pin{pinA}}, Policy{Pins: []Pin{{"SHA256", hashA}}},
			Policy{Pins: []Pin{pinA, {"SHA256", hashA}}}},
		{"scalars from add", base, Policy{MaxAge: time.Hour, ReportURI: "/new", ReportOnly: true},
			Policy{Pins: []Pin{pinA, pinB}, MaxAge: time.Hour, ReportURI: "/new", ReportOnly: true}},
		{"false flag and empty URI remove", base, Policy{},
			Policy{Pins: []Pin{pinA, pinB}}},
		{"pins from add into empty base", Policy{ReportOnly: true}, Policy{Pins: []Pin{pinB, pinA}, MaxAge: time.Minute},
			Policy{Pins: []Pin{pinB, pinA}, MaxAge: time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Update(tt.base, tt.add)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Update (-want +got):\n%s", diff)
			}
			if again := Update(got, tt.add); !cmp.Equal(got, again) {
				t.Errorf("Update is not idempotent: %+v then %+v", got, again)
			}
		})
	}
}

// TestUpdateNoAlias checks that Update neither changes its arguments nor
// returns memory they share.
func TestUpdateNoAlias(t *testing.T) {
	base := Policy{Pins: make([]Pin, 2, 10), MaxAge: time.Hour}
	copy(base.Pins, []Pin{pinA, pinB})
	add := Policy{Pins: []Pin{pinC}, MaxAge: sixtyDays}
	baseWas, addWas := base.Clone(), add.Clone()

	got := Update(base, add)
	got.Pins[0].Hash = "changed"
	got.Pins[2].Hash = "changed"
	_ = append(got.Pins[:2], Pin{"x", "y"}) // would write into base's spare capacity if shared

	if diff := cmp.Diff(baseWas, base); diff != "" {
		t.Errorf("base changed (-want +got):\n%s", diff)
	}
	if spare := base.Pins[:3][2]; spare != (Pin{}) {
		t.Errorf("base's spare capacity was written: %v", spare)
	}
	if diff := cmp.Diff(addWas, add); diff != "" {
		t.Errorf("add changed (-want +got):\n%s", diff)
	}
}

func TestUpdateIdentity(t *testing.T) {
	p := Policy{Pins: []Pin{pinA, pinB}, MaxAge: sixtyDays, IncludeSubDomains: true, ReportURI: "/r", ReportOnly: true}
	if diff := cmp.Diff(p, Update(p, p)); diff != "" {
		t.Errorf("Update(p, p) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(p, Update(Policy{}, p)); diff != "" {
		t.Errorf("Update(zero, p) (-want +got):\n%s", diff)
	}
}

func TestClone(t *testing.T) {
	p := Policy{Pins: []Pin{pinA, pinB}, MaxAge: time.Hour, ReportURI: "/r"}
	c := p.Clone()
	if diff := cmp.Diff(p, c); diff != "" {
		t.Fatalf("Clone (-want +got):\n%s", diff)
	}
	c.Pins[0] = pinC
	if p.Pins[0] != pinA {
		t.Errorf("changing the clone's pins changed the original: %v", p.Pins[0])
	}
	if got := (Policy{}).Clone().Pins; got != nil {
		t.Errorf("Clone of nil Pins = %#v, want nil", got)
	}
	if got := (Policy{Pins: []Pin{}}).Clone().Pins; got == nil || len(got) != 0 {
		t.Errorf("Clone of empty Pins = %#v, want empty non-nil", got)
	}
}
