package gateway

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/walens/walens/internal/provider"
)

// TestMaxInFlight holds two requests inside a slow upstream and checks that a third is refused at once with 503,
// Retry-After and an OpenAI-style body, that the refusal is counted, and that capacity comes back when they end.
func TestMaxInFlight(t *testing.T) {
	entered := make(chan struct{}, 2)
	release := make(chan struct{})
	slow := &fakeUpstream{chat: func(ctx context.Context, n int, req *provider.ChatRequest) (*provider.ChatResponse, error) {
		if n <= 2 {
			entered <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return answer(req.Model, "done"), nil
	}}
	var shed atomic.Int64
	h := newHarness(t, baseConfig("")+"server: {max_in_flight: 2}\n", map[string]*fakeUpstream{"m3": slow},
		func(o *Options) { o.Shed = func() { shed.Add(1) } })
	body := `{"model":"solo","messages":[{"role":"user","content":"hi"}]}`

	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Go(func() {
			resp := h.do("POST", "/v1/chat/completions", keyA, body)
			readAll(t, resp)
			statuses[i] = resp.StatusCode
		})
	}
	<-entered
	<-entered

	resp := h.do("POST", "/v1/chat/completions", keyA, body)
	got := decodeJSON[struct {
		Error struct{ Type, Code string }
	}](t, readAll(t, resp))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || got.Error.Code != "overloaded" {
		t.Errorf("third request: status %d, Retry-After %q, error %+v; want 503, 1, overloaded",
			resp.StatusCode, resp.Header.Get("Retry-After"), got.Error)
	}
	if shed.Load() != 1 {
		t.Errorf("shed counted %d times, want 1", shed.Load())
	}
	// Health and metrics stay reachable while model requests are shed.
	if resp := h.do("GET", "/healthz", "", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz while full: %d", resp.StatusCode)
	}

	close(release)
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("held request %d ended with %d", i, s)
		}
	}
	if resp := h.do("POST", "/v1/chat/completions", keyA, body); resp.StatusCode != http.StatusOK {
		t.Errorf("after the held requests ended: %d, want 200", resp.StatusCode)
	}
}
