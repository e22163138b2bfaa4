package mockllm

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkHandler measures the mock's own cost per request, without the network, so that its share of a gateway
// benchmark is known. run.sh needs well over 10,000 requests per second from one core.
func BenchmarkHandler(b *testing.B) {
	cases := []struct{ name, path, body string }{
		{"openai", "/v1/chat/completions", `{"model":"m","messages":[{"role":"system","content":"You are a benchmark."},{"role":"user","content":"Say hello to the gateway benchmark please"}],"max_tokens":64}`},
		{"openai-stream", "/v1/chat/completions", `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hello to the gateway benchmark please"}]}`},
		{"anthropic-stream", "/v1/messages", `{"model":"m","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello to the gateway benchmark please"}]}`},
		{"bedrock-stream", "/model/m/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Say hello to the gateway benchmark please"}]}]}`},
		{"embeddings-base64", "/v1/embeddings", `{"model":"e","input":["one two","three"],"encoding_format":"base64","dimensions":256}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := New(Options{})
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body)))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
