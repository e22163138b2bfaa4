package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/walens/walens/internal/provider"
	"github.com/walens/walens/internal/provider/providertest"
	"github.com/walens/walens/internal/sse"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixedNow makes the created field of responses reproducible.
func fixedNow() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }

// upstream is a fake Anthropic server. It checks the protocol headers, records the body and answers with respond.
type upstream struct {
	srv     *httptest.Server
	mu      sync.Mutex
	header  http.Header
	body    []byte
	respond func(w http.ResponseWriter, r *http.Request)
}

func newUpstream(t *testing.T, respond func(w http.ResponseWriter, r *http.Request)) *upstream {
	return newUpstreamWith(t, respond, nil)
}

// newUpstreamWith lets a test configure the server before it starts.
func newUpstreamWith(t *testing.T, respond func(w http.ResponseWriter, r *http.Request), configure func(*http.Server)) *upstream {
	u := &upstream{respond: respond}
	u.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.header, u.body = r.Header.Clone(), b
		u.mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
			t.Errorf("fake upstream: %s %s, want POST /v1/messages", r.Method, r.URL.Path)
		}
		if r.Header.Get("X-Api-Key") != "sk-ant-test" || r.Header.Get("Anthropic-Version") != "2023-06-01" ||
			r.Header.Get("Anthropic-Beta") != "beta-1" || r.Header.Get("Authorization") != "" {
			t.Errorf("fake upstream: headers %v", r.Header)
		}
		var probe struct {
			MaxTokens int `json:"max_tokens"`
		}
		if err := json.Unmarshal(b, &probe); err != nil || probe.MaxTokens < 1 {
			t.Errorf("fake upstream: max_tokens missing or body invalid (%v): %s", err, b)
		}
		u.respond(w, r)
	}))
	if configure != nil {
		configure(u.srv.Config)
	}
	u.srv.Start()
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) provider(t *testing.T, mut ...func(*provider.Config)) *Provider {
	cfg := provider.Config{Kind: "anthropic", BaseURL: u.srv.URL, APIKey: "sk-ant-test", Model: "claude-upstream",
		Headers: map[string]string{"anthropic-beta": "beta-1"}}
	for _, f := range mut {
		f(&cfg)
	}
	p, err := New(cfg, providertest.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	p.now = fixedNow
	return p
}

func (u *upstream) sent() []byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.body
}

func serveFile(t *testing.T, path, contentType string) func(http.ResponseWriter, *http.Request) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(b)
	}
}

func readChatRequest(t *testing.T, path string) *provider.ChatRequest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r provider.ChatRequest
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &r
}

func userMessage(s string) []provider.Message {
	return []provider.Message{{Role: "user", Content: provider.TextContent(s)}}
}

// TestChatGolden checks the Messages request built from a canonical request, and the chat completion built from the
// Messages response, against golden files.
func TestChatGolden(t *testing.T) {
	ents, err := os.ReadDir("testdata/chat")
	if err != nil || len(ents) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, e := range ents {
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata/chat", e.Name())
			u := newUpstream(t, serveFile(t, filepath.Join(dir, "upstream_response.json"), "application/json"))
			resp, err := u.provider(t).Chat(context.Background(), readChatRequest(t, filepath.Join(dir, "request.json")))
			if err != nil {
				t.Fatal(err)
			}
			providertest.GoldenJSON(t, filepath.Join(dir, "upstream_request.json"), u.sent(), *update)
			out, _ := json.Marshal(resp)
			providertest.GoldenJSON(t, filepath.Join(dir, "response.json"), out, *update)
		})
	}
}

type streamResult struct {
	Chunks []*provider.Chunk `json:"chunks"`
	Error  *goldenError      `json:"error"`
}

type goldenError struct {
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

// TestStreamGolden replays recorded event streams and checks the chunks and the terminal error against golden files.
func TestStreamGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/stream/*.sse")
	if len(files) == 0 {
		t.Fatal("no stream cases")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sse")
		t.Run(name, func(t *testing.T) {
			u := newUpstream(t, serveFile(t, file, "text/event-stream"))
			s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{Model: "alias", Messages: userMessage("hi")})
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := providertest.Collect(s)
			res := streamResult{Chunks: chunks}
			if err != nil {
				var pe *provider.Error
				if !errors.As(err, &pe) {
					t.Fatalf("stream error %v is not a *provider.Error", err)
				}
				res.Error = &goldenError{pe.Status, pe.Code, pe.Message, provider.Retryable(err)}
				if strings.Contains(pe.Message, "us-east-7") || strings.Contains(pe.Message, "per-minute") {
					t.Errorf("client message %q leaks the upstream's words", pe.Message)
				}
			} else if _, aerr := providertest.Assemble(chunks); aerr != nil {
				t.Errorf("stream breaks an invariant: %v", aerr)
			}
			var sent struct {
				Stream bool `json:"stream"`
			}
			if json.Unmarshal(u.sent(), &sent) != nil || !sent.Stream {
				t.Errorf("stream not requested upstream: %s", u.sent())
			}
			out, _ := json.Marshal(res)
			providertest.GoldenJSON(t, strings.TrimSuffix(file, ".sse")+".golden.json", out, *update)
		})
	}
}

// TestStreamAssembles checks the assembled message of the recorded tool-call stream, beyond the golden comparison.
func TestStreamAssembles(t *testing.T) {
	u := newUpstream(t, serveFile(t, "testdata/stream/tool_calls.sse", "text/event-stream"))
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("hi")})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := providertest.Collect(s)
	if err != nil {
		t.Fatal(err)
	}
	m, err := providertest.Assemble(chunks)
	if err != nil {
		t.Fatal(err)
	}
	if m.Role != "assistant" || m.Content != "Checking." || m.FinishReason != "tool_calls" || len(m.ToolCalls) != 2 {
		t.Fatalf("assembled %+v", m)
	}
	if m.ToolCalls[0].ID != "toolu_a" || m.ToolCalls[0].Function.Arguments != `{"city": "Paris"}` || m.ToolCalls[1].Function.Name != "get_time" {
		t.Fatalf("tool calls %+v", m.ToolCalls)
	}
	want := provider.Usage{PromptTokens: 35, CompletionTokens: 60, TotalTokens: 95, PromptTokensDetails: &provider.PromptTokensDetails{CachedTokens: 7}}
	if m.Usage == nil || *m.Usage.PromptTokensDetails != *want.PromptTokensDetails || m.Usage.PromptTokens != want.PromptTokens ||
		m.Usage.CompletionTokens != want.CompletionTokens || m.Usage.TotalTokens != want.TotalTokens {
		t.Fatalf("usage %+v", m.Usage)
	}
}

func TestStreamOversizedEvent(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
		_ = sse.WriteEvent(w, "message_start", []byte(`{"type":"message_start","message":{"id":"m","model":"c","usage":{}}}`))
		_ = sse.WriteEvent(w, "content_block_delta", []byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`+strings.Repeat("a", 5000)+`"}}`))
	})
	s, err := u.provider(t, func(c *provider.Config) { c.MaxResponseBytes = 1024 }).ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("hi")})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := providertest.Collect(s)
	if len(chunks) != 1 {
		t.Fatalf("%d chunks before the oversized event, want 1", len(chunks))
	}
	assertCode(t, err, provider.CodeMalformed)
}

func TestTranslationErrors(t *testing.T) {
	one := 1
	two := 2
	zero := 0
	tests := []struct {
		name  string
		req   provider.ChatRequest
		field string
	}{
		{"n", provider.ChatRequest{N: &two, Messages: userMessage("x")}, "n:"},
		{"max_tokens", provider.ChatRequest{MaxTokens: &zero, Messages: userMessage("x")}, "max_tokens"},
		{"role", provider.ChatRequest{Messages: []provider.Message{{Role: "function", Content: provider.TextContent("x")}}}, "messages[0].role"},
		{"tool without id", provider.ChatRequest{Messages: []provider.Message{{Role: "tool", Content: provider.TextContent("x")}}}, "messages[0].tool_call_id"},
		{"audio part", provider.ChatRequest{Messages: []provider.Message{{Role: "user", Content: provider.Content{IsParts: true,
			Parts: []provider.Part{{Type: "input_audio", Raw: json.RawMessage(`{"type":"input_audio"}`)}}}}}}, "messages[0].content[0]"},
		{"bad data url", provider.ChatRequest{Messages: []provider.Message{{Role: "user", Content: provider.Content{IsParts: true,
			Parts: []provider.Part{{Type: "image_url", ImageURL: &provider.ImageURL{URL: "data:image/png,abc"}}}}}}}, "messages[0].content[0].image_url.url"},
		{"svg data url", provider.ChatRequest{Messages: []provider.Message{{Role: "user", Content: provider.Content{IsParts: true,
			Parts: []provider.Part{{Type: "image_url", ImageURL: &provider.ImageURL{URL: "data:image/svg+xml;base64,PHN2Zz4="}}}}}}}, "image/svg+xml"},
		{"file url", provider.ChatRequest{Messages: []provider.Message{{Role: "user", Content: provider.Content{IsParts: true,
			Parts: []provider.Part{{Type: "image_url", ImageURL: &provider.ImageURL{URL: "file:///etc/passwd"}}}}}}}, "image_url.url"},
		{"arguments not an object", provider.ChatRequest{Messages: []provider.Message{{Role: "assistant",
			ToolCalls: []provider.ToolCall{{ID: "t", Function: provider.FunctionCall{Name: "f", Arguments: "[1"}}}}}}, "messages[0].tool_calls[0].function.arguments"},
		{"tool choice", provider.ChatRequest{Messages: userMessage("x"), ToolChoice: json.RawMessage(`"sometimes"`)}, "tool_choice"},
		{"tool choice object", provider.ChatRequest{Messages: userMessage("x"), ToolChoice: json.RawMessage(`{"type":"function"}`)}, "tool_choice"},
		{"tool name", provider.ChatRequest{Messages: userMessage("x"), Tools: []provider.Tool{{Type: "function"}}}, "tools[0].function.name"},
		{"n of one is fine", provider.ChatRequest{N: &one, Messages: userMessage("x")}, ""},
	}
	p, err := New(provider.Config{BaseURL: "http://127.0.0.1:1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := toMessages(&tt.req, "m")
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pe := assertCode(t, err, provider.CodeBadRequest)
			if pe.Status != http.StatusBadRequest || !strings.Contains(pe.Message, tt.field) || provider.Retryable(err) {
				t.Fatalf("error %+v does not name %q with status 400", pe, tt.field)
			}
			// The same error comes out of Chat and ChatStream before any request is sent.
			if _, err := p.Chat(context.Background(), &tt.req); !errors.As(err, &pe) || pe.Code != provider.CodeBadRequest {
				t.Fatalf("Chat: %v", err)
			}
			if _, err := p.ChatStream(context.Background(), &tt.req); !errors.As(err, &pe) || pe.Code != provider.CodeBadRequest {
				t.Fatalf("ChatStream: %v", err)
			}
		})
	}
}

func TestToolChoice(t *testing.T) {
	f := false
	tests := []struct {
		raw      string
		parallel *bool
		want     string
	}{
		{``, nil, `null`},
		{`"auto"`, nil, `{"type":"auto"}`},
		{`"none"`, &f, `{"type":"none"}`},
		{`"required"`, nil, `{"type":"any"}`},
		{`{"type":"function","function":{"name":"f"}}`, &f, `{"type":"tool","name":"f","disable_parallel_tool_use":true}`},
		{``, &f, `{"type":"auto","disable_parallel_tool_use":true}`},
	}
	for _, tt := range tests {
		tc, err := toToolChoice(json.RawMessage(tt.raw), tt.parallel)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(tc)
		if string(got) != tt.want {
			t.Errorf("toToolChoice(%s) = %s, want %s", tt.raw, got, tt.want)
		}
	}
}

func TestEmbedUnsupported(t *testing.T) {
	p, err := New(provider.Config{BaseURL: "https://api.anthropic.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Embed(context.Background(), &provider.EmbeddingRequest{})
	pe := assertCode(t, err, provider.CodeBadRequest)
	if pe.Message != "embeddings are not supported by the Anthropic provider" || provider.Retryable(err) {
		t.Fatalf("%+v", pe)
	}
}

func TestErrorMapping(t *testing.T) {
	body := func(typ, msg string) string {
		b, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]string{"type": typ, "message": msg}})
		return string(b)
	}
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		code       string
		retryAfter time.Duration
		retryable  bool
	}{
		{"429", 429, map[string]string{"retry-after": "12"}, body("rate_limit_error", "org org-secret over limit"), provider.CodeRateLimited, 12 * time.Second, true},
		{"529 overloaded", 529, nil, body("overloaded_error", "Overloaded"), provider.CodeUpstream, 0, true},
		{"500", 500, nil, body("api_error", "Internal server error at node-9"), provider.CodeUpstream, 0, true},
		{"502 html", 502, nil, "<html>bad gateway</html>", provider.CodeUpstream, 0, true},
		{"prompt too long", 400, nil, body("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"), provider.CodeContextLength, 0, true},
		{"context limit", 400, nil, body("invalid_request_error", "input length and `max_tokens` exceed context limit: 190000 + 20000 > 200000"), provider.CodeContextLength, 0, true},
		{"bad request", 400, nil, body("invalid_request_error", "messages: roles must alternate"), provider.CodeBadRequest, 0, false},
		{"401", 401, nil, body("authentication_error", "invalid x-api-key"), provider.CodeAuth, 0, false},
		{"403", 403, nil, body("permission_error", "no access"), provider.CodeAuth, 0, false},
		{"404", 404, nil, body("not_found_error", "model: claude-9"), provider.CodeUpstream, 0, false},
		{"413", 413, nil, body("request_too_large", "too big"), provider.CodeBadRequest, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			p := u.provider(t)
			for _, call := range []func() error{
				func() error {
					_, err := p.Chat(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
					return err
				},
				func() error {
					_, err := p.ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
					return err
				},
			} {
				err := call()
				pe := assertCode(t, err, tt.code)
				if pe.Status != tt.status || pe.RetryAfter != tt.retryAfter || provider.Retryable(err) != tt.retryable {
					t.Errorf("status %d retry-after %v retryable %v; want %d %v %v", pe.Status, pe.RetryAfter,
						provider.Retryable(err), tt.status, tt.retryAfter, tt.retryable)
				}
				for _, leak := range []string{"org-secret", "node-9", "210000", "x-api-key", "claude-9", "alternate", "bad gateway"} {
					if strings.Contains(pe.Message, leak) {
						t.Errorf("client message %q leaks %q", pe.Message, leak)
					}
				}
			}
		})
	}
}

func TestChatMalformed(t *testing.T) {
	for _, b := range []string{`{"id":`, `{"type":"completion"}`, `{"type":"message","content":[{"type":"tool_use","id":"t","name":"f","input":"x`} {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, b) })
		_, err := u.provider(t).Chat(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
		assertCode(t, err, provider.CodeMalformed)
	}
}

func TestChatResponseTooLarge(t *testing.T) {
	u := newUpstream(t, serveFile(t, "testdata/chat/basic/upstream_response.json", "application/json"))
	_, err := u.provider(t, func(c *provider.Config) { c.MaxResponseBytes = 64 }).Chat(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
	assertCode(t, err, provider.CodeMalformed)
}

func assertCode(t *testing.T, err error, code string) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want a *provider.Error with code %s", err, err, code)
	}
	if pe.Code != code {
		t.Fatalf("code = %q (%v), want %q", pe.Code, err, code)
	}
	return pe
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p, err := New(provider.Config{BaseURL: "http://" + addr}, providertest.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
	pe := assertCode(t, err, provider.CodeConnection)
	if pe.Status != 0 || !provider.Retryable(err) {
		t.Fatalf("%+v", pe)
	}
}

func TestDeadlineAndCancel(t *testing.T) {
	u := newUpstream(t, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	p := u.provider(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := p.Chat(ctx, &provider.ChatRequest{Messages: userMessage("x")})
	assertCode(t, err, provider.CodeTimeout)

	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel2)
	_, err = p.ChatStream(ctx2, &provider.ChatRequest{Messages: userMessage("x")})
	if !errors.Is(err, context.Canceled) || provider.Retryable(err) {
		t.Fatalf("err = %v, want a non-retryable cancellation", err)
	}
}

// startThenHang sends message_start, then holds the stream open until the request ends.
func startThenHang(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	_ = sse.WriteEvent(w, "message_start", []byte(`{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1}}}`))
	<-r.Context().Done()
}

func TestStreamCloseDuringRecv(t *testing.T) {
	u := newUpstream(t, startThenHang)
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recv(); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := s.Recv()
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond) // let Recv block; the test is still correct if it has not yet
	_ = s.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Recv after Close = %v, want net.ErrClosed", err)
	}
	_ = s.Close()
}

func TestStreamContextCancelled(t *testing.T) {
	u := newUpstream(t, startThenHang)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := u.provider(t).ChatStream(ctx, &provider.ChatRequest{Messages: userMessage("x")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := s.Recv(); !errors.Is(err, context.Canceled) || provider.Retryable(err) {
		t.Fatalf("Recv = %v, want a cancellation", err)
	}
}

func TestStreamConnectionReset(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_ = sse.WriteEvent(w, "message_start", []byte(`{"type":"message_start","message":{"id":"m","model":"c","usage":{}}}`))
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		conn.Close()
	})
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := providertest.Collect(s)
	if len(chunks) != 1 {
		t.Fatalf("%d chunks before the reset, want 1", len(chunks))
	}
	pe := assertCode(t, err, provider.CodeConnection)
	if !provider.Retryable(pe) {
		t.Fatal("a reset must be retryable")
	}
}

func TestNewValidation(t *testing.T) {
	for _, cfg := range []provider.Config{
		{BaseURL: ""}, {BaseURL: "api.anthropic.com"}, {BaseURL: "http://x", MaxResponseBytes: -5},
		{BaseURL: "http://x", Headers: map[string]string{"a b": "c"}},
	} {
		if _, err := New(cfg, nil); err == nil {
			t.Errorf("New(%+v) accepted an invalid config", cfg)
		}
	}
}

// FuzzStream feeds arbitrary bytes to the stream as an upstream body: it must never panic, and a stream that ends
// cleanly must satisfy the invariants the gateway relies on.
func FuzzStream(f *testing.F) {
	files, _ := filepath.Glob("testdata/stream/*.sse")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := &stream{EventStream: provider.NewEventStream(context.Background(), io.NopCloser(bytes.NewReader(in)), 4096, "anthropic stream", "message_stop")}
		chunks, err := providertest.Collect(s)
		if err != nil {
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Message == "" || pe.Code == "" {
				t.Fatalf("error %v is not a classified *provider.Error", err)
			}
			return
		}
		m, err := providertest.Assemble(chunks)
		if err != nil {
			t.Fatal(err)
		}
		if m.Usage == nil {
			t.Fatal("a clean stream must end with a usage chunk")
		}
		if m.Usage.TotalTokens != m.Usage.PromptTokens+m.Usage.CompletionTokens {
			t.Fatalf("usage does not add up: %+v", m.Usage)
		}
	})
}

func BenchmarkStream(b *testing.B) {
	in, err := os.ReadFile("testdata/stream/tool_calls.sse")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s := &stream{EventStream: provider.NewEventStream(context.Background(), io.NopCloser(bytes.NewReader(in)), 1<<20, "anthropic stream", "message_stop")}
		for {
			if _, err := s.Recv(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}

// TestStreamReusesConnection checks that a stream read to message_stop leaves its connection in the pool.
func TestStreamReusesConnection(t *testing.T) {
	// Flushing each event makes the body chunked, as a real upstream's is: the end of the chunked encoding then
	// follows the last event, and the connection is only reusable once that has been read.
	var mu sync.Mutex
	conns := 0
	u := newUpstreamWith(t, flushEvents(t, "testdata/stream/text.sse"), func(s *http.Server) {
		s.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				mu.Lock()
				conns++
				mu.Unlock()
			}
		}
	})
	p := u.provider(t)
	for range 3 {
		s, err := p.ChatStream(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := providertest.Collect(s); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Fatalf("3 streams used %d connections, want 1", conns)
	}
}

// flushEvents serves a recorded stream one flushed event at a time.
func flushEvents(t *testing.T, path string) func(http.ResponseWriter, *http.Request) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, ev := range bytes.SplitAfter(b, []byte("\n\n")) {
			_, _ = w.Write(ev)
			w.(http.Flusher).Flush()
		}
	}
}

func TestChatErrorBodyWith200(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded in region-4"}}`)
	})
	_, err := u.provider(t).Chat(context.Background(), &provider.ChatRequest{Messages: userMessage("x")})
	pe := assertCode(t, err, provider.CodeUpstream)
	if pe.Status != statusOverloaded || !provider.Retryable(err) || strings.Contains(pe.Message, "region-4") {
		t.Fatalf("%+v", pe)
	}
}
