package gateway

import (
	"bufio"
	"context"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/walens/walens/internal/provider"
)

type running struct {
	addr     string
	reload   chan struct{}
	reloaded chan error
	done     chan error
	cancel   context.CancelFunc
	client   *http.Client
}

func startRun(t *testing.T, path string, factory ProviderFactory) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{reload: make(chan struct{}), reloaded: make(chan error, 1), done: make(chan error, 1), cancel: cancel,
		client: &http.Client{Transport: &http.Transport{}}}
	listening := make(chan string, 1)
	go func() {
		r.done <- Run(ctx, path, RunOptions{
			Lookup: func(string) (string, bool) { return "", false }, Reload: r.reload, NewProvider: factory,
			Listening: func(a string) { listening <- a }, Reloaded: func(err error) { r.reloaded <- err },
		})
	}()
	select {
	case r.addr = <-listening:
	case err := <-r.done:
		t.Fatalf("Run: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-r.done
		r.client.CloseIdleConnections()
	})
	return r
}

func (r *running) get(t *testing.T, path, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+r.addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func writeConfig(t *testing.T, path, extra string) {
	t.Helper()
	cfg := strings.Replace(baseConfig(extra), "format: walens-gateway/v1\n", "format: walens-gateway/v1\nlisten: 127.0.0.1:0\nserver: {shutdown_timeout: 30s}\n", 1)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fakeFactory(ups map[string]*fakeUpstream) ProviderFactory {
	var mu sync.Mutex
	return func(pc provider.Config, _ *http.Client) (provider.Provider, error) {
		mu.Lock()
		defer mu.Unlock()
		if f, ok := ups[pc.Model]; ok {
			return f, nil
		}
		f := &fakeUpstream{}
		ups[pc.Model] = f
		return f, nil
	}
}

func TestReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	writeConfig(t, path, "")
	r := startRun(t, path, fakeFactory(map[string]*fakeUpstream{}))
	if _, body := r.get(t, "/v1/models", keyA); strings.Contains(body, "extra") {
		t.Fatal("extra alias before reload")
	}
	writeConfig(t, path, "  extra:\n    targets: [{provider: up1, model: mx}]\n")
	r.reload <- struct{}{}
	if err := <-r.reloaded; err != nil {
		t.Fatalf("reload: %v", err)
	}
	if _, body := r.get(t, "/v1/models", keyA); !strings.Contains(body, `"extra"`) {
		t.Fatalf("extra alias missing after reload: %s", body)
	}
	// A broken file is refused and the running configuration kept.
	if err := os.WriteFile(path, []byte("format: walens-gateway/v1\nmodels: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.reload <- struct{}{}
	if err := <-r.reloaded; err == nil {
		t.Fatal("a bad configuration was accepted")
	}
	if code, body := r.get(t, "/v1/models", keyA); code != 200 || !strings.Contains(body, `"extra"`) {
		t.Fatalf("after a bad reload: %d %s", code, body)
	}
}

func TestShutdownFinishesStreams(t *testing.T) {
	release := make(chan struct{})
	ups := map[string]*fakeUpstream{"m3": {stream: func(ctx context.Context, _ int, req *provider.ChatRequest) (provider.Stream, error) {
		return &gatedStream{inner: chunks(ctx, req.Model, "one", "two"), gate: release}, nil
	}}}
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	writeConfig(t, path, "")
	r := startRun(t, path, fakeFactory(ups))
	req, _ := http.NewRequest("POST", "http://"+r.addr+"/v1/chat/completions", strings.NewReader(`{"model":"solo","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("Authorization", "Bearer "+keyA)
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadString('\n'); err != nil { // the first event is out
		t.Fatal(err)
	}
	r.cancel() // SIGTERM
	for {      // wait until the listener is closed: the shutdown has begun while the stream is held
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			break
		}
		c.Close()
		runtime.Gosched()
	}
	close(release)
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatalf("stream cut by shutdown: %v", err)
	}
	if !strings.Contains(string(rest), "two") || !strings.Contains(string(rest), "[DONE]") {
		t.Fatalf("rest of the stream: %s", rest)
	}
	if err := <-r.done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	r.done <- nil // for the cleanup
}

// gatedStream holds every chunk after the first text ("one") until gate closes: the role-only chunk before it
// is held by the router, so the text is the first thing the client receives.
type gatedStream struct {
	inner *sliceStream
	gate  chan struct{}
	n     int
}

func (s *gatedStream) Recv() (*provider.Chunk, error) {
	s.n++
	if s.n == 3 {
		<-s.gate
	}
	return s.inner.Recv()
}

func (s *gatedStream) Close() error { return s.inner.Close() }

func (r *running) post(t *testing.T, path, key, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+r.addr+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	if err := <-r.done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	r.done <- nil
}

// filesUnder concatenates every file below dir.
func filesUnder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

func TestRunStages(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.yaml")
	writeConfig(t, path, "")
	data, _ := os.ReadFile(path)
	cfg := strings.Replace(string(data), "rpm: 1000", "rpm: 2", 1) + "audit: {dir: audit}\ncapture: {dir: capture, percent: 100}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, path, fakeFactory(map[string]*fakeUpstream{}))
	for i := range 3 {
		code, h, body := r.post(t, "/v1/chat/completions", keyA, chatBody)
		want := 200
		if i == 2 {
			want = 429
			if h.Get("Retry-After") == "" || !strings.Contains(body, "requests_per_minute") {
				t.Errorf("429 without Retry-After or reason: %v %s", h, body)
			}
		}
		if code != want {
			t.Fatalf("request %d: %d %s", i, code, body)
		}
	}
	code, metrics := r.get(t, "/metrics", "")
	if code != 200 || !strings.Contains(metrics, "go_goroutines") || !strings.Contains(metrics, "up1/m1") {
		t.Errorf("metrics %d:\n%.2000s", code, metrics)
	}
	if code, body := r.get(t, "/v1/usage", keyAdmin); code != 200 || !strings.Contains(body, `"data"`) {
		t.Errorf("usage for admin: %d %s", code, body)
	}
	if code, _ := r.get(t, "/v1/usage", keyA); code != 403 {
		t.Errorf("usage for a plain key: %d", code)
	}
	r.stop(t)
	auditLog := filesUnder(t, filepath.Join(dir, "audit"))
	if n := strings.Count(auditLog, `"request_id"`); n != 3 || !strings.Contains(auditLog, `"status":429`) {
		t.Errorf("%d audit records:\n%s", n, auditLog)
	}
	capture := filesUnder(t, filepath.Join(dir, "capture"))
	if n := strings.Count(capture, `"endpointInput"`); n != 2 || !strings.Contains(capture, "hello from m") {
		t.Errorf("%d captures:\n%s", n, capture)
	}
}

// TestRedisSharedLimits runs two gateways against the real Redis: a key's requests per minute are shared.
func TestRedisSharedLimits(t *testing.T) {
	conn, err := net.Dial("tcp", "127.0.0.1:6379")
	if err != nil {
		t.Skipf("Redis is not reachable at 127.0.0.1:6379 (%v); start one to run this test", err)
	}
	conn.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.yaml")
	writeConfig(t, path, "")
	data, _ := os.ReadFile(path)
	prefix := "walens:gwtest:" + strings.ToLower(rand.Text()) + ":"
	cfg := strings.Replace(string(data), "rpm: 1000", "rpm: 3", 1) + "redis: {addr: \"127.0.0.1:6379\", prefix: \"" + prefix + "\"}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	a := startRun(t, path, fakeFactory(map[string]*fakeUpstream{}))
	b := startRun(t, path, fakeFactory(map[string]*fakeUpstream{}))
	var codes []int
	for i, r := range []*running{a, b, a, b} {
		code, _, body := r.post(t, "/v1/chat/completions", keyA, chatBody)
		codes = append(codes, code)
		if i == 3 && (code != 429 || !strings.Contains(body, "requests_per_minute")) {
			t.Fatalf("fourth request across two replicas: %d %s (codes %v)", code, body, codes)
		}
		if i < 3 && code != 200 {
			t.Fatalf("request %d: %d %s", i, code, body)
		}
	}
}
