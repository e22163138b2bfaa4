package openai

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
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// upstream is a fake OpenAI-compatible server. It records what it received and answers with respond.
type upstream struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	path    string
	header  http.Header
	body    []byte
	respond func(w http.ResponseWriter, r *http.Request)
}

func newUpstream(t *testing.T, respond func(w http.ResponseWriter, r *http.Request)) *upstream {
	return newUpstreamWith(t, respond, nil)
}

// newUpstreamWith lets a test configure the server before it starts.
func newUpstreamWith(t *testing.T, respond func(w http.ResponseWriter, r *http.Request), configure func(*http.Server)) *upstream {
	u := &upstream{t: t, respond: respond}
	u.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("fake upstream: read body: %v", err)
		}
		u.mu.Lock()
		u.path, u.header, u.body = r.URL.Path, r.Header.Clone(), b
		u.mu.Unlock()
		if r.Method != http.MethodPost {
			t.Errorf("fake upstream: method %s, want POST", r.Method)
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
	cfg := provider.Config{Kind: "openai", BaseURL: u.srv.URL + "/v1/", APIKey: "sk-test", Model: "gpt-upstream",
		Headers: map[string]string{"OpenAI-Organization": "org-1"}}
	for _, f := range mut {
		f(&cfg)
	}
	p, err := New(cfg, providertest.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (u *upstream) received() (string, http.Header, []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.path, u.header, u.body
}

func (u *upstream) checkHeaders(t *testing.T, wantPath string) {
	t.Helper()
	path, h, _ := u.received()
	if path != wantPath {
		t.Errorf("path = %q, want %q", path, wantPath)
	}
	if got := h.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.Get("OpenAI-Organization"); got != "org-1" {
		t.Errorf("configured header missing: %q", got)
	}
	if got := h.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
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

func readRequest[T any](t *testing.T, path string) *T {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &v
}

// normalized encodes v with sorted keys: Extra is a map, so its encoding order varies.
func normalized(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	n, err := providertest.Normalize(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(n)
}

func caseDirs(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatalf("no cases under %s", dir)
	}
	return out
}

// TestChatGolden checks the request sent upstream for a canonical request, and the canonical response built from
// the upstream's answer, against golden files.
func TestChatGolden(t *testing.T) {
	for _, name := range caseDirs(t, "testdata/chat") {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata/chat", name)
			u := newUpstream(t, serveFile(t, filepath.Join(dir, "upstream_response.json"), "application/json"))
			req := readRequest[provider.ChatRequest](t, filepath.Join(dir, "request.json"))
			before := normalized(t, req)
			resp, err := u.provider(t).Chat(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if before != normalized(t, req) {
				t.Error("Chat modified the caller's request")
			}
			u.checkHeaders(t, "/v1/chat/completions")
			_, _, sent := u.received()
			providertest.GoldenJSON(t, filepath.Join(dir, "upstream_request.json"), sent, *update)
			out, _ := json.Marshal(resp)
			providertest.GoldenJSON(t, filepath.Join(dir, "response.json"), out, *update)
		})
	}
}

func TestEmbedGolden(t *testing.T) {
	for _, name := range caseDirs(t, "testdata/embed") {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata/embed", name)
			u := newUpstream(t, serveFile(t, filepath.Join(dir, "upstream_response.json"), "application/json"))
			req := readRequest[provider.EmbeddingRequest](t, filepath.Join(dir, "request.json"))
			resp, err := u.provider(t).Embed(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			u.checkHeaders(t, "/v1/embeddings")
			_, _, sent := u.received()
			providertest.GoldenJSON(t, filepath.Join(dir, "upstream_request.json"), sent, *update)
			out, _ := json.Marshal(resp)
			providertest.GoldenJSON(t, filepath.Join(dir, "response.json"), out, *update)
		})
	}
}

func TestEmbedCountMismatch(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}`)
	})
	_, err := u.provider(t).Embed(context.Background(), &provider.EmbeddingRequest{Input: provider.EmbeddingInput{Texts: []string{"a", "b"}}})
	assertCode(t, err, provider.CodeMalformed)
}

// streamResult is the golden form of a stream: the chunks, then how it ended.
type streamResult struct {
	Chunks []*provider.Chunk `json:"chunks"`
	Error  *goldenError      `json:"error"`
}

type goldenError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// TestStreamGolden replays recorded upstream streams and checks the chunks and terminal error against golden files.
func TestStreamGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/stream/*.sse")
	if len(files) == 0 {
		t.Fatal("no stream cases")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sse")
		t.Run(name, func(t *testing.T) {
			u := newUpstream(t, serveFile(t, file, "text/event-stream"))
			req := &provider.ChatRequest{Model: "alias", Messages: []provider.Message{{Role: "user", Content: provider.TextContent("hi")}}}
			s, err := u.provider(t).ChatStream(context.Background(), req)
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
				res.Error = &goldenError{pe.Status, pe.Code, pe.Message}
			} else if _, aerr := providertest.Assemble(chunks); aerr != nil {
				t.Errorf("stream breaks an invariant: %v", aerr)
			}
			out, _ := json.Marshal(res)
			providertest.GoldenJSON(t, strings.TrimSuffix(file, ".sse")+".golden.json", out, *update)
		})
	}
}

// TestStreamRequest checks that include_usage is injected upstream whatever the client asked, and that Extra fields
// and the upstream model are sent.
func TestStreamRequest(t *testing.T) {
	u := newUpstream(t, serveFile(t, "testdata/stream/text.sse", "text/event-stream"))
	for _, opts := range []*provider.StreamOptions{nil, {IncludeUsage: false}, {IncludeUsage: true}} {
		req := &provider.ChatRequest{Model: "alias", Messages: []provider.Message{{Role: "user", Content: provider.TextContent("hi")}},
			StreamOptions: opts, Extra: map[string]json.RawMessage{"chat_template_kwargs": json.RawMessage(`{"x":1}`)}}
		s, err := u.provider(t).ChatStream(context.Background(), req)
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
		if m.Content != "Hello" || m.Usage == nil || m.Usage.TotalTokens != 11 || m.FinishReason != "stop" {
			t.Fatalf("assembled %+v", m)
		}
		_, h, body := u.received()
		var sent map[string]any
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatal(err)
		}
		so, _ := sent["stream_options"].(map[string]any)
		if sent["stream"] != true || so["include_usage"] != true || sent["model"] != "gpt-upstream" || sent["chat_template_kwargs"] == nil {
			t.Fatalf("sent %s", body)
		}
		if !strings.Contains(h.Get("Accept"), "text/event-stream") {
			t.Errorf("Accept = %q", h.Get("Accept"))
		}
		if req.StreamOptions != opts || req.Model != "alias" {
			t.Fatal("ChatStream modified the caller's request")
		}
	}
}

func TestStreamOversizedEvent(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"`+strings.Repeat("a", 5000)+`"}}]}`+"\n\n")
	})
	s, err := u.provider(t, func(c *provider.Config) { c.MaxResponseBytes = 1024 }).ChatStream(context.Background(), &provider.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = providertest.Collect(s)
	assertCode(t, err, provider.CodeMalformed)
}

func TestChatResponseTooLarge(t *testing.T) {
	u := newUpstream(t, serveFile(t, "testdata/chat/basic/upstream_response.json", "application/json"))
	_, err := u.provider(t, func(c *provider.Config) { c.MaxResponseBytes = 100 }).Chat(context.Background(), &provider.ChatRequest{})
	assertCode(t, err, provider.CodeMalformed)
}

func TestChatMalformed(t *testing.T) {
	for _, body := range []string{`{"id":`, `<html>bad gateway</html>`, `{"id":"x","choices":[]}`} {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) })
		_, err := u.provider(t).Chat(context.Background(), &provider.ChatRequest{})
		assertCode(t, err, provider.CodeMalformed)
	}
}

func TestChatErrorIn200(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"error":{"message":"upstream exploded at host-7","type":"server_error"}}`)
	})
	_, err := u.provider(t).Chat(context.Background(), &provider.ChatRequest{})
	pe := assertCode(t, err, provider.CodeUpstream)
	if strings.Contains(pe.Message, "host-7") {
		t.Fatalf("client message leaks the upstream body: %q", pe.Message)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		code       string
		retryAfter time.Duration
		retryable  bool
	}{
		{"429 retry-after seconds", 429, map[string]string{"Retry-After": "7"},
			`{"error":{"message":"Rate limit reached for org-secret","type":"requests","code":"rate_limit_exceeded"}}`, provider.CodeRateLimited, 7 * time.Second, true},
		{"429 retry-after-ms wins", 429, map[string]string{"Retry-After": "7", "retry-after-ms": "1500"},
			`{"error":{"message":"slow down","type":"tokens"}}`, provider.CodeRateLimited, 1500 * time.Millisecond, true},
		{"429 http date", 429, map[string]string{"Retry-After": "Tue, 01 Dec 2026 00:00:30 GMT"}, `{}`, provider.CodeRateLimited, 30 * time.Second, true},
		{"500", 500, nil, `{"error":{"message":"internal host db-3 down","type":"server_error"}}`, provider.CodeUpstream, 0, true},
		{"503 html", 503, nil, `<html>upstream connect error</html>`, provider.CodeUpstream, 0, true},
		{"context length", 400, nil,
			`{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`,
			provider.CodeContextLength, 0, true},
		{"vllm context length", 400, nil,
			`{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}`,
			provider.CodeContextLength, 0, true},
		{"content filter", 400, nil, `{"error":{"message":"filtered","type":null,"code":"content_filter"}}`, provider.CodeContentFiltered, 0, false},
		{"401", 401, nil, `{"error":{"message":"Incorrect API key provided: sk-abc***","type":"invalid_request_error","code":"invalid_api_key"}}`, provider.CodeAuth, 0, false},
		{"403", 403, nil, `{"error":"forbidden"}`, provider.CodeAuth, 0, false},
		{"ollama 404", 404, nil, `{"error":"model \"llama9\" not found, try pulling it first"}`, provider.CodeUpstream, 0, false},
		{"400", 400, nil, `{"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error","param":"temperature"}}`, provider.CodeBadRequest, 0, false},
		{"408", 408, nil, ``, provider.CodeTimeout, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			p := u.provider(t)
			p.now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
			for _, call := range []func() error{
				func() error { _, err := p.Chat(context.Background(), &provider.ChatRequest{}); return err },
				func() error { _, err := p.ChatStream(context.Background(), &provider.ChatRequest{}); return err },
				func() error { _, err := p.Embed(context.Background(), &provider.EmbeddingRequest{}); return err },
			} {
				err := call()
				pe := assertCode(t, err, tt.code)
				if pe.Status != tt.status || pe.RetryAfter != tt.retryAfter {
					t.Errorf("status %d retry-after %v, want %d %v", pe.Status, pe.RetryAfter, tt.status, tt.retryAfter)
				}
				if provider.Retryable(err) != tt.retryable {
					t.Errorf("Retryable = %v, want %v", !tt.retryable, tt.retryable)
				}
				for _, leak := range []string{"org-secret", "db-3", "sk-abc", "llama9", "128000", "temperature", "connect error"} {
					if strings.Contains(pe.Message, leak) {
						t.Errorf("client message %q leaks upstream detail %q", pe.Message, leak)
					}
				}
			}
		})
	}
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
	p, err := New(provider.Config{BaseURL: "http://" + addr + "/v1"}, providertest.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Chat(context.Background(), &provider.ChatRequest{})
	pe := assertCode(t, err, provider.CodeConnection)
	if pe.Status != 0 || !provider.Retryable(err) {
		t.Fatalf("status %d retryable %v", pe.Status, provider.Retryable(err))
	}
}

// hang is an upstream that never answers until the request (or the test) ends.
func hang(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

func TestDeadlineAndCancel(t *testing.T) {
	u := newUpstream(t, hang)
	p := u.provider(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := p.Chat(ctx, &provider.ChatRequest{})
	assertCode(t, err, provider.CodeTimeout)
	if !provider.Retryable(err) {
		t.Error("a timeout must be retryable")
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel2)
	_, err = p.ChatStream(ctx2, &provider.ChatRequest{})
	if !errors.Is(err, context.Canceled) || provider.Retryable(err) {
		t.Fatalf("err = %v, want a non-retryable cancellation", err)
	}
}

// firstChunkThenHang sends one chunk, then holds the stream open until the request ends.
func firstChunkThenHang(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	_, _ = io.WriteString(w, `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"}}]}`+"\n\n")
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

func TestStreamCloseDuringRecv(t *testing.T) {
	u := newUpstream(t, firstChunkThenHang)
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recv(); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := s.Recv() // blocks: the upstream sends nothing more
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond) // let Recv block; the test is correct (if weaker) when it has not yet
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Recv after Close = %v, want net.ErrClosed", err)
	}
	_ = s.Close() // idempotent
	if _, err := s.Recv(); err == nil {
		t.Fatal("Recv after Close returned a chunk")
	}
}

func TestStreamContextCancelled(t *testing.T) {
	u := newUpstream(t, firstChunkThenHang)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := u.provider(t).ChatStream(ctx, &provider.ChatRequest{})
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

// TestStreamConnectionReset cuts the TCP connection in the middle of a stream.
func TestStreamConnectionReset(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"}}]}`+"\n\n")
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // send RST rather than FIN
		}
		conn.Close()
	})
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := providertest.Collect(s)
	if len(chunks) != 1 {
		t.Fatalf("got %d chunks before the reset, want 1", len(chunks))
	}
	pe := assertCode(t, err, provider.CodeConnection)
	if !provider.Retryable(pe) {
		t.Fatal("a reset must be retryable")
	}
}

func TestNewValidation(t *testing.T) {
	tests := []struct {
		cfg  provider.Config
		want string
	}{
		{provider.Config{BaseURL: ""}, "base_url"},
		{provider.Config{BaseURL: "ftp://x"}, "base_url"},
		{provider.Config{BaseURL: "localhost:8000"}, "base_url"},
		{provider.Config{BaseURL: "http://x", MaxResponseBytes: -1}, "max_response_bytes"},
		{provider.Config{BaseURL: "http://x", Headers: map[string]string{"Bad Name": "v"}}, "headers"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tt.cfg, err, tt.want)
		}
	}
	if _, err := New(provider.Config{BaseURL: "http://localhost:11434/v1", APIKey: "sk-secret"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestAPIKeyNotInErrors(t *testing.T) {
	_, err := New(provider.Config{BaseURL: "::bad", APIKey: "sk-secret"}, nil)
	if err == nil || strings.Contains(err.Error(), "sk-secret") {
		t.Fatalf("err = %v", err)
	}
}

func TestStreamJSONBodyWith200(t *testing.T) {
	for body, code := range map[string]string{
		`{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}`: provider.CodeRateLimited,
		`{"id":"x"}`: provider.CodeMalformed,
	} {
		u := newUpstream(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = io.WriteString(w, body)
		})
		_, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{})
		assertCode(t, err, code)
	}
}

// FuzzStream feeds arbitrary bytes to the stream as an upstream body: it must never panic, failures must be
// classified, and a stream that ends at [DONE] yields only chat.completion.chunk values as they were sent.
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
		chunks, err := providertest.Collect(newStream(context.Background(), io.NopCloser(bytes.NewReader(in)), 4096))
		if err != nil {
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Message == "" || pe.Code == "" {
				t.Fatalf("error %v is not a classified *provider.Error", err)
			}
			return
		}
		if !bytes.Contains(in, []byte("[DONE]")) {
			t.Fatal("a stream without [DONE] ended cleanly")
		}
		for _, c := range chunks {
			if c == nil {
				t.Fatal("nil chunk")
			}
		}
	})
}

func BenchmarkStream(b *testing.B) {
	in, err := os.ReadFile("testdata/stream/text.sse")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s := newStream(context.Background(), io.NopCloser(bytes.NewReader(in)), 1<<20)
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

// TestStreamReusesConnection checks that a stream read to [DONE] leaves its connection in the pool, so that
// back-to-back streams do not each pay for a new TCP connection.
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
		s, err := p.ChatStream(context.Background(), &provider.ChatRequest{})
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

// TestStreamEndsWhenUpstreamLingers checks that an upstream keeping the response open after [DONE] does not hold
// up the end of the stream.
func TestStreamEndsWhenUpstreamLingers(t *testing.T) {
	serve := flushEvents(t, "testdata/stream/text.sse")
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		serve(w, r)
		<-r.Context().Done()
	})
	s, err := u.provider(t).ChatStream(context.Background(), &provider.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := providertest.Collect(s); err != nil {
		t.Fatal(err)
	}
}
