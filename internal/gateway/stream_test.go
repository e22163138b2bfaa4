package gateway

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/walens/walens/internal/provider"
)

func TestStreamUsageChunk(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantUsage bool
	}{
		{"client did not ask", `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`, false},
		{"client asked", `{"model":"chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ups := map[string]*fakeUpstream{}
			h := newHarness(t, baseConfig(""), ups)
			resp := h.do("POST", "/v1/chat/completions", keyA, tc.body)
			body := readAll(t, resp)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			events := sseEvents(body)
			if events[len(events)-1] != "[DONE]" {
				t.Fatalf("last event %q", events[len(events)-1])
			}
			var text strings.Builder
			sawUsage := false
			for _, ev := range events[:len(events)-1] {
				var c provider.Chunk
				if err := json.Unmarshal([]byte(ev), &c); err != nil {
					t.Fatalf("event %q: %v", ev, err)
				}
				if c.Model != "chat" {
					t.Errorf("chunk model %q, want the alias", c.Model)
				}
				if c.Usage != nil {
					sawUsage = true
				}
				for _, ch := range c.Choices {
					if ch.Delta.Content != nil {
						text.WriteString(*ch.Delta.Content)
					}
				}
			}
			if text.String() != "hello" || sawUsage != tc.wantUsage {
				t.Errorf("text %q usage %v, want hello and %v", text.String(), sawUsage, tc.wantUsage)
			}
			// The gateway always asks upstream for usage and meters it.
			for _, u := range ups {
				if l := u.Last(); l != nil && (l.StreamOptions == nil || !l.StreamOptions.IncludeUsage) {
					t.Error("upstream was not asked for usage")
				}
			}
			rec := h.audit.Records()[0]
			if !rec.Stream || rec.PromptTokens != 5 || rec.CompletionTokens != 2 {
				t.Errorf("audit %+v", rec)
			}
		})
	}
}

func TestStreamFailsOverBeforeFirstByte(t *testing.T) {
	ups := map[string]*fakeUpstream{
		"m1": {stream: func(ctx context.Context, _ int, _ *provider.ChatRequest) (provider.Stream, error) {
			// HTTP 200 and message_start (a role-only chunk), then an overloaded error event, as Anthropic does.
			s := chunks(ctx, "m1")
			s.chunks = s.chunks[:1]
			s.err = &provider.Error{Status: 529, Code: provider.CodeUpstream, Message: "overloaded"}
			return s, nil
		}},
	}
	h := newHarness(t, baseConfig(""), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	body := readAll(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "[DONE]") {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if rec := h.audit.Records()[0]; rec.Target != "up2/m2" {
		t.Errorf("served by %q", rec.Target)
	}
	if n := strings.Count(string(body), `"role":"assistant"`); n != 1 {
		t.Errorf("the client saw %d role chunks, want 1: %s", n, body)
	}
}

func TestStreamErrorAfterFirstByte(t *testing.T) {
	ups := map[string]*fakeUpstream{
		"m1": {stream: func(ctx context.Context, _ int, req *provider.ChatRequest) (provider.Stream, error) {
			s := chunks(ctx, req.Model, "partial")
			s.chunks = s.chunks[:2] // role, one piece, then a reset
			s.err = &provider.Error{Code: provider.CodeConnection, Message: "connection reset by 10.0.0.7"}
			return s, nil
		}},
	}
	h := newHarness(t, baseConfig(""), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	body := readAll(t, resp)
	events := sseEvents(body)
	last := events[len(events)-1]
	if !strings.Contains(last, `"error"`) || strings.Contains(string(body), "[DONE]") || strings.Contains(string(body), "10.0.0.7") {
		t.Fatalf("want a closing error event without detail, got %s", body)
	}
	if ups["m2"].Calls() != 0 {
		t.Error("failed over after the first byte")
	}
	if rec := h.audit.Records()[0]; rec.Status != http.StatusBadGateway || rec.ErrorCode != "upstream_error" {
		t.Errorf("audit %+v", rec)
	}
}

func TestStreamClientVanishes(t *testing.T) {
	closed := make(chan struct{})
	started := make(chan struct{})
	ups := map[string]*fakeUpstream{
		"m1": {stream: func(ctx context.Context, _ int, req *provider.ChatRequest) (provider.Stream, error) {
			s := chunks(ctx, req.Model, "a")
			s.chunks = s.chunks[:2]
			s.block = true
			go func() {
				<-s.closed
				close(closed)
			}()
			close(started)
			return s, nil
		}},
	}
	h := newHarness(t, baseConfig(""), ups)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", h.srv.URL+"/v1/chat/completions", strings.NewReader(`{"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("Authorization", "Bearer "+keyA)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	buf := make([]byte, 10)
	resp.Body.Read(buf) // the first bytes arrived
	cancel()
	resp.Body.Close()
	<-closed // the upstream stream is closed once the client is gone; a leak would hang here and fail goleak
}

func TestStreamDegraded(t *testing.T) {
	fail := func(ctx context.Context, _ int, _ *provider.ChatRequest) (provider.Stream, error) {
		return nil, &provider.Error{Status: 503, Code: provider.CodeUpstream, Message: "down"}
	}
	ups := map[string]*fakeUpstream{"m9": {stream: fail}}
	h := newHarness(t, baseConfig("  deg:\n    targets: [{provider: up1, model: m9}]\n    degraded: {message: \"busy\"}\n"), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"deg","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	body := readAll(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("X-Walens-Degraded") != "true" || !strings.Contains(string(body), `"content":"busy"`) || !strings.Contains(string(body), `"finish_reason":"stop"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
