package gateway

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
)

// TestSlowBody: a client that stops sending its body gets 408 once server.read_timeout has passed.
func TestSlowBody(t *testing.T) {
	h := newHarness(t, strings.Replace(baseConfig(""), "format: walens-gateway/v1\n", "format: walens-gateway/v1\nserver: {read_timeout: 50ms}\n", 1), map[string]*fakeUpstream{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 1000\r\n\r\n{\"model\":", keyA)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoSecrets: request logs name the key's ID, never its secret, and never the payload.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs syncBuffer
	ups := map[string]*fakeUpstream{"m1": {chat: upstreamFail(500, "upstream_error")}}
	h := newHarness(t, baseConfig(""), ups, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	readAll(t, h.do("POST", "/v1/chat/completions", keyA, `{"model":"chat","messages":[{"role":"user","content":"payload-canary-42"}]}`))
	readAll(t, h.do("POST", "/v1/chat/completions", "wl-wrong-canary", chatBody))
	out := logs.String()
	for _, secret := range []string{keyA, "wl-wrong-canary", "payload-canary-42", "sk-123"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs hold %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `"key":"a"`) || !strings.Contains(out, `"fallback":["up1/m1:upstream_error","up1/m1:upstream_error"]`) {
		t.Errorf("request log line lacks the key ID or fallback path:\n%s", out)
	}
}

// TestHealthChecks: an OpenAI-compatible target whose GET /models fails is skipped until it passes again.
func TestHealthChecks(t *testing.T) {
	var mu sync.Mutex
	healthy := false
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path != "/v1/models" || r.Header.Get("Authorization") != "Bearer sk-up" {
			w.WriteHeader(404)
			return
		}
		if !healthy {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{"object":"list","data":[]}`))
	}))
	defer up.Close()
	cfg := strings.Replace(baseConfig(""), `up1: {kind: openai, base_url: "http://up1.invalid/v1", timeout: 2s}`,
		`up1: {kind: openai, base_url: "`+up.URL+`/v1", api_key: sk-up, health_check: true}`, 1)
	h := newHarness(t, cfg, map[string]*fakeUpstream{}, func(o *Options) { o.HTTPClient = up.Client() })
	ctx := context.Background()
	h.g.checkAll(ctx, h.g.state.Load())
	resp := h.do("POST", "/v1/chat/completions", keyA, chatBody)
	readAll(t, resp)
	if rec := h.audit.Records()[0]; rec.Target != "up2/m2" || rec.Fallback[0] != "up1/m1:unhealthy" {
		t.Errorf("with up1 unhealthy: target %s fallback %v", rec.Target, rec.Fallback)
	}
	if code := h.do("GET", "/readyz", "", "").StatusCode; code != 503 {
		t.Errorf("readyz with solo's only target unhealthy: %d", code)
	}
	mu.Lock()
	healthy = true
	mu.Unlock()
	h.g.checkAll(ctx, h.g.state.Load())
	readAll(t, h.do("POST", "/v1/chat/completions", keyA, chatBody))
	if rec := h.audit.Records()[1]; rec.Target != "up1/m1" {
		t.Errorf("with up1 healthy again: target %s", rec.Target)
	}
}

// TestReloadKeepsInFlight: a request started before a reload finishes on the configuration it started with.
func TestReloadKeepsInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	ups := map[string]*fakeUpstream{"m3": {chat: func(_ context.Context, _ int, req *provider.ChatRequest) (*provider.ChatResponse, error) {
		close(entered)
		<-release
		return answer(req.Model, "old config"), nil
	}}}
	h := newHarness(t, baseConfig(""), ups)
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock)
	done := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", h.srv.URL+"/v1/chat/completions", strings.NewReader(`{"model":"solo","messages":[{"role":"user","content":"hi"}]}`))
		req.Header.Set("Authorization", "Bearer "+keyA)
		resp, err := h.srv.Client().Do(req)
		if err != nil {
			t.Error(err)
			close(done)
			return
		}
		done <- resp
	}()
	<-entered
	without := strings.Replace(baseConfig(""), "  solo:\n    targets:\n      - {provider: up1, model: m3}\n", "", 1)
	without = strings.Replace(without, "models: [solo]", "models: [chat]", 1)
	cfg, err := config.Parse([]byte(without), "gateway.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.g.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	if resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"solo","messages":[{"role":"user","content":"hi"}]}`); resp.StatusCode != 404 {
		t.Errorf("solo after the reload: %d", resp.StatusCode)
	}
	unblock()
	resp := <-done
	if resp == nil {
		return
	}
	b := readAll(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "old config") {
		t.Errorf("in-flight request: %d %s", resp.StatusCode, b)
	}
}
