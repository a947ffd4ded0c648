package hsts_test

import (
	"fmt"
	"time"

	"github.com/secureheaders/secureheaders/hsts"
)

func ExampleParse() {
	p, err := hsts.Parse("max-age=63072000;INCLUDESUBDOMAINS ; preload")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v %v %v\n", p.MaxAge, p.IncludeSubDomains, p.Preload)
	fmt.Println(p)

	_, err = hsts.Parse("max-age=31536000; includeSubDomain")
	fmt.Println(err)
	// Output:
	// 17520h0m0s true true
	// max-age=63072000; includeSubDomains; preload
	// includeSubDomain: unknown directive (did you mean "includeSubDomains"?)
}

func ExamplePolicy_String() {
	p := hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true}
	fmt.Println(p)
	fmt.Println(hsts.Policy{Expire: true})
	// Output:
	// max-age=31536000; includeSubDomains
	// max-age=0
}

func ExamplePolicy_PreloadReady() {
	p := hsts.Policy{MaxAge: 180 * 24 * time.Hour, Preload: true}
	fmt.Println(p.PreloadReady())

	p = hsts.Policy{MaxAge: 2 * hsts.OneYear, IncludeSubDomains: true, Preload: true}
	fmt.Println(p.PreloadReady())
	// Output:
	// max-age: the preload list requires at least 31536000 seconds (one year), got "15552000" (set MaxAge to hsts.OneYear or more)
	// includeSubDomains: the preload list requires includeSubDomains (set IncludeSubDomains once every subdomain serves HTTPS)
	// <nil>
}

func ExamplePolicy_Validate() {
	// A bare number is nanoseconds: 31536000 is 31.536ms, not one year.
	p := hsts.Policy{MaxAge: 31536000}
	fmt.Println(p.Validate())
	// Output:
	// max-age: a MaxAge under one second truncates to max-age=0 and deletes the host's HSTS state; got "31.536ms" (did you mean 31536000 * time.Second? MaxAge is a time.Duration, not seconds)
}
