package gateway

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"time"

	"github.com/walens/walens/internal/provider"
)

// errAttemptTimeout marks an attempt cancelled by its target's timeout rather than by the client.
var errAttemptTimeout = errors.New("upstream attempt timed out")

// errNoTarget means every target was skipped (breaker open or unhealthy) before any attempt.
var errNoTarget = &provider.Error{Code: "no_target", Message: "no upstream target is available"}

// trace records what the router did for the audit record.
type trace struct {
	target   *target
	fallback []string // "provider/model:reason" per failed or skipped attempt
	attempts int
}

// plan orders a route's targets for one request: tiers in order, and within a tier a weighted random order, so
// that the weights share load among equals and the others in the tier are the first fallback.
func (rt *route) plan() []*target {
	var out []*target
	for _, tier := range rt.tiers {
		if len(tier) == 1 {
			out = append(out, tier[0])
			continue
		}
		left := append([]*target(nil), tier...)
		for len(left) > 0 {
			total := 0
			for _, t := range left {
				total += t.weight
			}
			n := rand.IntN(max(total, 1))
			i := 0
			for ; i < len(left)-1; i++ {
				n -= left[i].weight
				if n < 0 {
					break
				}
			}
			out = append(out, left[i])
			left = append(left[:i], left[i+1:]...)
		}
	}
	return out
}

// attempt calls one target; it returns a provider error (or ctx's error) on failure.
type attempt func(ctx context.Context, t *target) error

// run tries the route's targets in plan order with retries, until one succeeds, the error is one that no other
// target would answer differently (a bad request), or the client's context ends.
func (g *Gateway) run(ctx context.Context, st *state, rt *route, tr *trace, do attempt) error {
	r := st.cfg.Retries
	var last error = errNoTarget
	for _, t := range rt.plan() {
		if !t.health.healthy.Load() {
			tr.fallback = append(tr.fallback, t.name+":unhealthy")
			continue
		}
		for n := 1; ; n++ {
			if !t.health.br.Allow(g.opts.Now()) {
				tr.fallback = append(tr.fallback, t.name+":breaker_open")
				break
			}
			tr.attempts++
			err := do(ctx, t)
			t.health.br.Record(g.opts.Now(), classify(ctx, err))
			if err == nil {
				tr.target = t
				return nil
			}
			last = err
			if ctx.Err() != nil {
				return ctx.Err()
			}
			tr.fallback = append(tr.fallback, t.name+":"+errorCode(err))
			if !provider.Retryable(err) {
				return err
			}
			if n >= max(r.MaxAttempts, 1) || errorCode(err) == provider.CodeContextLength {
				break // the same target will refuse the same context again
			}
			wait := backoff(n, time.Duration(r.BaseBackoff), time.Duration(r.MaxBackoff))
			var pe *provider.Error
			if errors.As(err, &pe) && pe.RetryAfter > 0 {
				if pe.RetryAfter > time.Duration(r.MaxRetryAfter) {
					break // waiting that long helps less than the next target
				}
				wait = pe.RetryAfter
			}
			if err := g.opts.Sleep(ctx, wait); err != nil {
				return err
			}
		}
	}
	return &allFailed{last: last}
}

// allFailed wraps the last error when every target failed or was skipped.
type allFailed struct{ last error }

func (e *allFailed) Error() string { return "every upstream target failed: " + e.last.Error() }
func (e *allFailed) Unwrap() error { return e.last }

// classify turns an attempt's result into a breaker outcome.
func classify(ctx context.Context, err error) outcome {
	switch {
	case err == nil:
		return success
	case ctx.Err() != nil:
		return neutral // the client left or the request's deadline passed
	case provider.Retryable(err) && errorCode(err) != provider.CodeContextLength:
		return failure
	default:
		return neutral
	}
}

// backoff is full-jitter exponential backoff: a random wait up to base*2^(n-1), capped.
func backoff(n int, base, limit time.Duration) time.Duration {
	if base <= 0 {
		return 0
	}
	d := base << min(n-1, 20)
	if limit > 0 && (d > limit || d <= 0) {
		d = limit
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

// errorCode names an error for logs, fallback paths and audit records, never with upstream detail.
func errorCode(err error) string {
	var pe *provider.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		if pe.Code != "" {
			return pe.Code
		}
		return provider.CodeUpstream
	case errors.Is(err, context.DeadlineExceeded):
		return provider.CodeTimeout
	case errors.Is(err, context.Canceled):
		return "client_cancelled"
	default:
		return provider.CodeUpstream
	}
}

// withAttemptTimeout derives the context of one attempt. Timing out is reported as a retryable timeout error,
// distinct from the client's own cancellation.
func attemptError(parent, actx context.Context, err error) error {
	if err != nil && parent.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout) {
		return &provider.Error{Code: provider.CodeTimeout, Message: "the upstream did not answer in time", Err: err}
	}
	return err
}

// chat runs a non-streaming completion through the route.
func (g *Gateway) chat(ctx context.Context, st *state, rt *route, req *provider.ChatRequest, tr *trace) (*provider.ChatResponse, error) {
	var resp *provider.ChatResponse
	err := g.run(ctx, st, rt, tr, func(ctx context.Context, t *target) error {
		actx, cancel := context.WithTimeoutCause(ctx, t.timeout, errAttemptTimeout)
		defer cancel()
		up := *req
		up.Model = t.model
		r, err := t.p.Chat(actx, &up)
		if err != nil {
			return attemptError(ctx, actx, err)
		}
		resp = r
		return nil
	})
	return resp, err
}

// embed runs an embeddings request through the route.
func (g *Gateway) embed(ctx context.Context, st *state, rt *route, req *provider.EmbeddingRequest, tr *trace) (*provider.EmbeddingResponse, error) {
	var resp *provider.EmbeddingResponse
	err := g.run(ctx, st, rt, tr, func(ctx context.Context, t *target) error {
		actx, cancel := context.WithTimeoutCause(ctx, t.timeout, errAttemptTimeout)
		defer cancel()
		up := *req
		up.Model = t.model
		up.EncodingFormat = "" // providers return floats; the gateway encodes
		r, err := t.p.Embed(actx, &up)
		if err != nil {
			return attemptError(ctx, actx, err)
		}
		resp = r
		return nil
	})
	return resp, err
}

// openStream is a stream whose first substantive chunk has arrived: from here on the client sees bytes and the
// request can no longer fail over. pending holds the chunks read so far, replayed by Recv.
type openStream struct {
	provider.Stream
	pending []*provider.Chunk
	cancel  context.CancelCauseFunc
}

// Recv replays the chunks read while opening the stream, then reads on.
func (s *openStream) Recv() (*provider.Chunk, error) {
	if len(s.pending) > 0 {
		c := s.pending[0]
		s.pending = s.pending[1:]
		return c, nil
	}
	return s.Stream.Recv()
}

// maxHeld bounds the chunks held back while waiting for a substantive one.
const maxHeld = 8

// substantive reports whether a chunk carries something the client must not see twice: text, a tool call, a
// refusal, a finish reason or usage. A role-only opening chunk (Anthropic's message_start, Bedrock's messageStart)
// is not: an upstream that fails right after it can still be replaced.
func substantive(c *provider.Chunk) bool {
	if c.Usage != nil {
		return true
	}
	for _, ch := range c.Choices {
		d := ch.Delta
		if d.Content != nil && *d.Content != "" || len(d.ToolCalls) > 0 || d.Refusal != nil || ch.FinishReason != nil {
			return true
		}
	}
	return false
}

func (s *openStream) Close() error {
	err := s.Stream.Close()
	s.cancel(context.Canceled)
	return err
}

// stream starts a streaming completion through the route. A target that fails before its first substantive chunk
// is retried or fallen back from like a non-streaming one; the target's timeout bounds the wait for that chunk only.
func (g *Gateway) stream(ctx context.Context, st *state, rt *route, req *provider.ChatRequest, tr *trace) (*openStream, error) {
	var out *openStream
	err := g.run(ctx, st, rt, tr, func(ctx context.Context, t *target) error {
		actx, cancel := context.WithCancelCause(ctx)
		timer := time.AfterFunc(t.timeout, func() { cancel(errAttemptTimeout) })
		up := *req
		up.Model = t.model
		up.Stream = true
		up.StreamOptions = &provider.StreamOptions{IncludeUsage: true}
		s, err := t.p.ChatStream(actx, &up)
		if err != nil {
			timer.Stop()
			cancel(context.Canceled)
			return attemptError(ctx, actx, err)
		}
		var pending []*provider.Chunk
		for len(pending) < maxHeld {
			c, err := s.Recv()
			if errors.Is(err, io.EOF) && len(pending) > 0 {
				break // a stream of role chunks only: let the client see it end
			}
			if err != nil {
				timer.Stop()
				s.Close()
				err = attemptError(ctx, actx, err)
				cancel(context.Canceled)
				if errors.Is(err, io.EOF) {
					return &provider.Error{Code: provider.CodeMalformed, Message: "the upstream stream ended before any chunk"}
				}
				return err
			}
			pending = append(pending, c)
			if substantive(c) {
				break
			}
		}
		timer.Stop()
		out = &openStream{Stream: s, pending: pending, cancel: cancel}
		return nil
	})
	return out, err
}
