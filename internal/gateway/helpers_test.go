package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
)

// fakeUpstream is a scripted provider for one upstream model. Tests that need the real wire protocols use the
// provider packages against their fakes (see e2e_test.go); these exercise the gateway's own logic.
type fakeUpstream struct {
	mu     sync.Mutex
	calls  int
	chat   func(ctx context.Context, n int, req *provider.ChatRequest) (*provider.ChatResponse, error)
	stream func(ctx context.Context, n int, req *provider.ChatRequest) (provider.Stream, error)
	embed  func(ctx context.Context, n int, req *provider.EmbeddingRequest) (*provider.EmbeddingResponse, error)
	last   *provider.ChatRequest
}

func (f *fakeUpstream) next(req *provider.ChatRequest) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if req != nil {
		cp := *req
		f.last = &cp
	}
	return f.calls
}

func (f *fakeUpstream) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeUpstream) Last() *provider.ChatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func (f *fakeUpstream) Chat(ctx context.Context, req *provider.ChatRequest) (*provider.ChatResponse, error) {
	n := f.next(req)
	if f.chat == nil {
		return answer(req.Model, "hello from "+req.Model), nil
	}
	return f.chat(ctx, n, req)
}

func (f *fakeUpstream) ChatStream(ctx context.Context, req *provider.ChatRequest) (provider.Stream, error) {
	n := f.next(req)
	if f.stream == nil {
		return chunks(ctx, req.Model, "hel", "lo"), nil
	}
	return f.stream(ctx, n, req)
}

func (f *fakeUpstream) Embed(ctx context.Context, req *provider.EmbeddingRequest) (*provider.EmbeddingResponse, error) {
	n := f.next(nil)
	if f.embed == nil {
		resp := &provider.EmbeddingResponse{Object: "list", Model: req.Model, Usage: provider.Usage{PromptTokens: 3, TotalTokens: 3}}
		for i := range req.Input.Len() {
			resp.Data = append(resp.Data, provider.Embedding{Object: "embedding", Index: i, Embedding: []float32{0.5, -1, float32(i)}})
		}
		return resp, nil
	}
	return f.embed(ctx, n, req)
}

func answer(model, text string) *provider.ChatResponse {
	return &provider.ChatResponse{ID: "chatcmpl-1", Object: "chat.completion", Created: 1, Model: model,
		Choices: []provider.Choice{{Message: provider.Message{Role: "assistant", Content: provider.TextContent(text)}, FinishReason: "stop"}},
		Usage:   &provider.Usage{PromptTokens: 7, CompletionTokens: 2, TotalTokens: 9}}
}

// sliceStream replays chunks, then an error (or io.EOF); it honours ctx like a network stream.
type sliceStream struct {
	ctx    context.Context
	chunks []*provider.Chunk
	err    error
	block  bool // block after the chunks until ctx ends
	closed chan struct{}
	once   sync.Once
}

func (s *sliceStream) Recv() (*provider.Chunk, error) {
	if len(s.chunks) > 0 {
		c := s.chunks[0]
		s.chunks = s.chunks[1:]
		return c, nil
	}
	if s.block {
		select {
		case <-s.ctx.Done():
			return nil, &provider.Error{Code: provider.CodeConnection, Message: "cancelled", Err: s.ctx.Err()}
		case <-s.closed:
			return nil, &provider.Error{Code: provider.CodeConnection, Message: "closed"}
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	return nil, io.EOF
}

func (s *sliceStream) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}

// chunks streams the pieces as deltas, a finish chunk, and a usage-only chunk (as providers always send).
func chunks(ctx context.Context, model string, pieces ...string) *sliceStream {
	s := &sliceStream{ctx: ctx, closed: make(chan struct{})}
	mk := func(d provider.Delta, fin *string) *provider.Chunk {
		return &provider.Chunk{ID: "chatcmpl-s", Object: "chat.completion.chunk", Created: 1, Model: model, Choices: []provider.ChunkChoice{{Delta: d, FinishReason: fin}}}
	}
	s.chunks = append(s.chunks, mk(provider.Delta{Role: "assistant"}, nil))
	for _, p := range pieces {
		s.chunks = append(s.chunks, mk(provider.Delta{Content: &p}, nil))
	}
	stop := "stop"
	s.chunks = append(s.chunks, mk(provider.Delta{}, &stop))
	s.chunks = append(s.chunks, &provider.Chunk{ID: "chatcmpl-s", Object: "chat.completion.chunk", Created: 1, Model: model, Choices: []provider.ChunkChoice{},
		Usage: &provider.Usage{PromptTokens: 5, CompletionTokens: len(pieces), TotalTokens: 5 + len(pieces)}})
	return s
}

// Secrets of the test keys.
const (
	keyA     = "wl-test-key-a"
	keyB     = "wl-test-key-b"
	keyAdmin = "wl-test-admin"
)

// baseConfig has two providers and aliases that tests adjust through extra YAML appended under models.
func baseConfig(extraModels string) string {
	return `format: walens-gateway/v1
providers:
  up1: {kind: openai, base_url: "http://up1.invalid/v1", timeout: 2s}
  up2: {kind: openai, base_url: "http://up2.invalid/v1", timeout: 2s}
models:
  chat:
    targets:
      - {provider: up1, model: m1}
      - {provider: up2, model: m2}
  solo:
    targets:
      - {provider: up1, model: m3}
` + extraModels + `
retries: {max_attempts: 2, base_backoff: 1ms, max_backoff: 2ms, max_retry_after: 1s}
breaker: {min_requests: 100}
keys:
  - {id: a, hash: "` + config.HashKey(keyA) + `", models: ["*"], rpm: 1000}
  - {id: b, hash: "` + config.HashKey(keyB) + `", models: [solo]}
  - {id: admin, hash: "` + config.HashKey(keyAdmin) + `", admin: true}
`
}

type harness struct {
	t     *testing.T
	g     *Gateway
	ups   map[string]*fakeUpstream // by upstream model ID
	audit *memAudit
	srv   *httptest.Server
}

func newHarness(t *testing.T, yaml string, ups map[string]*fakeUpstream, mutate ...func(*Options)) *harness {
	t.Helper()
	h := newHarnessNoServer(t, yaml, ups, mutate...)
	h.srv = httptest.NewServer(h.audit.track(h.g.Handler()))
	t.Cleanup(h.srv.Close)
	return h
}

// newHarnessNoServer builds the gateway without an HTTP server, for benchmarks that call the handler directly.
func newHarnessNoServer(t *testing.T, yaml string, ups map[string]*fakeUpstream, mutate ...func(*Options)) *harness {
	t.Helper()
	if ups == nil {
		ups = map[string]*fakeUpstream{}
	}
	cfg, err := config.Parse([]byte(yaml), "gateway.yaml", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	h := &harness{t: t, ups: ups, audit: &memAudit{}}
	opts := Options{
		NewProvider: func(pc provider.Config, _ *http.Client) (provider.Provider, error) {
			if f, ok := h.ups[pc.Model]; ok {
				return f, nil
			}
			f := &fakeUpstream{}
			h.ups[pc.Model] = f
			return f, nil
		},
		Auditor: h.audit,
		Sleep:   func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
	for _, m := range mutate {
		m(&opts)
	}
	g, err := New(cfg, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.g = g
	return h
}

func (h *harness) do(method, path, key string, body string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeJSON[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// memAudit keeps audit records in memory.
type memAudit struct {
	mu       sync.Mutex
	records  []AuditRecord
	captures []CaptureEvent
	inFlight atomic.Int64 // requests in handlers wrapped by track
}

// track counts the requests h is serving. The gateway flushes an answer before it audits the request, so a
// client can read the answer before the record exists; Records waits for tracked handlers to return.
func (m *memAudit) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Add(1)
		defer m.inFlight.Add(-1)
		h.ServeHTTP(w, r)
	})
}

// settle waits, up to five seconds, until no tracked handler is running: a test that reads records while a
// stream is still open goes on with what is there.
func (m *memAudit) settle() {
	for deadline := time.Now().Add(5 * time.Second); m.inFlight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}

func (m *memAudit) Write(r AuditRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records = append(m.records, r)
}

func (m *memAudit) Capture(c CaptureEvent) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.captures = append(m.captures, c)
}

func (m *memAudit) Records() []AuditRecord {
	m.settle()
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]AuditRecord(nil), m.records...)
}

// sseEvents splits an SSE body into its data fields.
func sseEvents(b []byte) []string {
	var out []string
	for _, ev := range bytes.Split(b, []byte("\n\n")) {
		ev = bytes.TrimSpace(ev)
		if d, ok := bytes.CutPrefix(ev, []byte("data: ")); ok {
			out = append(out, string(d))
		}
	}
	return out
}
