package gateway

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkChat measures the gateway's own work per request (auth, decoding, routing, metering hooks, audit
// hook, encoding) against an instant in-process upstream, without the network.
func BenchmarkChat(b *testing.B) {
	for _, stream := range []bool{false, true} {
		name := map[bool]string{false: "json", true: "stream"}[stream]
		b.Run(name, func(b *testing.B) {
			t := &testing.T{}
			h := newHarnessNoServer(t, baseConfig(""), nil)
			body := `{"model":"solo","stream":` + map[bool]string{false: "false", true: "true"}[stream] + `,"messages":[{"role":"user","content":"hello there"}]}`
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/v1/chat/completions", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+keyA)
				w := httptest.NewRecorder()
				h.g.Handler().ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}
