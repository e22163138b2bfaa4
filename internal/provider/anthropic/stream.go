package anthropic

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/walens/walens/internal/provider"
)

// stream turns Messages API events into chat.completion.chunk values. Recv must not be called concurrently with
// itself; Close may be called from any goroutine at any time.
type stream struct {
	*provider.EventStream
	tr  translator
	err error // sticky: io.EOF after message_stop, else the failure
}

// Recv returns the next chunk; after message_stop it returns the usage-only chunk and then io.EOF. An error event
// (for example overloaded_error after the 200) and a stream cut before message_stop are returned as
// *provider.Error.
func (s *stream) Recv() (*provider.Chunk, error) {
	if s.err != nil {
		return nil, s.err
	}
	for {
		ev, err := s.Next()
		if err != nil {
			return nil, s.fail(err)
		}
		c, done, err := s.tr.event(ev.Type, ev.Data)
		if err != nil {
			return nil, s.fail(err)
		}
		if done {
			s.err = io.EOF
			s.Drain()
			_ = s.Close()
		}
		if c != nil {
			return c, nil
		}
		if done {
			return nil, io.EOF
		}
	}
}

func (s *stream) fail(err error) error {
	s.err = err
	_ = s.Close()
	return err
}

// streamEvent is the union of the Messages API stream events.
type streamEvent struct {
	Type         string            `json:"type"`
	Message      *messagesResponse `json:"message"`
	Index        *int              `json:"index"`
	ContentBlock *responseBlock    `json:"content_block"`
	Delta        *eventDelta       `json:"delta"`
	Usage        *deltaUsage       `json:"usage"`
	Error        *apiError         `json:"error"`
}

type eventDelta struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	PartialJSON string `json:"partial_json"`
	StopReason  string `json:"stop_reason"`
}

// deltaUsage is the usage of a message_delta. Its counts are cumulative; input and cache counts may be absent, in
// which case those of message_start stand.
type deltaUsage struct {
	InputTokens              *int `json:"input_tokens"`
	OutputTokens             *int `json:"output_tokens"`
	CacheCreationInputTokens *int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     *int `json:"cache_read_input_tokens"`
}

// translator holds what a stream has seen so far. It is separate from the transport so that it can be fuzzed.
type translator struct {
	created  int64
	id       string
	model    string
	started  bool
	finished bool
	usage    usage
	// tools maps a content block index to the tool call index the client sees (tool calls are numbered apart from
	// text blocks, from zero).
	tools map[int]int
	// blocks records every content block index started, so that deltas of blocks the provider does not translate
	// (thinking, server tools) are skipped while a delta for a block never started is refused.
	blocks map[int]bool
}

func malformedEvent(format string, args ...any) *provider.Error {
	return &provider.Error{Code: provider.CodeMalformed, Message: "the upstream sent a malformed stream event",
		Err: fmt.Errorf(format, args...)}
}

// event translates one event. It returns the chunk to emit (nil when the event carries nothing for the client) and
// done after message_stop, in which case the chunk is the final usage-only chunk.
func (t *translator) event(name string, data []byte) (*provider.Chunk, bool, error) {
	var ev streamEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, false, malformedEvent("event %q: %v", name, err)
	}
	typ := ev.Type
	if typ == "" {
		typ = name
	}
	switch typ {
	case "ping":
		return nil, false, nil
	case "error":
		var e apiError
		if ev.Error != nil {
			e = *ev.Error
		}
		return nil, false, eventError(e)
	case "message_start":
		if t.started || ev.Message == nil {
			return nil, false, malformedEvent("unexpected message_start")
		}
		t.started = true
		t.id, t.model, t.usage = ev.Message.ID, ev.Message.Model, ev.Message.Usage
		empty := ""
		return t.chunk(provider.Delta{Role: "assistant", Content: &empty}, nil), false, nil
	}
	if !t.started {
		return nil, false, malformedEvent("%s before message_start", typ)
	}
	switch typ {
	case "content_block_start":
		if ev.Index == nil || ev.ContentBlock == nil {
			return nil, false, malformedEvent("content_block_start without index or content_block")
		}
		if t.blocks[*ev.Index] {
			return nil, false, malformedEvent("content block %d started twice", *ev.Index)
		}
		if t.blocks == nil {
			t.blocks = map[int]bool{}
		}
		t.blocks[*ev.Index] = true
		switch b := ev.ContentBlock; b.Type {
		case "text":
			if b.Text != "" {
				return t.chunk(provider.Delta{Content: &b.Text}, nil), false, nil
			}
		case "tool_use":
			if b.ID == "" || b.Name == "" {
				return nil, false, malformedEvent("tool_use block without id or name")
			}
			if t.tools == nil {
				t.tools = map[int]int{}
			}
			n := len(t.tools)
			t.tools[*ev.Index] = n
			return t.chunk(provider.Delta{ToolCalls: []provider.ToolCall{{Index: &n, ID: b.ID, Type: "function",
				Function: provider.FunctionCall{Name: b.Name}}}}, nil), false, nil
		}
		return nil, false, nil
	case "content_block_delta":
		if ev.Index == nil || ev.Delta == nil {
			return nil, false, malformedEvent("content_block_delta without index or delta")
		}
		if !t.blocks[*ev.Index] {
			return nil, false, malformedEvent("content_block_delta for block %d, which was never started", *ev.Index)
		}
		switch d := ev.Delta; d.Type {
		case "text_delta":
			if d.Text == "" {
				return nil, false, nil
			}
			return t.chunk(provider.Delta{Content: &d.Text}, nil), false, nil
		case "input_json_delta":
			n, ok := t.tools[*ev.Index]
			if !ok || d.PartialJSON == "" {
				// The input of a server tool the provider does not translate, or an empty fragment.
				return nil, false, nil
			}
			return t.chunk(provider.Delta{ToolCalls: []provider.ToolCall{{Index: &n,
				Function: provider.FunctionCall{Arguments: d.PartialJSON}}}}, nil), false, nil
		}
		// thinking_delta, signature_delta and future delta types have no chat-completions equivalent.
		return nil, false, nil
	case "content_block_stop":
		return nil, false, nil
	case "message_delta":
		if u := ev.Usage; u != nil {
			set := func(dst *int, src *int) {
				if src != nil {
					*dst = *src
				}
			}
			set(&t.usage.InputTokens, u.InputTokens)
			set(&t.usage.OutputTokens, u.OutputTokens)
			set(&t.usage.CacheCreationInputTokens, u.CacheCreationInputTokens)
			set(&t.usage.CacheReadInputTokens, u.CacheReadInputTokens)
		}
		if ev.Delta == nil || ev.Delta.StopReason == "" || t.finished {
			return nil, false, nil
		}
		t.finished = true
		reason := finishReason(ev.Delta.StopReason)
		return t.chunk(provider.Delta{}, &reason), false, nil
	case "message_stop":
		c := t.chunk(provider.Delta{}, nil)
		c.Choices = []provider.ChunkChoice{}
		c.Usage = t.usage.canonical()
		return c, true, nil
	}
	// Unknown event types are skipped, as Anthropic's versioning policy asks of clients.
	return nil, false, nil
}

func (t *translator) chunk(d provider.Delta, finish *string) *provider.Chunk {
	return &provider.Chunk{
		ID:      t.id,
		Object:  "chat.completion.chunk",
		Created: t.created,
		Model:   t.model,
		Choices: []provider.ChunkChoice{{Index: 0, Delta: d, FinishReason: finish}},
	}
}
