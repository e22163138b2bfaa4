// Package alert delivers monitoring events: webhooks (a JSON document, or a Slack-compatible message) with a
// timeout and retries with exponential backoff, and retraining commands. Webhook URLs and headers often carry
// tokens, so they never appear in errors or logs: errors name the webhook, not where it points.
package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// Event kinds.
const (
	KindViolations = "violations" // a run found violations or dataset drift
	KindRunFailed  = "run_failed" // a run failed after its retries
	KindMissed     = "missed"     // runs were missed beyond the catch-up limit
	KindRetrain    = "retrain"    // the retraining policy fired
)

// Event is what a webhook receives (format "json").
type Event struct {
	Kind            string                `json:"kind"`
	Schedule        string                `json:"schedule"`
	ScheduledFor    time.Time             `json:"scheduled_for"`
	Status          string                `json:"status,omitempty"`
	RunDir          string                `json:"run_dir,omitempty"`
	Rows            int64                 `json:"rows,omitempty"`
	ViolationCount  int                   `json:"violation_count"`
	Violations      []sagemaker.Violation `json:"violations,omitempty"` // the first MaxViolations
	DriftShare      float64               `json:"drift_share"`
	DriftedFeatures []string              `json:"drifted_features,omitempty"`
	Error           string                `json:"error,omitempty"`
	Message         string                `json:"message"`
}

// MaxViolations bounds the violations carried by one event.
const MaxViolations = 20

// Webhook formats.
const (
	FormatJSON  = "json"
	FormatSlack = "slack"
)

// Webhook is one destination.
type Webhook struct {
	Name    string
	URL     string
	Format  string
	Headers map[string]string
	Timeout time.Duration // per attempt; default 10 s
	Retries int           // after the first attempt; default 3
	Backoff time.Duration // before the first retry, doubling; default 1 s
	Client  *http.Client
	// Sleep waits between attempts; nil means a real timer. Tests make it instant.
	Sleep func(context.Context, time.Duration) error
}

// statusError is an HTTP answer that is not a success.
type statusError struct {
	code       int
	retryAfter time.Duration
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d", e.code) }

// Send delivers ev, retrying network errors, timeouts, 429 and 5xx answers. Other 4xx answers are final.
func (w *Webhook) Send(ctx context.Context, ev Event) error {
	body, err := w.payload(ev)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.Name, err)
	}
	retries, backoff := w.Retries, w.Backoff
	if retries < 0 {
		retries = 0
	}
	if backoff <= 0 {
		backoff = time.Second
	}
	var last error
	for attempt := 0; attempt <= retries; attempt++ {
		if attempt > 0 {
			wait := backoff << (attempt - 1)
			var se *statusError
			if errors.As(last, &se) && se.retryAfter > 0 {
				wait = min(se.retryAfter, 5*time.Minute)
			}
			if err := w.sleep(ctx, wait); err != nil {
				return fmt.Errorf("webhook %s: %w (after: %v)", w.Name, err, last)
			}
		}
		last = w.attempt(ctx, body)
		if last == nil {
			return nil
		}
		var se *statusError
		if errors.As(last, &se) && se.code < 500 && se.code != http.StatusTooManyRequests {
			break
		}
	}
	return fmt.Errorf("webhook %s: %w", w.Name, last)
}

func (w *Webhook) sleep(ctx context.Context, d time.Duration) error {
	if w.Sleep != nil {
		return w.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Webhook) attempt(ctx context.Context, body []byte) error {
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return errors.New("invalid webhook URL") // the URL itself is not repeated: it may hold a token
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "walens-monitor")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// url.Error's message includes the URL; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return fmt.Errorf("no answer within %s", timeout)
			}
			return ue.Err
		}
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	se := &statusError{code: resp.StatusCode}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		se.retryAfter = time.Duration(s) * time.Second
	}
	return se
}

func (w *Webhook) payload(ev Event) ([]byte, error) {
	if w.Format == FormatSlack {
		return json.Marshal(map[string]string{"text": SlackText(ev)})
	}
	return json.Marshal(ev)
}

// SlackText is the message of a Slack-compatible webhook: a headline and up to five violations.
func SlackText(ev Event) string {
	var b strings.Builder
	icon := map[string]string{KindViolations: ":warning:", KindRunFailed: ":x:", KindMissed: ":hourglass:", KindRetrain: ":repeat:"}[ev.Kind]
	fmt.Fprintf(&b, "%s *walens monitor* `%s`: %s", icon, ev.Schedule, ev.Message)
	for i, v := range ev.Violations {
		if i == 5 {
			fmt.Fprintf(&b, "\n• … and %d more", ev.ViolationCount-5)
			break
		}
		name := v.FeatureName
		if name == "" {
			name = v.MetricName
		}
		fmt.Fprintf(&b, "\n• `%s` %s: %s", name, v.ConstraintCheckType, v.Description)
	}
	if ev.RunDir != "" {
		fmt.Fprintf(&b, "\nReport: %s", ev.RunDir)
	}
	return b.String()
}

// Command is a retraining command, run without a shell.
type Command struct {
	Args    []string
	Timeout time.Duration // default 1 hour
	Dir     string
}

// MaxOutput bounds the command output kept for the log.
const MaxOutput = 16 << 10

// Run executes the command with the event in its environment (WALENS_SCHEDULE, WALENS_SCHEDULED_FOR,
// WALENS_RUN_DIR, WALENS_STATUS) and returns the end of its combined output.
func (c *Command) Run(ctx context.Context, ev Event) (string, error) {
	if len(c.Args) == 0 {
		return "", errors.New("retrain command is empty")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = time.Hour
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(),
		"WALENS_SCHEDULE="+ev.Schedule,
		"WALENS_SCHEDULED_FOR="+ev.ScheduledFor.UTC().Format(time.RFC3339),
		"WALENS_RUN_DIR="+ev.RunDir,
		"WALENS_STATUS="+ev.Status,
	)
	var out tail
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("retrain command %s did not finish within %s", c.Args[0], timeout)
	} else if err != nil {
		err = fmt.Errorf("retrain command %s: %w", c.Args[0], err)
	}
	return out.String(), err
}

// tail keeps the last MaxOutput bytes written to it.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > MaxOutput {
		t.b = t.b[len(t.b)-MaxOutput:]
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }
