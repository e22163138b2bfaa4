package openai

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/walens/walens/internal/provider"
)

// stream reads chat.completion.chunk events until data: [DONE]. Recv must not be called concurrently with itself;
// Close may be called from any goroutine at any time.
type stream struct {
	*provider.EventStream
	err error // sticky: io.EOF after [DONE], else the failure
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
		s.Drain()
	}
	if err != nil {
		s.err = err
		_ = s.Close()
		return nil, err
	}
	return c, nil
}

func (s *stream) next() (*provider.Chunk, error) {
	for {
		ev, err := s.Next()
		if err != nil {
			return nil, err
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
