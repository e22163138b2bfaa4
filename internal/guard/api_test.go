package guard

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandlerErrors(t *testing.T) {
	reg := NewRegistry()
	e := testEngine(t)
	if err := reg.Add(e); err != nil {
		t.Fatal(err)
	}
	if err := reg.Add(e); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("duplicate version: %v", err)
	}
	var audits []AuditRecord
	srv := httptest.NewServer(NewHandler(reg, HandlerOptions{MaxBodyBytes: 1 << 16, Audit: func(r AuditRecord) { audits = append(audits, r) }}))
	defer srv.Close()
	tests := []struct {
		method, path, body string
		status             int
		errType, want      string
	}{
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","content":[{"text":{"text":"hello"}}]}`, 200, "", `"action":"NONE"`},
		{"POST", "/guardrail/support-assistant/version/1/apply", `{"source":"INPUT","content":[{"text":{"text":"hello"}}]}`, 200, "", `"outputs":[]`},
		{"POST", "/guardrail/support/version/2/apply", `{}`, 404, "ResourceNotFoundException", "version 2 is not configured"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":`, 400, "ValidationException", "not valid JSON"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"SIDEWAYS","content":[{"text":{"text":"x"}}]}`, 400, "ValidationException", "source must be INPUT or OUTPUT"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","content":[]}`, 400, "ValidationException", "content is empty"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","content":[{"image":{"format":"png"}}]}`, 400, "ValidationException", "image content is not supported"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","content":[{"text":{"text":"x","qualifiers":["nope"]}}]}`, 400, "ValidationException", "unknown qualifier"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","outputScope":"ALL","content":[{"text":{"text":"x"}}]}`, 400, "ValidationException", "outputScope"},
		{"POST", "/guardrail/support/version/1/apply", `{"source":"INPUT","content":[{"text":{"text":"` + strings.Repeat("a", 1<<16) + `"}}]}`, 413, "ValidationException", "larger than"},
		{"GET", "/guardrail/support/version/1/apply", ``, 404, "UnknownOperationException", ""},
		{"GET", "/healthz", ``, 200, "", "ok"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-ErrorType") != tt.errType || !strings.Contains(string(data), tt.want) {
			t.Errorf("%s %s: %d %q %s", tt.method, tt.path, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), data)
		}
	}
	if len(audits) != 2 || audits[0].GuardrailID != "support" || audits[0].Version != "1" {
		t.Errorf("audit records: %+v", audits)
	}
}

func TestAuditKeepsNoText(t *testing.T) {
	e := testEngine(t)
	secret := "My SSN is 123-45-6789 and my email is jane@example.com"
	r, err := e.Apply(context.Background(), Input, []Content{{Text: secret}}, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := e.Audit(time.Unix(0, 0), Input, r)
	js := mustJSON(t, rec)
	for _, leak := range []string{"123-45-6789", "jane@example.com", "SSN is"} {
		if strings.Contains(js, leak) {
			t.Errorf("audit record holds %q: %s", leak, js)
		}
	}
	if !rec.Blocked || len(rec.Findings) != 2 || rec.Characters != len(secret) {
		t.Errorf("audit record: %s", js)
	}
}

func TestApplyLimits(t *testing.T) {
	e := testEngine(t)
	for _, c := range []struct {
		content []Content
		want    string
	}{
		{nil, "content is empty"},
		{[]Content{{Text: "caf\xe9"}}, "not valid UTF-8"},
		{[]Content{{Text: strings.Repeat("a", DefaultMaxTextBytes)}, {Text: "b"}}, "more than this guardrail's limit"},
	} {
		_, err := e.Apply(context.Background(), Input, c.content, ApplyOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
	// Pathological but valid input of the maximum size finishes (the CI time limit bounds it; no timing here).
	long := strings.Repeat("4111 1111 1111 1111 jane@example.com ((( http://a.b ", DefaultMaxTextBytes/52)
	if _, err := e.Apply(context.Background(), Input, []Content{{Text: long}}, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Apply(ctx, Input, []Content{{Text: "a"}, {Text: "b"}}, ApplyOptions{}); err == nil {
		t.Error("a cancelled context should stop Apply")
	}
}
