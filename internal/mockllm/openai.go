package mockllm

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"time"
)

type openAIRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Stream        bool `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name       string          `json:"name"`
			Parameters json.RawMessage `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
}

// openAIText returns the text of a message content: a string, or an array of parts of which the text parts count.
func openAIText(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] == 'n' {
		return ""
	}
	if raw[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &parts)
	var out string
	for _, p := range parts {
		if p.Type == "text" {
			out += p.Text + " "
		}
	}
	return out
}

type openAIUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type openAIToolCall struct {
	Index    *int   `json:"index,omitempty"`
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty"`
	Function struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type openAIMessage struct {
	Role      string           `json:"role,omitempty"`
	Content   *string          `json:"content,omitempty"`
	ToolCalls []openAIToolCall `json:"tool_calls,omitempty"`
}

type openAIChoice struct {
	Index        int            `json:"index"`
	Message      *openAIMessage `json:"message,omitempty"`
	Delta        *openAIMessage `json:"delta,omitempty"`
	FinishReason *string        `json:"finish_reason"`
}

type openAIResponse struct {
	ID      string          `json:"id"`
	Object  string          `json:"object"`
	Created int64           `json:"created"`
	Model   string          `json:"model"`
	Choices []openAIChoice  `json:"choices"`
	Usage   json.RawMessage `json:"usage,omitempty"`
}

func openAIError(w http.ResponseWriter, in injected, msg string) {
	typ, code := "server_error", "server_error"
	switch {
	case in.status == http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
		w.Header().Set("Retry-After", retryAfterSeconds(in.retryAfter))
	case in.status < 500:
		typ, code = "invalid_request_error", "invalid_request"
	}
	writeJSON(w, in.status, map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
}

// completion is what the mock model answers: text, or one tool call.
type completion struct {
	text       string
	toolName   string
	toolArgs   string
	prompt     int
	completion int
}

func (c completion) finishReason() string {
	if c.toolName != "" {
		return "tool_calls"
	}
	return "stop"
}

// complete decides the answer: a tool call if the last user message names one of tools, else n words.
func complete(prompt int, lastUser string, toolNames []string, schemas []json.RawMessage, n int) completion {
	c := completion{prompt: prompt}
	if i := pickTool(toolNames, lastUser); i >= 0 {
		args, _ := json.Marshal(toolArguments(schemas[i]))
		c.toolName, c.toolArgs = toolNames[i], string(args)
		// A tool call costs one token for the name and one per argument.
		c.completion = 1 + len(toolArguments(schemas[i]))
		return c
	}
	c.text = answer(n)
	c.completion = n
	return c
}

func (h *Handler) openAIChat(w http.ResponseWriter, r *http.Request) {
	in := h.admit(r)
	var req openAIRequest
	if err := h.decode(w, r, &req); err != nil {
		h.countError(http.StatusBadRequest)
		openAIError(w, injected{status: http.StatusBadRequest}, err.Error())
		return
	}
	if in.status != 0 {
		h.countError(in.status)
		openAIError(w, in, "mock upstream: injected error "+strconv.Itoa(in.status))
		return
	}
	prompt, lastUser := 0, ""
	for _, m := range req.Messages {
		t := openAIText(m.Content)
		prompt += countWords(t)
		if m.Role == "user" {
			lastUser = t
		}
	}
	names := make([]string, len(req.Tools))
	schemas := make([]json.RawMessage, len(req.Tools))
	for i, t := range req.Tools {
		names[i], schemas[i] = t.Function.Name, t.Function.Parameters
	}
	c := complete(prompt, lastUser, names, schemas, h.words(r))
	if !h.wait(r) {
		h.countError(499)
		return
	}
	id := "chatcmpl-mock" + strconv.FormatUint(h.seq.Load(), 10)
	model := req.Model
	if model == "" {
		model = "mock"
	}
	if req.Stream {
		h.openAIStream(w, r, &req, id, model, c)
		return
	}
	msg := &openAIMessage{Role: "assistant"}
	if c.toolName != "" {
		tc := openAIToolCall{ID: "call_mock0", Type: "function"}
		tc.Function.Name, tc.Function.Arguments = c.toolName, c.toolArgs
		msg.ToolCalls = []openAIToolCall{tc}
	} else {
		msg.Content = &c.text
	}
	fr := c.finishReason()
	usage, _ := json.Marshal(openAIUsage{c.prompt, c.completion, c.prompt + c.completion})
	h.ok.Add(1)
	h.report(c.prompt, c.completion)
	writeJSON(w, http.StatusOK, openAIResponse{
		ID: id, Object: "chat.completion", Created: time.Now().Unix(), Model: model,
		Choices: []openAIChoice{{Message: msg, FinishReason: &fr}}, Usage: usage,
	})
}

func (h *Handler) openAIStream(w http.ResponseWriter, r *http.Request, req *openAIRequest, id, model string, c completion) {
	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	sw := newSSE(w)
	h.ok.Add(1)
	h.streams.Add(1)
	created := time.Now().Unix()
	chunk := func(delta *openAIMessage, finish *string) openAIResponse {
		ch := openAIResponse{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []openAIChoice{{Delta: delta, FinishReason: finish}}}
		if includeUsage {
			ch.Usage = json.RawMessage("null")
		}
		return ch
	}
	var pieces []string
	if c.toolName != "" {
		pieces = splitBytes(c.toolArgs, h.opts.Chunks)
	} else {
		pieces = split(c.text, h.opts.Chunks)
	}
	for i, p := range pieces {
		if i > 0 && !sleep(r, h.opts.ChunkDelay) {
			return
		}
		delta := &openAIMessage{}
		if i == 0 {
			delta.Role = "assistant"
		}
		if c.toolName != "" {
			tc := openAIToolCall{Index: new(int)}
			if i == 0 {
				tc.ID, tc.Type, tc.Function.Name = "call_mock0", "function", c.toolName
			}
			tc.Function.Arguments = p
			delta.ToolCalls = []openAIToolCall{tc}
		} else {
			delta.Content = &p
		}
		if err := sw.data(chunk(delta, nil)); err != nil {
			return
		}
		if i == 0 && r.Header.Get(HeaderStreamError) == "1" {
			h.streamErrors.Add(1)
			_ = sw.data(map[string]any{"error": map[string]any{"message": "mock upstream: injected stream error", "type": "server_error"}})
			return
		}
	}
	fr := c.finishReason()
	if err := sw.data(chunk(&openAIMessage{}, &fr)); err != nil {
		return
	}
	if includeUsage {
		usage, _ := json.Marshal(openAIUsage{c.prompt, c.completion, c.prompt + c.completion})
		last := openAIResponse{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []openAIChoice{}, Usage: usage}
		if err := sw.data(last); err != nil {
			return
		}
		h.report(c.prompt, c.completion)
	}
	_ = sw.raw("data: [DONE]\n\n")
}

// splitBytes cuts s into k pieces of about equal length.
func splitBytes(s string, k int) []string {
	k = max(1, min(k, len(s)))
	out := make([]string, 0, k)
	for i := range k {
		out = append(out, s[i*len(s)/k:(i+1)*len(s)/k])
	}
	return out
}

type embeddingRequest struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	EncodingFormat string          `json:"encoding_format"`
	Dimensions     int             `json:"dimensions"`
}

// embeddingInputs returns the texts of an embeddings input (string, strings, token array or token arrays) and the
// prompt tokens they count as: words for text, one per token ID.
func embeddingInputs(raw json.RawMessage) ([]string, int, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}, countWords(s), true
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil && len(ss) > 0 {
		n := 0
		for _, t := range ss {
			n += countWords(t)
		}
		return ss, n, true
	}
	var ids []int
	if json.Unmarshal(raw, &ids) == nil && len(ids) > 0 {
		b, _ := json.Marshal(ids)
		return []string{string(b)}, len(ids), true
	}
	var idss [][]int
	if json.Unmarshal(raw, &idss) == nil && len(idss) > 0 {
		out, n := make([]string, len(idss)), 0
		for i, ids := range idss {
			b, _ := json.Marshal(ids)
			out[i], n = string(b), n+len(ids)
		}
		return out, n, true
	}
	return nil, 0, false
}

// vector is a deterministic unit-free embedding of text: values in [-1, 1) derived from an FNV hash.
func vector(text string, dims int) []float32 {
	f := fnv.New64a()
	_, _ = f.Write([]byte(text))
	x := f.Sum64() | 1
	v := make([]float32, dims)
	for i := range v {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		v[i] = float32(x>>40)/float32(1<<23) - 1
	}
	return v
}

func base64Vector(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (h *Handler) openAIEmbeddings(w http.ResponseWriter, r *http.Request) {
	in := h.admit(r)
	var req embeddingRequest
	if err := h.decode(w, r, &req); err != nil {
		h.countError(http.StatusBadRequest)
		openAIError(w, injected{status: http.StatusBadRequest}, err.Error())
		return
	}
	texts, tokens, ok := embeddingInputs(req.Input)
	if !ok {
		h.countError(http.StatusBadRequest)
		openAIError(w, injected{status: http.StatusBadRequest}, "input: want a string, an array of strings or token arrays")
		return
	}
	if req.EncodingFormat != "" && req.EncodingFormat != "float" && req.EncodingFormat != "base64" {
		h.countError(http.StatusBadRequest)
		openAIError(w, injected{status: http.StatusBadRequest}, "encoding_format: want float or base64")
		return
	}
	if in.status != 0 {
		h.countError(in.status)
		openAIError(w, in, "mock upstream: injected error "+strconv.Itoa(in.status))
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
	data := make([]map[string]any, len(texts))
	for i, t := range texts {
		var emb any = vector(t, dims)
		if req.EncodingFormat == "base64" {
			emb = base64Vector(vector(t, dims))
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": emb}
	}
	h.ok.Add(1)
	h.report(tokens, 0)
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

func (h *Handler) openAIModels(w http.ResponseWriter, _ *http.Request) {
	models := []map[string]any{}
	for _, id := range []string{"mock-chat", "mock-embed"} {
		models = append(models, map[string]any{"id": id, "object": "model", "created": 0, "owned_by": "mockllm"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": models})
}
