package mockllm

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

type bedrockBlock struct {
	Text       *string `json:"text"`
	ToolResult *struct {
		Content []struct {
			Text *string `json:"text"`
		} `json:"content"`
	} `json:"toolResult"`
}

type bedrockRequest struct {
	Messages []struct {
		Role    string         `json:"role"`
		Content []bedrockBlock `json:"content"`
	} `json:"messages"`
	System []struct {
		Text *string `json:"text"`
	} `json:"system"`
	InferenceConfig *struct {
		MaxTokens int `json:"maxTokens"`
	} `json:"inferenceConfig"`
	ToolConfig *struct {
		Tools []struct {
			ToolSpec *struct {
				Name        string `json:"name"`
				InputSchema struct {
					JSON json.RawMessage `json:"json"`
				} `json:"inputSchema"`
			} `json:"toolSpec"`
		} `json:"tools"`
	} `json:"toolConfig"`
}

func bedrockText(blocks []bedrockBlock) string {
	var out string
	for _, b := range blocks {
		if b.Text != nil {
			out += *b.Text + " "
		}
		if b.ToolResult != nil {
			for _, c := range b.ToolResult.Content {
				if c.Text != nil {
					out += *c.Text + " "
				}
			}
		}
	}
	return out
}

// bedrockErrorType maps a status to the exception name Bedrock puts in X-Amzn-ErrorType.
func bedrockErrorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "ThrottlingException"
	case status == http.StatusServiceUnavailable:
		return "ServiceUnavailableException"
	case status == http.StatusForbidden || status == http.StatusUnauthorized:
		return "AccessDeniedException"
	case status == http.StatusNotFound:
		return "ResourceNotFoundException"
	case status < 500:
		return "ValidationException"
	default:
		return "InternalServerException"
	}
}

func bedrockError(w http.ResponseWriter, in injected, msg string) {
	if in.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", retryAfterSeconds(in.retryAfter))
	}
	w.Header().Set("X-Amzn-ErrorType", bedrockErrorType(in.status)+":http://internal.amazon.com/coral/com.amazon.bedrock/")
	writeJSON(w, in.status, map[string]string{"message": msg})
}

// bedrockParse decodes and admits a Converse request; ok is false when an answer was already written.
func (h *Handler) bedrockParse(w http.ResponseWriter, r *http.Request) (c completion, ok bool) {
	in := h.admit(r)
	var req bedrockRequest
	if err := h.decode(w, r, &req); err != nil {
		h.countError(http.StatusBadRequest)
		bedrockError(w, injected{status: http.StatusBadRequest}, err.Error())
		return c, false
	}
	if len(req.Messages) == 0 {
		h.countError(http.StatusBadRequest)
		bedrockError(w, injected{status: http.StatusBadRequest}, "messages: must not be empty")
		return c, false
	}
	if in.status != 0 {
		h.countError(in.status)
		bedrockError(w, in, "mock upstream: injected error "+strconv.Itoa(in.status))
		return c, false
	}
	prompt, lastUser := 0, ""
	for _, s := range req.System {
		if s.Text != nil {
			prompt += countWords(*s.Text)
		}
	}
	for _, m := range req.Messages {
		t := bedrockText(m.Content)
		prompt += countWords(t)
		if m.Role == "user" {
			lastUser = t
		}
	}
	var names []string
	var schemas []json.RawMessage
	if req.ToolConfig != nil {
		for _, t := range req.ToolConfig.Tools {
			if t.ToolSpec != nil {
				names = append(names, t.ToolSpec.Name)
				schemas = append(schemas, t.ToolSpec.InputSchema.JSON)
			}
		}
	}
	n := h.words(r)
	if req.InferenceConfig != nil && req.InferenceConfig.MaxTokens > 0 {
		n = min(n, req.InferenceConfig.MaxTokens)
	}
	c = complete(prompt, lastUser, names, schemas, n)
	if !h.wait(r) {
		h.countError(499)
		return c, false
	}
	return c, true
}

func bedrockStop(c completion) string {
	if c.toolName != "" {
		return "tool_use"
	}
	return "end_turn"
}

func bedrockUsage(c completion) map[string]int {
	return map[string]int{"inputTokens": c.prompt, "outputTokens": c.completion, "totalTokens": c.prompt + c.completion}
}

func (h *Handler) bedrockConverse(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c, ok := h.bedrockParse(w, r)
	if !ok {
		return
	}
	block := map[string]any{"text": c.text}
	if c.toolName != "" {
		var args map[string]any
		_ = json.Unmarshal([]byte(c.toolArgs), &args)
		block = map[string]any{"toolUse": map[string]any{"toolUseId": "tooluse_mock0", "name": c.toolName, "input": args}}
	}
	h.ok.Add(1)
	h.report(c.prompt, c.completion)
	writeJSON(w, http.StatusOK, map[string]any{
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": []any{block}}},
		"stopReason": bedrockStop(c),
		"usage":      bedrockUsage(c),
		"metrics":    map[string]int64{"latencyMs": time.Since(start).Milliseconds()},
	})
}

// frameWriter encodes ConverseStream events as event-stream frames and flushes each one.
type frameWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	enc *eventstream.Encoder
	buf bytes.Buffer
}

func (f *frameWriter) write(messageType, typeHeader, typeName string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	var hs eventstream.Headers
	hs.Set(":message-type", eventstream.StringValue(messageType))
	hs.Set(typeHeader, eventstream.StringValue(typeName))
	hs.Set(":content-type", eventstream.StringValue("application/json"))
	f.buf.Reset()
	if err := f.enc.Encode(&f.buf, eventstream.Message{Headers: hs, Payload: b}); err != nil {
		return err
	}
	if _, err := f.w.Write(f.buf.Bytes()); err != nil {
		return err
	}
	return f.rc.Flush()
}

func (f *frameWriter) event(name string, payload any) error {
	return f.write("event", ":event-type", name, payload)
}

func (h *Handler) bedrockConverseStream(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c, ok := h.bedrockParse(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	h.ok.Add(1)
	h.streams.Add(1)
	f := &frameWriter{w: w, rc: http.NewResponseController(w), enc: eventstream.NewEncoder()}
	if f.event("messageStart", map[string]string{"role": "assistant"}) != nil {
		return
	}
	var pieces []string
	if c.toolName != "" {
		if f.event("contentBlockStart", map[string]any{"contentBlockIndex": 0, "start": map[string]any{
			"toolUse": map[string]string{"toolUseId": "tooluse_mock0", "name": c.toolName}}}) != nil {
			return
		}
		pieces = splitBytes(c.toolArgs, h.opts.Chunks)
	} else {
		pieces = split(c.text, h.opts.Chunks)
	}
	for i, p := range pieces {
		if i > 0 && !sleep(r, h.opts.ChunkDelay) {
			return
		}
		delta := map[string]any{"text": p}
		if c.toolName != "" {
			delta = map[string]any{"toolUse": map[string]string{"input": p}}
		}
		if f.event("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": delta}) != nil {
			return
		}
		if i == 0 && r.Header.Get(HeaderStreamError) == "1" {
			h.streamErrors.Add(1)
			_ = f.write("exception", ":exception-type", "modelStreamErrorException",
				map[string]string{"message": "mock upstream: injected stream error"})
			return
		}
	}
	if f.event("contentBlockStop", map[string]int{"contentBlockIndex": 0}) != nil ||
		f.event("messageStop", map[string]string{"stopReason": bedrockStop(c)}) != nil {
		return
	}
	if f.event("metadata", map[string]any{"usage": bedrockUsage(c),
		"metrics": map[string]int64{"latencyMs": time.Since(start).Milliseconds()}}) != nil {
		return
	}
	h.report(c.prompt, c.completion)
}

// bedrockInvoke answers InvokeModel for Amazon Titan text embeddings models.
func (h *Handler) bedrockInvoke(w http.ResponseWriter, r *http.Request) {
	in := h.admit(r)
	var req struct {
		InputText  *string `json:"inputText"`
		Dimensions int     `json:"dimensions"`
	}
	if err := h.decode(w, r, &req); err != nil {
		h.countError(http.StatusBadRequest)
		bedrockError(w, injected{status: http.StatusBadRequest}, err.Error())
		return
	}
	if req.InputText == nil {
		h.countError(http.StatusBadRequest)
		bedrockError(w, injected{status: http.StatusBadRequest},
			"inputText: required (the mock answers InvokeModel for Titan embeddings models only)")
		return
	}
	if in.status != 0 {
		h.countError(in.status)
		bedrockError(w, in, "mock upstream: injected error "+strconv.Itoa(in.status))
		return
	}
	if !h.wait(r) {
		h.countError(499)
		return
	}
	dims := h.opts.Dimensions
	if req.Dimensions > 0 && req.Dimensions <= 8192 {
		dims = req.Dimensions
	}
	tokens := countWords(*req.InputText)
	h.ok.Add(1)
	h.report(tokens, 0)
	writeJSON(w, http.StatusOK, map[string]any{"embedding": vector(*req.InputText, dims), "inputTextTokenCount": tokens})
}
