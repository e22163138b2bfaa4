package gateway

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/inlinehttp"
	"github.com/walens/walens/internal/provider"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const chatBody = `{"model":"chat","messages":[{"role":"user","content":"hi"}]}`

type errorResp struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func upstreamFail(status int, code string) func(context.Context, int, *provider.ChatRequest) (*provider.ChatResponse, error) {
	return func(context.Context, int, *provider.ChatRequest) (*provider.ChatResponse, error) {
		return nil, &provider.Error{Status: status, Code: code, Message: "secret upstream detail sk-123"}
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		body     string
		models   string
		ups      map[string]*fakeUpstream
		status   int
		code     string
		param    string
		header   string // a header that must be set
		contains string // in the body
	}{
		{name: "ok", key: keyA, body: chatBody, status: 200, contains: "hello from m"},
		{name: "missing key", body: chatBody, status: 401, code: "invalid_api_key"},
		{name: "wrong key", key: "wl-nope", body: chatBody, status: 401, code: "invalid_api_key"},
		{name: "unknown model", key: keyA, body: `{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}`, status: 404, code: "model_not_found", param: "model"},
		{name: "model not allowed", key: keyB, body: chatBody, status: 403, code: "model_not_allowed", param: "model"},
		{name: "malformed json", key: keyA, body: `{"model":`, status: 400},
		{name: "not an object", key: keyA, body: `[1,2]`, status: 400},
		{name: "wrong type", key: keyA, body: `{"model":"chat","messages":"hi"}`, status: 400, param: "messages"},
		{name: "bad role", key: keyA, body: `{"model":"chat","messages":[{"role":"wizard","content":"hi"}]}`, status: 400, param: "messages[0].role"},
		{name: "no messages", key: keyA, body: `{"model":"chat","messages":[]}`, status: 400, param: "messages"},
		{name: "empty body", key: keyA, body: ``, status: 400},
		{name: "oversized", key: keyA, body: `{"model":"chat","messages":[{"role":"user","content":"` + strings.Repeat("x", 5<<20) + `"}]}`, status: 413, code: "request_too_large"},
		{
			name: "fallback on 500", key: keyA, body: `{"model":"chat","messages":[{"role":"user","content":"hi"}]}`,
			ups:    map[string]*fakeUpstream{"m1": {chat: upstreamFail(500, provider.CodeUpstream)}},
			status: 200, contains: "hello from m2",
		},
		{
			name: "upstream bad request is not retried", key: keyA, body: chatBody,
			ups:    map[string]*fakeUpstream{"m1": {chat: upstreamFail(400, provider.CodeBadRequest)}},
			status: 400, code: provider.CodeBadRequest,
		},
		{
			name: "all fail", key: keyA, body: chatBody,
			ups:    map[string]*fakeUpstream{"m1": {chat: upstreamFail(500, provider.CodeUpstream)}, "m2": {chat: upstreamFail(503, provider.CodeUpstream)}},
			status: 502, code: "upstream_error",
		},
		{
			name: "all rate limited", key: keyA, body: chatBody,
			ups:    map[string]*fakeUpstream{"m1": {chat: upstreamFail(429, provider.CodeRateLimited)}, "m2": {chat: upstreamFail(429, provider.CodeRateLimited)}},
			status: 503, header: "Retry-After",
		},
		{
			name: "degraded message", key: keyA, body: `{"model":"deg","messages":[{"role":"user","content":"hi"}]}`,
			models: "  deg:\n    targets: [{provider: up1, model: m9}]\n    degraded: {message: \"busy, try later\"}\n",
			ups:    map[string]*fakeUpstream{"m9": {chat: upstreamFail(500, provider.CodeUpstream)}},
			status: 200, header: "X-Walens-Degraded", contains: "busy, try later",
		},
		{
			name: "degraded model", key: keyA, body: `{"model":"deg","messages":[{"role":"user","content":"hi"}]}`,
			models: "  deg:\n    targets: [{provider: up1, model: m9}]\n    degraded: {model: solo}\n",
			ups:    map[string]*fakeUpstream{"m9": {chat: upstreamFail(500, provider.CodeConnection)}},
			status: 200, header: "X-Walens-Degraded", contains: "hello from m3",
		},
		{
			name: "upstream hangs past its timeout", key: keyA, body: `{"model":"slow","messages":[{"role":"user","content":"hi"}]}`,
			models: "  slow:\n    targets: [{provider: up1, model: m8, timeout: 20ms}]\n",
			ups: map[string]*fakeUpstream{"m8": {chat: func(ctx context.Context, _ int, _ *provider.ChatRequest) (*provider.ChatResponse, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			}}},
			status: 504, code: "upstream_timeout",
		},
		{
			name: "per-request deadline", key: keyA, body: `{"model":"slow","messages":[{"role":"user","content":"hi"}]}`,
			models: "  slow:\n    timeout: 20ms\n    targets: [{provider: up1, model: m8}]\n",
			ups: map[string]*fakeUpstream{"m8": {chat: func(ctx context.Context, _ int, _ *provider.ChatRequest) (*provider.ChatResponse, error) {
				<-ctx.Done()
				return nil, &provider.Error{Code: provider.CodeConnection, Message: "reset", Err: ctx.Err()}
			}}},
			status: 504,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ups := tc.ups
			if ups == nil {
				ups = map[string]*fakeUpstream{}
			}
			h := newHarness(t, baseConfig(tc.models), ups)
			resp := h.do("POST", "/v1/chat/completions", tc.key, tc.body)
			body := readAll(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no x-request-id")
			}
			if tc.header != "" && resp.Header.Get(tc.header) == "" {
				t.Errorf("header %s missing", tc.header)
			}
			if tc.contains != "" && !strings.Contains(string(body), tc.contains) {
				t.Errorf("body %s lacks %q", body, tc.contains)
			}
			if strings.Contains(string(body), "sk-123") && tc.code != provider.CodeBadRequest {
				t.Errorf("upstream detail leaked: %s", body)
			}
			if tc.status >= 400 {
				e := decodeJSON[errorResp](t, body)
				if e.Error.Message == "" || e.Error.Type == "" {
					t.Errorf("not an OpenAI error body: %s", body)
				}
				if tc.code != "" && (e.Error.Code == nil || *e.Error.Code != tc.code) {
					t.Errorf("code %v, want %s", e.Error.Code, tc.code)
				}
				if tc.param != "" && (e.Error.Param == nil || *e.Error.Param != tc.param) {
					t.Errorf("param %v, want %s", e.Error.Param, tc.param)
				}
			}
			recs := h.audit.Records()
			if len(recs) != 1 {
				t.Fatalf("%d audit records, want 1", len(recs))
			}
			if recs[0].Status != tc.status {
				t.Errorf("audit status %d, want %d", recs[0].Status, tc.status)
			}
		})
	}
}

func TestFallbackPathIsAudited(t *testing.T) {
	ups := map[string]*fakeUpstream{"m1": {chat: upstreamFail(0, provider.CodeConnection)}}
	h := newHarness(t, baseConfig(""), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, chatBody)
	readAll(t, resp)
	if ups["m1"].Calls() != 2 {
		t.Errorf("m1 called %d times, want 2 (max_attempts)", ups["m1"].Calls())
	}
	rec := h.audit.Records()[0]
	if rec.Target != "up2/m2" || strings.Join(rec.Fallback, ",") != "up1/m1:connection,up1/m1:connection" {
		t.Errorf("target %q fallback %v", rec.Target, rec.Fallback)
	}
	if rec.PromptTokens != 7 || rec.CompletionTokens != 2 || rec.KeyID != "a" || rec.Model != "chat" {
		t.Errorf("audit record %+v", rec)
	}
}

func TestRetryAfterOverCapFallsBackAtOnce(t *testing.T) {
	ups := map[string]*fakeUpstream{"m1": {chat: func(context.Context, int, *provider.ChatRequest) (*provider.ChatResponse, error) {
		return nil, &provider.Error{Status: 429, Code: provider.CodeRateLimited, RetryAfter: time.Hour}
	}}}
	var waits []time.Duration
	h := newHarness(t, baseConfig(""), ups, func(o *Options) {
		o.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	readAll(t, h.do("POST", "/v1/chat/completions", keyA, chatBody))
	if ups["m1"].Calls() != 1 || len(waits) != 0 {
		t.Errorf("m1 called %d times, waited %v; want one call and no wait", ups["m1"].Calls(), waits)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	ups := map[string]*fakeUpstream{"m3": {chat: func(_ context.Context, n int, req *provider.ChatRequest) (*provider.ChatResponse, error) {
		if n == 1 {
			return nil, &provider.Error{Status: 429, Code: provider.CodeRateLimited, RetryAfter: 700 * time.Millisecond}
		}
		return answer(req.Model, "ok"), nil
	}}}
	var waits []time.Duration
	h := newHarness(t, baseConfig(""), ups, func(o *Options) {
		o.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"solo","messages":[{"role":"user","content":"hi"}]}`)
	readAll(t, resp)
	if resp.StatusCode != 200 || len(waits) != 1 || waits[0] != 700*time.Millisecond {
		t.Errorf("status %d, waits %v; want 200 after one 700ms wait", resp.StatusCode, waits)
	}
}

func TestModels(t *testing.T) {
	h := newHarness(t, baseConfig(""), map[string]*fakeUpstream{})
	resp := h.do("GET", "/v1/models", keyB, "")
	body := readAll(t, resp)
	type list struct {
		Data []struct{ ID string } `json:"data"`
	}
	l := decodeJSON[list](t, body)
	if len(l.Data) != 1 || l.Data[0].ID != "solo" {
		t.Errorf("key b sees %s", body)
	}
	l = decodeJSON[list](t, readAll(t, h.do("GET", "/v1/models", keyA, "")))
	if len(l.Data) != 2 {
		t.Errorf("key a sees %v", l.Data)
	}
	if resp := h.do("GET", "/v1/models", "", ""); resp.StatusCode != 401 {
		t.Errorf("models without key: %d", resp.StatusCode)
	}
}

func TestEmbeddings(t *testing.T) {
	h := newHarness(t, baseConfig(""), map[string]*fakeUpstream{})
	type out struct {
		Data []struct {
			Index     int `json:"index"`
			Embedding any `json:"embedding"`
		} `json:"data"`
		Model string `json:"model"`
		Usage provider.Usage
	}
	resp := h.do("POST", "/v1/embeddings", keyA, `{"model":"chat","input":["a","b"]}`)
	o := decodeJSON[out](t, readAll(t, resp))
	if resp.StatusCode != 200 || len(o.Data) != 2 || o.Model != "chat" || o.Usage.PromptTokens != 3 {
		t.Fatalf("float: %d %+v", resp.StatusCode, o)
	}
	resp = h.do("POST", "/v1/embeddings", keyA, `{"model":"chat","input":"a","encoding_format":"base64"}`)
	o = decodeJSON[out](t, readAll(t, resp))
	s, ok := o.Data[0].Embedding.(string)
	if !ok {
		t.Fatalf("base64 embedding is %T", o.Data[0].Embedding)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) != 12 {
		t.Fatalf("base64 %q: %v", s, err)
	}
	var got []float32
	for i := 0; i < len(raw); i += 4 {
		got = append(got, math.Float32frombits(binary.LittleEndian.Uint32(raw[i:])))
	}
	if got[0] != 0.5 || got[1] != -1 || got[2] != 0 {
		t.Errorf("decoded %v", got)
	}
	resp = h.do("POST", "/v1/embeddings", keyA, `{"model":"chat","input":"a","encoding_format":"hex"}`)
	if readAll(t, resp); resp.StatusCode != 400 {
		t.Errorf("bad encoding_format: %d", resp.StatusCode)
	}
}

func TestHealthAndReady(t *testing.T) {
	h := newHarness(t, baseConfig(""), map[string]*fakeUpstream{})
	for _, p := range []string{"/healthz", "/readyz"} {
		if resp := h.do("GET", p, "", ""); resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	// Open every target of solo: not ready.
	st := h.g.state.Load()
	for _, tier := range st.routes["solo"].tiers {
		for _, tg := range tier {
			tg.health.br.trip(time.Now())
		}
	}
	if resp := h.do("GET", "/readyz", "", ""); resp.StatusCode != 503 {
		t.Errorf("readyz with solo's breaker open: %d", resp.StatusCode)
	}
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"solo","messages":[{"role":"user","content":"hi"}]}`)
	if readAll(t, resp); resp.StatusCode != 503 {
		t.Errorf("chat with every breaker open: %d", resp.StatusCode)
	}
}

func TestRequestIDEchoed(t *testing.T) {
	h := newHarness(t, baseConfig(""), map[string]*fakeUpstream{})
	req, _ := http.NewRequest("GET", h.srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("request id %q", resp.Header.Get("X-Request-Id"))
	}
}

func TestWrongMethodAndPath(t *testing.T) {
	h := newHarness(t, baseConfig(""), map[string]*fakeUpstream{})
	for _, tc := range []struct {
		method, path string
		status       int
	}{{"GET", "/v1/chat/completions", 405}, {"DELETE", "/v1/models", 405}, {"GET", "/v1/nothing", 404}} {
		resp := h.do(tc.method, tc.path, keyA, "")
		body := readAll(t, resp)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d", tc.method, tc.path, resp.StatusCode)
		}
		if e := decodeJSON[errorResp](t, body); e.Error.Message == "" {
			t.Errorf("%s %s: not an OpenAI error: %s", tc.method, tc.path, body)
		}
	}
}

func TestProviderTransport(t *testing.T) {
	yaml := `format: walens-gateway/v1
providers:
  fast: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
  std: {kind: openai, base_url: "http://127.0.0.1:9/v1", transport: net/http}
models:
  a: {targets: [{provider: fast, model: m-fast}]}
  b: {targets: [{provider: std, model: m-std}]}
keys:
  - {id: a, hash: "` + config.HashKey("sk-a") + `"}
`
	cfg, err := config.Parse([]byte(yaml), "gateway.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(cfg); err != nil {
		t.Fatalf("Check: %v", err)
	}
	got := map[string]http.RoundTripper{}
	hc := &http.Client{Transport: newTransport()}
	_, err = New(cfg, Options{HTTPClient: hc, NewProvider: func(pc provider.Config, hc *http.Client) (provider.Provider, error) {
		got[pc.Model] = hc.Transport
		return &fakeUpstream{}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["m-fast"].(*inlinehttp.Transport); !ok {
		t.Errorf("default transport is %T, want *inlinehttp.Transport", got["m-fast"])
	}
	if _, ok := got["m-std"].(*http.Transport); !ok {
		t.Errorf("transport: net/http gave %T, want *http.Transport", got["m-std"])
	}
}
