package bedrock

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/walens/walens/internal/provider"
)

// Event-stream framing: a 12-byte prelude (total length, headers length, prelude CRC), headers, payload and a
// 4-byte message CRC.
const (
	preludeLen  = 12
	frameMinLen = preludeLen + 4
)

// ChatStream calls ConverseStream and translates its events into chat.completion.chunk values. The last chunk
// carries usage and no choices, from the metadata event Bedrock always sends.
func (p *Provider) ChatStream(ctx context.Context, req *provider.ChatRequest) (provider.Stream, error) {
	resp, modelID, err := p.send(ctx, req, "converse-stream", "application/vnd.amazon.eventstream")
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/json") {
		resp.Body.Close()
		return nil, malformed(resp.StatusCode, "the upstream answered a stream request without an event stream", fmt.Errorf("content type %q", ct))
	}
	return newStream(ctx, resp.Body, responseID(resp.Header.Get("X-Amzn-Requestid")), modelID, p.now().Unix(), p.maxBytes), nil
}

// stream decodes the event stream of one ConverseStream response. It spawns no goroutine: Recv reads frames on
// the caller's goroutine, and Close unblocks it by closing the body.
type stream struct {
	ctx      context.Context
	body     io.ReadCloser
	src      *bodyReader
	r        *bufio.Reader
	dec      *eventstream.Decoder
	payload  []byte
	maxFrame int64

	id, model string
	created   int64

	toolIndex   map[int]int // content block index → OpenAI tool call index
	stopped     bool        // messageStop seen
	sawMetadata bool
	err         error // sticky: once failed or finished, Recv keeps returning it
	closed      atomic.Bool
	closeOnce   sync.Once
	closeErr    error
}

func newStream(ctx context.Context, body io.ReadCloser, id, model string, created, maxFrame int64) *stream {
	src := &bodyReader{r: body}
	return &stream{
		ctx:       ctx,
		body:      body,
		src:       src,
		r:         bufio.NewReaderSize(src, 32<<10),
		dec:       eventstream.NewDecoder(),
		maxFrame:  maxFrame,
		id:        id,
		model:     model,
		created:   created,
		toolIndex: map[int]int{},
	}
}

var errStreamClosed = errors.New("bedrock: stream closed")

// Recv returns the next chunk, io.EOF after the last one, or a *provider.Error for an exception frame, a malformed
// or truncated frame, or a broken connection.
func (s *stream) Recv() (*provider.Chunk, error) {
	for s.err == nil {
		msg, err := s.next()
		if err != nil {
			s.err = err
			break
		}
		chunk, err := s.handle(msg)
		s.payload = msg.Payload
		if err != nil {
			s.err = err
			break
		}
		if chunk != nil {
			return chunk, nil
		}
	}
	return nil, s.err
}

// Close releases the connection. It may be called more than once and while Recv is blocked.
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.closeErr = s.body.Close()
	})
	return s.closeErr
}

// next reads one frame. The prelude is checked before the SDK decoder sees it: the decoder trusts the lengths it
// reads, so a hostile or corrupt length would make it buffer without bound.
func (s *stream) next() (eventstream.Message, error) {
	prelude, err := s.r.Peek(preludeLen)
	if err != nil {
		if len(prelude) == 0 && err == io.EOF {
			if s.stopped || s.sawMetadata {
				return eventstream.Message{}, io.EOF
			}
			return eventstream.Message{}, malformed(200, "the Bedrock stream ended before the message was complete", errors.New("no messageStop event"))
		}
		return eventstream.Message{}, s.readError(err)
	}
	total := binary.BigEndian.Uint32(prelude[0:4])
	headers := binary.BigEndian.Uint32(prelude[4:8])
	switch {
	case total < frameMinLen || headers > total-frameMinLen:
		return eventstream.Message{}, malformed(200, "the Bedrock stream held a malformed frame",
			fmt.Errorf("frame length %d with headers length %d", total, headers))
	case int64(total) > s.maxFrame:
		return eventstream.Message{}, malformed(200, "a Bedrock stream frame exceeded the size limit",
			fmt.Errorf("frame of %d bytes, limit %d", total, s.maxFrame))
	}
	msg, err := s.dec.Decode(io.LimitReader(s.r, int64(total)), s.payload[:0])
	if err != nil {
		return eventstream.Message{}, s.readError(err)
	}
	return msg, nil
}

// readError classifies a failure while reading frames.
func (s *stream) readError(err error) error {
	if s.closed.Load() {
		return errStreamClosed
	}
	if s.ctx.Err() != nil {
		return provider.TransportError(s.ctx, upstreamName, s.ctx.Err())
	}
	var cs eventstream.ChecksumError
	var le eventstream.LengthError
	switch {
	case errors.As(err, &cs):
		return malformed(200, "the Bedrock stream held a frame with a bad checksum", err)
	case errors.As(err, &le):
		return malformed(200, "the Bedrock stream held a malformed frame", err)
	case s.src.err != nil:
		return provider.TransportError(s.ctx, upstreamName, s.src.err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		// Not wrapped: a caller testing errors.Is(err, io.EOF) must not take a truncated stream for a finished one.
		return malformed(200, "the Bedrock stream was cut off inside a frame", fmt.Errorf("truncated frame: %v", err))
	}
	// Anything else comes from the decoder: an unknown header value type and the like.
	return malformed(200, "the Bedrock stream held a malformed frame", err)
}

// bodyReader remembers the last error of the body other than io.EOF, so that a broken connection can be told
// apart from a frame the decoder refused.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

func headerString(m eventstream.Message, name string) string {
	v := m.Headers.Get(name)
	if v == nil {
		return ""
	}
	if sv, ok := v.(eventstream.StringValue); ok {
		return string(sv)
	}
	return v.String()
}

// Event payloads, as ConverseStream sends them (each event's JSON is the member itself, not wrapped).
type (
	blockStartEvent struct {
		ContentBlockIndex int `json:"contentBlockIndex"`
		Start             struct {
			ToolUse *struct {
				ToolUseID string `json:"toolUseId"`
				Name      string `json:"name"`
			} `json:"toolUse"`
		} `json:"start"`
	}
	blockDeltaEvent struct {
		ContentBlockIndex int `json:"contentBlockIndex"`
		Delta             struct {
			Text    *string `json:"text"`
			ToolUse *struct {
				Input string `json:"input"`
			} `json:"toolUse"`
		} `json:"delta"`
	}
	messageStopEvent struct {
		StopReason string `json:"stopReason"`
	}
	metadataEvent struct {
		Usage *usage `json:"usage"`
	}
)

// handle translates one frame; it returns a nil chunk for events that have no OpenAI counterpart.
func (s *stream) handle(m eventstream.Message) (*provider.Chunk, error) {
	switch headerString(m, ":message-type") {
	case "exception":
		var ae awsError
		_ = json.Unmarshal(m.Payload, &ae)
		typ := headerString(m, ":exception-type")
		if typ == "" {
			typ = ae.Type
		}
		return nil, streamError(typ, ae.text())
	case "error":
		return nil, streamError(headerString(m, ":error-code"), headerString(m, ":error-message"))
	case "event", "":
	default:
		return nil, nil
	}

	bad := func(err error) error {
		return malformed(200, "the Bedrock stream held an event that is not valid JSON", err)
	}
	switch headerString(m, ":event-type") {
	case "messageStart":
		empty := ""
		return s.chunk(provider.Delta{Role: "assistant", Content: &empty}, nil), nil
	case "contentBlockStart":
		var ev blockStartEvent
		if err := json.Unmarshal(m.Payload, &ev); err != nil {
			return nil, bad(err)
		}
		if ev.Start.ToolUse == nil {
			return nil, nil
		}
		idx := len(s.toolIndex)
		s.toolIndex[ev.ContentBlockIndex] = idx
		return s.chunk(provider.Delta{ToolCalls: []provider.ToolCall{{
			Index: &idx, ID: ev.Start.ToolUse.ToolUseID, Type: "function",
			Function: provider.FunctionCall{Name: ev.Start.ToolUse.Name},
		}}}, nil), nil
	case "contentBlockDelta":
		var ev blockDeltaEvent
		if err := json.Unmarshal(m.Payload, &ev); err != nil {
			return nil, bad(err)
		}
		switch {
		case ev.Delta.Text != nil:
			if *ev.Delta.Text == "" {
				return nil, nil
			}
			return s.chunk(provider.Delta{Content: ev.Delta.Text}, nil), nil
		case ev.Delta.ToolUse != nil:
			idx, ok := s.toolIndex[ev.ContentBlockIndex]
			if !ok {
				return nil, malformed(200, "the Bedrock stream sent tool input outside a tool block",
					fmt.Errorf("toolUse delta for content block %d without contentBlockStart", ev.ContentBlockIndex))
			}
			return s.chunk(provider.Delta{ToolCalls: []provider.ToolCall{{
				Index: &idx, Function: provider.FunctionCall{Arguments: ev.Delta.ToolUse.Input},
			}}}, nil), nil
		}
		return nil, nil // reasoning content and future delta kinds
	case "messageStop":
		var ev messageStopEvent
		if err := json.Unmarshal(m.Payload, &ev); err != nil {
			return nil, bad(err)
		}
		s.stopped = true
		fr := finishReason(ev.StopReason)
		return s.chunk(provider.Delta{}, &fr), nil
	case "metadata":
		var ev metadataEvent
		if err := json.Unmarshal(m.Payload, &ev); err != nil {
			return nil, bad(err)
		}
		s.sawMetadata = true
		u := toUsage(ev.Usage)
		if u == nil {
			return nil, nil
		}
		c := s.chunk(provider.Delta{}, nil)
		c.Choices = []provider.ChunkChoice{}
		c.Usage = u
		return c, nil
	}
	return nil, nil // contentBlockStop and event types added after this was written
}

func (s *stream) chunk(d provider.Delta, finish *string) *provider.Chunk {
	return &provider.Chunk{
		ID:      s.id,
		Object:  "chat.completion.chunk",
		Created: s.created,
		Model:   s.model,
		Choices: []provider.ChunkChoice{{Index: 0, Delta: d, FinishReason: finish}},
	}
}
