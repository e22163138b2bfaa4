package mockllm

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// sseWriter writes Server-Sent Events and flushes each one, so that pacing reaches the client.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	buf []byte
}

func newSSE(w http.ResponseWriter) *sseWriter {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	return &sseWriter{w: w, rc: http.NewResponseController(w)}
}

func (s *sseWriter) raw(text string) error {
	if _, err := s.w.Write([]byte(text)); err != nil {
		return err
	}
	return s.rc.Flush()
}

// event writes an optional event name and v as JSON data.
func (s *sseWriter) event(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.buf = s.buf[:0]
	if name != "" {
		s.buf = append(s.buf, "event: "...)
		s.buf = append(s.buf, name...)
		s.buf = append(s.buf, '\n')
	}
	s.buf = append(s.buf, "data: "...)
	s.buf = append(s.buf, b...)
	s.buf = append(s.buf, "\n\n"...)
	if _, err := s.w.Write(s.buf); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *sseWriter) data(v any) error { return s.event("", v) }

type anthropicRequest struct {
	Model     string          `json:"model"`
	MaxTokens int             `json:"max_tokens"`
	System    json.RawMessage `json:"system"`
	Messages  []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name        string          `json:"name"`
		InputSchema json.RawMessage `json:"input_schema"`
	} `json:"tools"`
	Stream bool `json:"stream"`
}

// anthropicText returns the text of a string or of an array of blocks (text blocks, and the text inside
// tool_result blocks).
func anthropicText(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] == 'n' {
		return ""
	}
	if raw[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	var blocks []struct {
		Type    string          `json:"type"`
		Text    string          `json:"text"`
		Content json.RawMessage `json:"content"`
	}
	_ = json.Unmarshal(raw, &blocks)
	var out string
	for _, b := range blocks {
		switch b.Type {
		case "text":
			out += b.Text + " "
		case "tool_result":
			out += anthropicText(b.Content) + " "
		}
	}
	return out
}

func anthropicError(w http.ResponseWriter, in injected, msg string) {
	typ := "api_error"
	switch {
	case in.status == http.StatusTooManyRequests:
		typ = "rate_limit_error"
		w.Header().Set("Retry-After", retryAfterSeconds(in.retryAfter))
	case in.status == 529:
		typ = "overloaded_error"
	case in.status == http.StatusUnauthorized:
		typ = "authentication_error"
	case in.status < 500:
		typ = "invalid_request_error"
	}
	writeJSON(w, in.status, map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}})
}

func (h *Handler) anthropicMessages(w http.ResponseWriter, r *http.Request) {
	in := h.admit(r)
	var req anthropicRequest
	if err := h.decode(w, r, &req); err != nil {
		h.countError(http.StatusBadRequest)
		anthropicError(w, injected{status: http.StatusBadRequest}, err.Error())
		return
	}
	if req.MaxTokens <= 0 {
		h.countError(http.StatusBadRequest)
		anthropicError(w, injected{status: http.StatusBadRequest}, "max_tokens: Field required")
		return
	}
	if in.status != 0 {
		h.countError(in.status)
		anthropicError(w, in, "mock upstream: injected error "+strconv.Itoa(in.status))
		return
	}
	prompt, lastUser := countWords(anthropicText(req.System)), ""
	for _, m := range req.Messages {
		t := anthropicText(m.Content)
		prompt += countWords(t)
		if m.Role == "user" {
			lastUser = t
		}
	}
	names := make([]string, len(req.Tools))
	schemas := make([]json.RawMessage, len(req.Tools))
	for i, t := range req.Tools {
		names[i], schemas[i] = t.Name, t.InputSchema
	}
	c := complete(prompt, lastUser, names, schemas, min(h.words(r), req.MaxTokens))
	if !h.wait(r) {
		h.countError(499)
		return
	}
	id := "msg_mock" + strconv.FormatUint(h.seq.Load(), 10)
	stop := "end_turn"
	if c.toolName != "" {
		stop = "tool_use"
	} else if c.completion == req.MaxTokens && req.MaxTokens < h.words(r) {
		stop = "max_tokens"
	}
	if req.Stream {
		h.anthropicStream(w, r, id, req.Model, stop, c)
		return
	}
	var content []map[string]any
	if c.toolName != "" {
		var args map[string]any
		_ = json.Unmarshal([]byte(c.toolArgs), &args)
		content = []map[string]any{{"type": "tool_use", "id": "toolu_mock0", "name": c.toolName, "input": args}}
	} else {
		content = []map[string]any{{"type": "text", "text": c.text}}
	}
	h.ok.Add(1)
	h.report(c.prompt, c.completion)
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "type": "message", "role": "assistant", "model": req.Model, "content": content,
		"stop_reason": stop, "stop_sequence": nil,
		"usage": map[string]int{"input_tokens": c.prompt, "output_tokens": c.completion},
	})
}

func (h *Handler) anthropicStream(w http.ResponseWriter, r *http.Request, id, model, stop string, c completion) {
	sw := newSSE(w)
	h.ok.Add(1)
	h.streams.Add(1)
	err := sw.event("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": id, "type": "message", "role": "assistant", "model": model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]int{"input_tokens": c.prompt, "output_tokens": 1},
	}})
	if err != nil {
		return
	}
	block := map[string]any{"type": "text", "text": ""}
	var pieces []string
	if c.toolName != "" {
		block = map[string]any{"type": "tool_use", "id": "toolu_mock0", "name": c.toolName, "input": map[string]any{}}
		pieces = splitBytes(c.toolArgs, h.opts.Chunks)
	} else {
		pieces = split(c.text, h.opts.Chunks)
	}
	if sw.event("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": block}) != nil ||
		sw.event("ping", map[string]string{"type": "ping"}) != nil {
		return
	}
	for i, p := range pieces {
		if i > 0 && !sleep(r, h.opts.ChunkDelay) {
			return
		}
		delta := map[string]string{"type": "text_delta", "text": p}
		if c.toolName != "" {
			delta = map[string]string{"type": "input_json_delta", "partial_json": p}
		}
		if sw.event("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": delta}) != nil {
			return
		}
		if i == 0 && r.Header.Get(HeaderStreamError) == "1" {
			h.streamErrors.Add(1)
			_ = sw.event("error", map[string]any{"type": "error", "error": map[string]string{
				"type": "overloaded_error", "message": "Overloaded"}})
			return
		}
	}
	if sw.event("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0}) != nil {
		return
	}
	if sw.event("message_delta", map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": stop, "stop_sequence": nil},
		"usage": map[string]int{"output_tokens": c.completion}}) != nil {
		return
	}
	// Usage is complete once message_delta is out: input tokens came in message_start.
	h.report(c.prompt, c.completion)
	_ = sw.event("message_stop", map[string]string{"type": "message_stop"})
}
