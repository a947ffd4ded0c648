package hpkp_test

import (
	"fmt"
	"time"

	"github.com/secureheaders/secureheaders/hpkp"
)

// Base64 SHA-256 digests of two SubjectPublicKeyInfos: the served key and a
// backup key kept offline.
const (
	current = "mGobcTX0mGFQql+gAo/uqmbNrz7WoAo1XdhuBC9/tJQ="
	backup  = "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM="
)

func ExamplePolicy_String() {
	p := hpkp.Policy{
		Pins: []hpkp.Pin{
			{Alg: "sha256", Hash: current},
			{Alg: "sha256", Hash: backup},
		},
		MaxAge:     60 * 24 * time.Hour,
		ReportURI:  "https://example.com/hpkp-report",
		ReportOnly: true,
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %s\n", p.HeaderName(), p)
	// Output:
	// Public-Key-Pins-Report-Only: pin-sha256="mGobcTX0mGFQql+gAo/uqmbNrz7WoAo1XdhuBC9/tJQ="; pin-sha256="VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM="; max-age=5184000; report-uri="https://example.com/hpkp-report"
}

func ExamplePolicy_Validate() {
	p := hpkp.Policy{Pins: []hpkp.Pin{{Alg: "sha256", Hash: current}}}
	fmt.Println(p.Validate())
	// Output:
	// pins: only one distinct pin; RFC 7469 §4.3 requires a backup pin, so at least two (add the pin-sha256 of a backup key that is kept offline, not in the served certificate chain)
}

func ExampleUpdate() {
	base, err := hpkp.Parse(`pin-sha256="` + current + `"; max-age=600`)
	if err != nil {
		fmt.Println(err)
		return
	}
	add := hpkp.Policy{
		Pins:   []hpkp.Pin{{Alg: "sha256", Hash: backup}, {Alg: "sha256", Hash: current}},
		MaxAge: base.MaxAge,
	}
	p := hpkp.Update(base, add)
	fmt.Println(len(p.Pins), p.Validate())
	fmt.Println(len(base.Pins))
	// Output:
	// 2 <nil>
	// 1
}
