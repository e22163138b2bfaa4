package alert

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

func noSleep(context.Context, time.Duration) error { return nil }

func TestWebhookRetriesThenDelivers(t *testing.T) {
	var calls atomic.Int32
	var got Event
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		auth = r.Header.Get("Authorization")
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	w := &Webhook{Name: "ops", URL: srv.URL + "/hook?token=s3cret", Headers: map[string]string{"Authorization": "Bearer abc"},
		Retries: 3, Backoff: time.Second, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	ev := Event{Kind: KindViolations, Schedule: "hourly", ViolationCount: 1, Message: "1 violation",
		Violations: []sagemaker.Violation{{FeatureName: "age", ConstraintCheckType: "baseline_drift_check", Description: "drift"}}}
	if err := w.Send(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || got.Schedule != "hourly" || got.Violations[0].FeatureName != "age" || auth != "Bearer abc" {
		t.Errorf("calls %d, got %+v, auth %q", calls.Load(), got, auth)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != 2*time.Second {
		t.Errorf("waits %v, want [1s 2s] (exponential backoff)", waits)
	}
}

func TestWebhookErrorsNeverShowTheURL(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1); w.WriteHeader(http.StatusForbidden) }))
	defer srv.Close()
	w := &Webhook{Name: "ops", URL: srv.URL + "/T000/B000/s3cret", Retries: 3, Sleep: noSleep}
	err := w.Send(context.Background(), Event{Kind: KindRunFailed})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("error %v: want HTTP 403 without the URL", err)
	}
	if calls.Load() != 1 {
		t.Errorf("a 403 was retried %d times; client errors are final", calls.Load()-1)
	}
	// A refused connection: the transport's error embeds the URL unless walens strips it.
	closed := httptest.NewServer(http.NotFoundHandler())
	u := closed.URL + "/hook/s3cret"
	closed.Close()
	w = &Webhook{Name: "ops", URL: u, Retries: 1, Sleep: noSleep}
	if err := w.Send(context.Background(), Event{}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v must not contain the URL", err)
	}
}

func TestWebhookTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	defer srv.Close()
	defer close(block)
	w := &Webhook{Name: "slow", URL: srv.URL, Timeout: 50 * time.Millisecond, Retries: 1, Sleep: noSleep}
	err := w.Send(context.Background(), Event{})
	if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Errorf("error %v, want a timeout", err)
	}
}

func TestSlackFormat(t *testing.T) {
	var body map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &body)
	}))
	defer srv.Close()
	w := &Webhook{Name: "slack", URL: srv.URL, Format: FormatSlack}
	ev := Event{Kind: KindViolations, Schedule: "fraud", Message: "2 violations", ViolationCount: 2, RunDir: "runs/x",
		Violations: []sagemaker.Violation{{FeatureName: "age", ConstraintCheckType: "completeness_check", Description: "low"}}}
	if err := w.Send(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if text := body["text"]; !strings.Contains(text, "`fraud`: 2 violations") || !strings.Contains(text, "• `age` completeness_check: low") {
		t.Errorf("slack text %q", text)
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	c := &Command{Args: []string{"sh", "-c", `echo "$WALENS_SCHEDULE $WALENS_STATUS" > "$0"; echo done`, out}}
	log, err := c.Run(context.Background(), Event{Schedule: "fraud", Status: "violations"})
	if err != nil || strings.TrimSpace(log) != "done" {
		t.Fatalf("log %q err %v", log, err)
	}
	data, _ := os.ReadFile(out)
	if strings.TrimSpace(string(data)) != "fraud violations" {
		t.Errorf("command saw %q", data)
	}
	c = &Command{Args: []string{"sh", "-c", "exit 3"}}
	if _, err := c.Run(context.Background(), Event{}); err == nil {
		t.Error("a failing command reported success")
	}
	c = &Command{Args: []string{"sleep", "5"}, Timeout: 50 * time.Millisecond}
	if _, err := c.Run(context.Background(), Event{}); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("timeout: %v", err)
	}
}
