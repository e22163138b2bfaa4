package gateway

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/guard/importer"
	"github.com/walens/walens/internal/provider"
)

// guardConfig imports the Bedrock CreateGuardrail JSON of the importer's tests as the input policy of the alias
// "bank", and uses the example gateway's guardrail on output.
func guardConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../guard/importer/testdata/create-guardrail.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.JSON(data, "create-guardrail.json", importer.Options{ID: "bank-assistant", Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "bank.json")
	if err := os.WriteFile(in, out, 0o644); err != nil {
		t.Fatal(err)
	}
	outPolicy, err := filepath.Abs("../../examples/gateway/guardrail.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return baseConfig("  bank:\n    targets: [{provider: up1, model: mb}]\n    guardrails: {input: "+in+", output: support@1}\n") +
		"guardrails:\n  - policy: " + outPolicy + "\n"
}

func TestGuardrailsBlockInput(t *testing.T) {
	ups := map[string]*fakeUpstream{"mb": {}}
	h := newHarness(t, guardConfig(t), ups)
	for _, stream := range []bool{false, true} {
		body := `{"model":"bank","stream":` + map[bool]string{false: "false", true: "true"}[stream] + `,"messages":[{"role":"user","content":"My SSN is 123-45-6789, can you check it?"}]}`
		resp := h.do("POST", "/v1/chat/completions", keyA, body)
		b := readAll(t, resp)
		if resp.StatusCode != 200 || !strings.Contains(string(b), "Please contact your branch.") || resp.Header.Get("X-Walens-Guardrail") != "blocked" {
			t.Fatalf("stream=%v: %d %s", stream, resp.StatusCode, b)
		}
		if strings.Contains(string(b), "123-45-6789") {
			t.Error("the blocked text came back")
		}
	}
	if ups["mb"].Calls() != 0 {
		t.Error("a blocked prompt reached the model")
	}
	recs := h.audit.Records()
	var g []guard.AuditRecord
	if err := json.Unmarshal(recs[0].Guardrails, &g); err != nil || len(g) != 1 || !g[0].Blocked || g[0].GuardrailID != "bank-assistant" {
		t.Fatalf("audit guardrails %s: %v", recs[0].Guardrails, err)
	}
	if strings.Contains(string(recs[0].Guardrails), "123-45-6789") {
		t.Error("the audit record holds the sensitive text")
	}
}

func TestGuardrailsAnonymize(t *testing.T) {
	ups := map[string]*fakeUpstream{"mb": {chat: func(_ context.Context, _ int, req *provider.ChatRequest) (*provider.ChatResponse, error) {
		return answer(req.Model, "Sure, I will write to bob.smith@example.org today."), nil
	}}}
	h := newHarness(t, guardConfig(t), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"bank","messages":[{"role":"user","content":"Please email me at jane.doe@example.com about my card."}]}`)
	b := readAll(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	sent := ups["mb"].Last().Messages[0].Content.Text
	if strings.Contains(sent, "jane.doe@example.com") || !strings.Contains(sent, "{EMAIL}") {
		t.Errorf("upstream got %q", sent)
	}
	if strings.Contains(string(b), "bob.smith@example.org") || !strings.Contains(string(b), "{EMAIL}") {
		t.Errorf("answer %s", b)
	}
}

func TestGuardrailsStreamOutput(t *testing.T) {
	ups := map[string]*fakeUpstream{"mb": {stream: func(ctx context.Context, _ int, req *provider.ChatRequest) (provider.Stream, error) {
		return chunks(ctx, req.Model, "Write to ", "bob.smith@exa", "mple.org", " and have a good day. ", strings.Repeat("More text. ", 30)), nil
	}}}
	h := newHarness(t, guardConfig(t), ups)
	resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"bank","stream":true,"messages":[{"role":"user","content":"hello"}]}`)
	b := readAll(t, resp)
	var text strings.Builder
	for _, ev := range sseEvents(b) {
		if ev == "[DONE]" {
			continue
		}
		var c provider.Chunk
		if err := json.Unmarshal([]byte(ev), &c); err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			if ch.Delta.Content != nil {
				text.WriteString(*ch.Delta.Content)
			}
		}
	}
	got := text.String()
	if strings.Contains(got, "bob.smith") || !strings.Contains(got, "Write to {EMAIL} and have a good day.") || !strings.HasSuffix(got, "More text. ") {
		t.Errorf("streamed %q", got)
	}
}

func TestGuardrailAPIMounted(t *testing.T) {
	h := newHarness(t, guardConfig(t), map[string]*fakeUpstream{})
	resp := h.do("POST", "/guardrail/bank-assistant/version/1/apply", "", `{"source":"INPUT","content":[{"text":{"text":"My SSN is 123-45-6789"}}]}`)
	b := readAll(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"action":"GUARDRAIL_INTERVENED"`) {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
}

func TestGuardrailsBlockOutput(t *testing.T) {
	const secret = "The customer's SSN is 123-45-6789."
	ups := map[string]*fakeUpstream{"mb": {
		chat: func(_ context.Context, _ int, req *provider.ChatRequest) (*provider.ChatResponse, error) {
			return answer(req.Model, secret), nil
		},
		stream: func(ctx context.Context, _ int, req *provider.ChatRequest) (provider.Stream, error) {
			return chunks(ctx, req.Model, "The customer's SSN ", "is 123-45-", "6789.", " Anything else?"), nil
		},
	}}
	h := newHarness(t, guardConfig(t), ups)
	for _, stream := range []string{"false", "true"} {
		resp := h.do("POST", "/v1/chat/completions", keyA, `{"model":"bank","stream":`+stream+`,"messages":[{"role":"user","content":"hello"}]}`)
		b := string(readAll(t, resp))
		if resp.StatusCode != 200 || strings.Contains(b, "6789") || !strings.Contains(b, "Sorry, I can't share that answer.") || !strings.Contains(b, `"finish_reason":"content_filter"`) {
			t.Errorf("stream=%s: %d %s", stream, resp.StatusCode, b)
		}
	}
	for _, rec := range h.audit.Records() {
		if rec.PromptTokens == 0 {
			t.Errorf("blocked answer not metered: %+v", rec) // the upstream's tokens were spent all the same
		}
	}
}
