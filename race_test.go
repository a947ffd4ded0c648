package secureheaders_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// generation returns the app policy of generation g: its enforced and
// report-only CSPs both name g, so a response mixing two generations shows.
func generation(g int) policy.Policy {
	p := withNonce()
	host := csp.Source{Kind: csp.Host, Value: fmt.Sprintf("https://cdn%d.example", g)}
	p.CSP[csp.ImgSrc] = append(p.CSP[csp.ImgSrc], host)
	p.CSPReportOnly[csp.ImgSrc] = []csp.Source{host}
	return p
}

// cspPair is what a response's two CSP headers must be, nonce as "{nonce}".
type cspPair struct{ enforced, reportOnly string }

func pairOf(t testing.TB, p policy.Policy, secure bool) cspPair {
	t.Helper()
	var c cspPair
	for _, f := range mustCompile(t, p).Fields(secure) {
		switch f.Name {
		case "Content-Security-Policy":
			c.enforced = f.Value
		case "Content-Security-Policy-Report-Only":
			c.reportOnly = f.Value
		}
	}
	return c
}

// dynRoute is the override of the i-th route registered during the test.
func dynRoute(i int) policy.Override {
	return policy.Override{Update: policy.Policy{CSP: csp.Policy{
		csp.ConnectSrc: {{Kind: csp.Host, Value: fmt.Sprintf("https://api%d.example", i)}},
	}}}
}

// TestConcurrentChanges serves requests from many goroutines while another
// swaps the policy and registers routes. Every response must be one
// generation's headers for its route, with the nonce its handler saw.
// Run it with -race.
func TestConcurrentChanges(t *testing.T) {
	const (
		generations = 4
		dynRoutes   = 16
		workers     = 8
		requests    = 150 // per worker
	)
	var sunk atomic.Int64
	sh, err := secureheaders.New(&secureheaders.Options{
		Policy:     ptr(generation(0)),
		Reports:    &report.Options{RatePerSecond: 1e6, Burst: 1 << 20, QueueSize: 64},
		ReportSink: func(context.Context, report.Report) { sunk.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", app("app"))
	mux.Handle("/embed/", sh.MustWrap(app("embed"), embed))
	h := sh.Handler(mux)

	// The valid responses of each path: one CSP pair per generation.
	valid := func(o *policy.Override, secure bool) map[cspPair]bool {
		m := map[cspPair]bool{}
		for g := range generations {
			p := generation(g)
			if o != nil {
				var err error
				if p, err = o.Apply(p); err != nil {
					t.Fatal(err)
				}
			}
			m[pairOf(t, p, secure)] = true
		}
		return m
	}
	type key struct {
		path   string
		secure bool
	}
	var validMu sync.Mutex
	want := map[key]map[cspPair]bool{}
	for _, secure := range []bool{true, false} {
		want[key{"/", secure}] = valid(nil, secure)
		want[key{"/embed/", secure}] = valid(&embed, secure)
		for i := range dynRoutes {
			o := dynRoute(i)
			want[key{fmt.Sprintf("/dyn%d/", i), secure}] = valid(&o, secure)
		}
	}

	var registered atomic.Int32 // dynamic routes mounted so far
	stop := make(chan struct{})
	var changer sync.WaitGroup
	changer.Add(1)
	go func() {
		defer changer.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			g := generation(i % generations)
			var err error
			switch i % 3 {
			case 0:
				err = sh.SetPolicy(g)
			case 1:
				err = sh.Rewrite(policy.Policy{CSP: g.CSP, CSPReportOnly: g.CSPReportOnly})
			case 2:
				// Update with a scalar keeps the CSPs of the generation
				// in effect; it still builds and swaps a new state.
				err = sh.Update(policy.Policy{FrameOptions: policy.FrameSameOrigin})
			}
			if err != nil {
				t.Error(err)
				return
			}
			if n := int(registered.Load()); n < dynRoutes && i%4 == 0 {
				mux.Handle(fmt.Sprintf("/dyn%d/", n), sh.MustWrap(app("dyn"), dynRoute(n)))
				registered.Add(1)
			}
		}
	}()

	// A report flood through the same Handler, at the same time.
	const reports = 600
	var reporter sync.WaitGroup
	reporter.Go(func() {
		for i := range reports {
			body := fmt.Sprintf(`{"csp-report":{"document-uri":"https://example.com/%d","effective-directive":"script-src-elem","blocked-uri":"inline","original-policy":"default-src 'self'","disposition":"enforce"}}`, i)
			r := httptest.NewRequest(http.MethodPost, "https://example.com"+secureheaders.DefaultReportPath, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/csp-report")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusNoContent {
				t.Errorf("report %d: status %d, want 204", i, rec.Code)
				return
			}
		}
	})

	var workersWG sync.WaitGroup
	for w := range workers {
		workersWG.Add(1)
		go func() {
			defer workersWG.Done()
			for i := range requests {
				secure := (w+i)%2 == 0
				var path string
				switch i % 3 {
				case 0:
					path = "/"
				case 1:
					path = "/embed/"
				default:
					n := int(registered.Load())
					if n == 0 {
						path = "/"
						break
					}
					path = fmt.Sprintf("/dyn%d/", (w+i)%n)
				}
				scheme := "http://"
				if secure {
					scheme = "https://"
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, scheme+"example.com"+path, nil))
				nonce := rec.Header().Get("X-Seen-Nonce")
				if len(nonce) != 22 {
					t.Errorf("%sexample.com%s: handler saw nonce %q", scheme, path, nonce)
					return
				}
				got := cspPair{
					enforced:   strings.ReplaceAll(rec.Header().Get("Content-Security-Policy"), nonce, "{nonce}"),
					reportOnly: strings.ReplaceAll(rec.Header().Get("Content-Security-Policy-Report-Only"), nonce, "{nonce}"),
				}
				validMu.Lock()
				ok := want[key{path, secure}][got]
				validMu.Unlock()
				if !ok {
					t.Errorf("%sexample.com%s: response is no generation's (or its nonce is not the handler's):\n CSP %q\n CSP-RO %q",
						scheme, path, got.enforced, got.reportOnly)
					return
				}
				if rec.Header().Get("X-Frame-Options") != "SAMEORIGIN" && path != "/embed/" {
					t.Errorf("%sexample.com%s: X-Frame-Options %q", scheme, path, rec.Header().Get("X-Frame-Options"))
					return
				}
			}
		}()
	}
	workersWG.Wait()
	reporter.Wait()
	close(stop)
	changer.Wait()
	sh.Close()
	st := sh.Reports().Stats()
	if st.Accepted+st.Dropped != reports || st.Delivered != st.Accepted || uint64(sunk.Load()) != st.Delivered {
		t.Errorf("reports: %d posted, stats %+v, sink saw %d: every report must be accepted or dropped, and every accepted one delivered", reports, st, sunk.Load())
	}
	if registered.Load() == 0 {
		t.Log("no dynamic route was registered while requests ran")
	}
}
