package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file holds what every HTTP-based provider needs to classify a failed exchange the same way, so that the
// router sees one vocabulary whatever the upstream.

// DefaultMaxResponseBytes applies when Config.MaxResponseBytes is zero.
const DefaultMaxResponseBytes = 32 << 20

// MaxErrorBodyBytes bounds how much of an upstream error response is read: enough for any error document, and an
// error body is never worth more.
const MaxErrorBodyBytes = 64 << 10

// ErrBodyTooLarge is wrapped by ReadBody when the body exceeds its limit.
var ErrBodyTooLarge = errors.New("response body exceeds the size limit")

// ReadBody reads all of r, or fails with an error wrapping ErrBodyTooLarge once more than limit bytes arrive.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w of %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// RetryAfterHeader reads how long an upstream asked to wait: retry-after-ms (OpenAI, milliseconds, possibly
// fractional) when present, else Retry-After in seconds or as an HTTP date relative to now. Zero means no usable
// value. Absurd values are capped at an hour so that a broken upstream cannot park a target forever.
func RetryAfterHeader(h http.Header, now time.Time) time.Duration {
	const ceiling = time.Hour
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return min(time.Duration(ms*float64(time.Millisecond)), ceiling)
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return min(time.Duration(s*float64(time.Second)), ceiling)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, ceiling)
		}
	}
	return 0
}

// TransportError classifies an error from sending a request or reading a response body. A cancelled ctx (the
// client went away) is returned as an error wrapping context.Canceled, which Retryable refuses to retry; a deadline
// or a transport timeout becomes CodeTimeout; anything else (refused, reset, TLS, DNS) becomes CodeConnection.
func TransportError(ctx context.Context, upstream string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return &Error{Code: CodeTimeout, Message: upstream + " did not answer before the deadline", Err: err}
		}
		return fmt.Errorf("%s request abandoned: %w", upstream, ctxErr)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Code: CodeTimeout, Message: upstream + " timed out", Err: err}
	}
	return &Error{Code: CodeConnection, Message: "could not reach " + upstream, Err: err}
}

// CheckHTTP validates what every HTTP provider needs from its configuration (an absolute http or https base URL, a
// non-negative body limit, valid header names) and returns the parsed base URL. name starts each error message.
func (c Config) CheckHTTP(name string) (*url.URL, error) {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: base_url %q must be an absolute http or https URL", name, c.BaseURL)
	}
	if c.MaxResponseBytes < 0 {
		return nil, fmt.Errorf("%s: max_response_bytes must not be negative, got %d", name, c.MaxResponseBytes)
	}
	for k := range c.Headers {
		if k == "" || strings.ContainsAny(k, " \r\n:") {
			return nil, fmt.Errorf("%s: headers: %q is not a valid header name", name, k)
		}
	}
	return u, nil
}

// ClassifyStatus maps an upstream HTTP error status to the router's code and a message safe to show to clients.
// Providers check what their error bodies say more precisely (a context-window error, an overload) first, and
// fall back on this for the rest.
func ClassifyStatus(status int) (code, message string) {
	switch {
	case status == http.StatusTooManyRequests:
		return CodeRateLimited, "the upstream rate limit was reached"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return CodeAuth, "the upstream rejected the gateway's credentials"
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return CodeTimeout, "the upstream timed out"
	case status >= 500:
		return CodeUpstream, fmt.Sprintf("the upstream failed (HTTP %d)", status)
	case status == http.StatusNotFound:
		return CodeUpstream, "the upstream does not know the model or endpoint"
	default:
		return CodeBadRequest, fmt.Sprintf("the upstream rejected the request (HTTP %d)", status)
	}
}
