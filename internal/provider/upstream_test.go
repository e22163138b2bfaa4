package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		h    map[string]string
		want time.Duration
	}{
		{nil, 0},
		{map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{map[string]string{"Retry-After": "1.5"}, 1500 * time.Millisecond},
		{map[string]string{"Retry-After": "0"}, 0},
		{map[string]string{"Retry-After": "-4"}, 0},
		{map[string]string{"Retry-After": "soon"}, 0},
		{map[string]string{"Retry-After": "Tue, 01 Dec 2026 00:01:00 GMT"}, time.Minute},
		{map[string]string{"Retry-After": "Mon, 30 Nov 2026 23:00:00 GMT"}, 0},
		{map[string]string{"Retry-After": "999999999"}, time.Hour},
		{map[string]string{"Retry-After": "3", "Retry-After-Ms": "250"}, 250 * time.Millisecond},
		{map[string]string{"Retry-After": "3", "Retry-After-Ms": "x"}, 3 * time.Second},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.h {
			h.Set(k, v)
		}
		if got := RetryAfterHeader(h, now); got != tt.want {
			t.Errorf("RetryAfterHeader(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestReadBody(t *testing.T) {
	b, err := ReadBody(strings.NewReader("12345"), 5)
	if err != nil || string(b) != "12345" {
		t.Fatalf("at the limit: %q, %v", b, err)
	}
	if _, err := ReadBody(strings.NewReader("123456"), 5); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	boom := errors.New("reset")
	if _, err := ReadBody(io.MultiReader(strings.NewReader("1"), errReader{boom}), 5); !errors.Is(err, boom) {
		t.Fatalf("read error: %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func TestTransportError(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name      string
		ctx       context.Context
		err       error
		code      string
		retryable bool
	}{
		{"refused", context.Background(), refused, CodeConnection, true},
		{"transport timeout", context.Background(), fmt.Errorf("read: %w", timeoutErr{}), CodeTimeout, true},
		{"deadline", expired, context.DeadlineExceeded, CodeTimeout, true},
		{"cancelled", cancelled, context.Canceled, "", false},
	}
	for _, tt := range tests {
		err := TransportError(tt.ctx, "the upstream", tt.err)
		var pe *Error
		if tt.code == "" {
			if errors.As(err, &pe) || !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %v, want a plain cancellation", tt.name, err)
			}
		} else if !errors.As(err, &pe) || pe.Code != tt.code || pe.Status != 0 || strings.Contains(pe.Message, "refused") {
			t.Errorf("%s: %v, want code %s with a client-safe message", tt.name, err, tt.code)
		}
		if Retryable(err) != tt.retryable {
			t.Errorf("%s: Retryable = %v", tt.name, !tt.retryable)
		}
	}
}
