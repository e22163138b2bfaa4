package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/walens/walens/internal/sse"
)

// drainTimeout bounds the wait for the end of a body after a stream's last event.
const drainTimeout = 100 * time.Millisecond

// EventStream is the upstream connection under a Server-Sent Events response. It reads events, turns read failures
// into errors the router can classify, returns the connection to the pool after the last event, and closes at most
// once from any goroutine. Providers that stream over SSE put their own event translation on top of it.
type EventStream struct {
	ctx    context.Context
	name   string // "openai stream": prefixes the error of a read cut short by Close
	end    string // the event that ends a stream normally, for the error when the body stops before it
	body   io.ReadCloser
	rd     *sse.Reader
	closed atomic.Bool
	once   sync.Once
}

// NewEventStream reads SSE events from body, each at most maxEventBytes. name and end describe the provider's
// stream in errors ("openai stream", "data: [DONE]").
func NewEventStream(ctx context.Context, body io.ReadCloser, maxEventBytes int, name, end string) *EventStream {
	return &EventStream{ctx: ctx, name: name, end: end, body: body, rd: sse.NewReader(body, maxEventBytes)}
}

// Next returns the next event. Every error but a read cut short by Close is a *Error; a body that ends, even
// cleanly, is CodeConnection, because only the provider's end event (after which it stops calling Next) is a
// normal end.
func (s *EventStream) Next() (sse.Event, error) {
	ev, err := s.rd.Next()
	if err != nil {
		return ev, s.readError(err)
	}
	return ev, nil
}

// Drain reads what is left of the body after the last event, normally only the end of the chunked encoding, so
// that the connection goes back to the pool: closing an unread HTTP/1.1 body closes the connection. The read is
// bounded in size and in time, so that an upstream that keeps the response open after its last event costs at most
// drainTimeout (and its connection) rather than hanging the stream.
func (s *EventStream) Drain() {
	stop := time.AfterFunc(drainTimeout, func() { _ = s.Close() })
	defer stop.Stop()
	_, _ = io.CopyN(io.Discard, s.body, 4<<10)
}

// Close releases the upstream connection; a Next blocked in a read returns an error wrapping net.ErrClosed.
func (s *EventStream) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		_ = s.body.Close()
	})
	return nil
}

func (s *EventStream) readError(err error) error {
	switch {
	case s.closed.Load():
		return fmt.Errorf("%s: %w", s.name, net.ErrClosed)
	case errors.Is(err, sse.ErrEventTooLarge):
		return &Error{Code: CodeMalformed, Message: "the upstream sent an oversized stream event", Err: err}
	case err == io.EOF:
		// Not wrapped: a caller testing errors.Is(err, io.EOF) must not take this for the normal end.
		return &Error{Code: CodeConnection, Message: "the upstream stream ended early",
			Err: fmt.Errorf("the stream ended before %s", s.end)}
	case errors.Is(err, sse.ErrTruncated):
		return &Error{Code: CodeConnection, Message: "the upstream stream ended early", Err: err}
	default:
		return TransportError(s.ctx, "the upstream", err)
	}
}
