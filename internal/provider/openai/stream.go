package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/walens/walens/internal/provider"
	"github.com/walens/walens/internal/sse"
)

// drainTimeout bounds the wait for the end of a body after the stream's last event.
const drainTimeout = 100 * time.Millisecond

// stream reads chat.completion.chunk events until data: [DONE]. Recv must not be called concurrently with itself;
// Close may be called from any goroutine at any time.
type stream struct {
	ctx       context.Context
	body      io.ReadCloser
	rd        *sse.Reader
	err       error // sticky: io.EOF after [DONE], else the failure
	closed    atomic.Bool
	closeOnce sync.Once
}

var doneData = []byte("[DONE]")

// Recv returns the next chunk, io.EOF after [DONE], or a *provider.Error. A stream that ends without [DONE] is an
// error (CodeConnection): the upstream went away and the usage chunk, if any, was lost.
func (s *stream) Recv() (*provider.Chunk, error) {
	if s.err != nil {
		return nil, s.err
	}
	c, err := s.next()
	if err == io.EOF {
		s.drain()
	}
	if err != nil {
		s.err = err
		_ = s.Close()
		return nil, err
	}
	return c, nil
}

// drain reads what is left of the body after the last event, normally only the end of the chunked encoding, so
// that the connection goes back to the pool: closing an unread HTTP/1.1 body closes the connection. The read is
// bounded in size and in time, so that an upstream that keeps the response open after its last event costs at most
// drainTimeout (and its connection) rather than hanging the stream.
func (s *stream) drain() {
	stop := time.AfterFunc(drainTimeout, func() { _ = s.Close() })
	defer stop.Stop()
	_, _ = io.CopyN(io.Discard, s.body, 4<<10)
}

// Close releases the upstream connection; a Recv blocked in a read returns an error wrapping net.ErrClosed.
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		_ = s.body.Close()
	})
	return nil
}

func (s *stream) next() (*provider.Chunk, error) {
	for {
		ev, err := s.rd.Next()
		if err != nil {
			return nil, s.readError(err)
		}
		data := bytes.TrimSpace(ev.Data)
		if len(data) == 0 {
			continue
		}
		if bytes.Equal(data, doneData) {
			return nil, io.EOF
		}
		var c struct {
			provider.Chunk
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, &provider.Error{Code: provider.CodeMalformed,
				Message: "the upstream sent a malformed stream event", Err: err}
		}
		if len(c.Error) > 0 && string(c.Error) != "null" {
			return nil, bodyError(500, c.Error)
		}
		if ev.Type == "error" || c.Object == "error" {
			// vLLM writes its error fields at the top level of the event.
			return nil, bodyError(500, data)
		}
		chunk := c.Chunk
		// Normalise what compatible servers vary on, so that the gateway forwards one shape: vLLM sends a null
		// choices on the usage chunk, and some servers omit object.
		if chunk.Choices == nil {
			chunk.Choices = []provider.ChunkChoice{}
		}
		if chunk.Object == "" {
			chunk.Object = "chat.completion.chunk"
		}
		return &chunk, nil
	}
}

func (s *stream) readError(err error) error {
	switch {
	case s.closed.Load():
		return fmt.Errorf("openai stream: %w", net.ErrClosed)
	case errors.Is(err, sse.ErrEventTooLarge):
		return &provider.Error{Code: provider.CodeMalformed, Message: "the upstream sent an oversized stream event", Err: err}
	case err == io.EOF:
		// Not wrapped: a caller testing errors.Is(err, io.EOF) must not take this for the normal end.
		return &provider.Error{Code: provider.CodeConnection, Message: "the upstream stream ended early",
			Err: errors.New("the stream ended without data: [DONE]")}
	case errors.Is(err, sse.ErrTruncated):
		return &provider.Error{Code: provider.CodeConnection, Message: "the upstream stream ended early", Err: err}
	default:
		return provider.TransportError(s.ctx, upstreamName, err)
	}
}
