package inlinehttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkRoundTrip compares this transport with net/http's on the same loopback server, one request at a time
// and with every core busy: a POST of a small JSON body answered with a small JSON body, the gateway's case.
// The server runs in the benchmark's own process and scheduler, unlike a gateway's upstream, so the timings say
// less than bench/gateway/run.sh does (docs/benchmarks.md); the allocations carry over.
//
//	go test ./internal/inlinehttp -run '^$' -bench RoundTrip -count 5
func BenchmarkRoundTrip(b *testing.B) {
	const answer = `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"}}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	defer srv.Close()
	std := http.DefaultTransport.(*http.Transport).Clone()
	std.MaxIdleConnsPerHost = 256
	defer std.CloseIdleConnections()
	in := New(std)
	defer in.CloseIdleConnections()
	const body = `{"model":"m","messages":[{"role":"user","content":"Say hello"}]}`
	send := func(b *testing.B, rt http.RoundTripper) {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader(body))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Error(err) // not Fatal: RunParallel's goroutines call this too
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for _, tt := range []struct {
		name string
		rt   http.RoundTripper
	}{{"inline", in}, {"net-http", std}} {
		b.Run(tt.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				send(b, tt.rt)
			}
		})
		b.Run(tt.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					send(b, tt.rt)
				}
			})
		})
	}
}
