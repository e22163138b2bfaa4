package bedrock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/walens/walens/internal/provider"
)

// The Converse wire types below model only what the gateway translates; decoding ignores the rest (reasoning
// content, traces, guardrail assessments).

type converseRequest struct {
	Messages        []message        `json:"messages"`
	System          []systemBlock    `json:"system,omitempty"`
	InferenceConfig *inferenceConfig `json:"inferenceConfig,omitempty"`
	ToolConfig      *toolConfig      `json:"toolConfig,omitempty"`
}

type message struct {
	Role    string  `json:"role"`
	Content []block `json:"content"`
}

type systemBlock struct {
	Text string `json:"text"`
}

type block struct {
	Text       string      `json:"text,omitempty"`
	Image      *imageBlock `json:"image,omitempty"`
	ToolUse    *toolUse    `json:"toolUse,omitempty"`
	ToolResult *toolResult `json:"toolResult,omitempty"`
}

type imageBlock struct {
	Format string      `json:"format"`
	Source imageSource `json:"source"`
}

type imageSource struct {
	Bytes []byte `json:"bytes"`
}

type toolUse struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
}

type toolResult struct {
	ToolUseID string              `json:"toolUseId"`
	Content   []toolResultContent `json:"content"`
}

type toolResultContent struct {
	Text *string         `json:"text,omitempty"`
	JSON json.RawMessage `json:"json,omitempty"`
}

type inferenceConfig struct {
	MaxTokens     *int     `json:"maxTokens,omitempty"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

type toolConfig struct {
	Tools      []toolEntry `json:"tools"`
	ToolChoice *toolChoice `json:"toolChoice,omitempty"`
}

type toolEntry struct {
	ToolSpec toolSpec `json:"toolSpec"`
}

type toolSpec struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	InputSchema inputSchema `json:"inputSchema"`
}

type inputSchema struct {
	JSON json.RawMessage `json:"json"`
}

type empty struct{}

type toolChoice struct {
	Auto *empty    `json:"auto,omitempty"`
	Any  *empty    `json:"any,omitempty"`
	Tool *toolName `json:"tool,omitempty"`
}

type toolName struct {
	Name string `json:"name"`
}

type converseResponse struct {
	Output struct {
		Message *message `json:"message"`
	} `json:"output"`
	StopReason string `json:"stopReason"`
	Usage      *usage `json:"usage"`
}

type usage struct {
	InputTokens           int `json:"inputTokens"`
	OutputTokens          int `json:"outputTokens"`
	TotalTokens           int `json:"totalTokens"`
	CacheReadInputTokens  int `json:"cacheReadInputTokens"`
	CacheWriteInputTokens int `json:"cacheWriteInputTokens"`
}

// emptySchema stands in for a function declared without parameters; Bedrock requires an input schema.
var emptySchema = json.RawMessage(`{"type":"object","properties":{}}`)

// toConverse translates an OpenAI chat request into a Converse request body.
//
// Fields Converse has no equivalent for (seed, penalties, parallel_tool_calls, response_format, user, logit_bias
// and other extras) are dropped, as every OpenAI-to-Bedrock adapter does; n > 1 is refused because it would
// silently return fewer choices than asked for.
func toConverse(req *provider.ChatRequest) (*converseRequest, error) {
	if req.N != nil && *req.N > 1 {
		return nil, badRequest("n: Bedrock returns a single choice; n must be 1")
	}
	out := &converseRequest{Messages: []message{}}
	hasToolBlocks := false
	for i, m := range req.Messages {
		switch m.Role {
		case "system", "developer":
			text, err := plainText(m.Content, i)
			if err != nil {
				return nil, err
			}
			if text != "" {
				out.System = append(out.System, systemBlock{Text: text})
			}
		case "user":
			blocks, err := userBlocks(m.Content, i)
			if err != nil {
				return nil, err
			}
			out.Messages = appendMerged(out.Messages, "user", blocks)
		case "assistant":
			blocks, err := assistantBlocks(m, i)
			if err != nil {
				return nil, err
			}
			hasToolBlocks = hasToolBlocks || len(m.ToolCalls) > 0
			out.Messages = appendMerged(out.Messages, "assistant", blocks)
		case "tool":
			if m.ToolCallID == "" {
				return nil, badRequest("messages[%d].tool_call_id is required for a tool message", i)
			}
			text, err := plainText(m.Content, i)
			if err != nil {
				return nil, err
			}
			hasToolBlocks = true
			out.Messages = appendMerged(out.Messages, "user", []block{{ToolResult: &toolResult{
				ToolUseID: m.ToolCallID,
				Content:   []toolResultContent{resultContent(text)},
			}}})
		default:
			return nil, badRequest("messages[%d].role %q is not supported (use system, developer, user, assistant or tool)", i, m.Role)
		}
	}
	if len(out.Messages) == 0 {
		return nil, badRequest("messages must contain at least one user or assistant message with content")
	}

	var ic inferenceConfig
	if n, ok := req.Limit(); ok {
		if n < 1 {
			return nil, badRequest("max_tokens must be at least 1")
		}
		ic.MaxTokens = &n
	}
	ic.Temperature, ic.TopP = req.Temperature, req.TopP
	if len(req.Stop) > 0 {
		ic.StopSequences = req.Stop
	}
	if ic.MaxTokens != nil || ic.Temperature != nil || ic.TopP != nil || ic.StopSequences != nil {
		out.InferenceConfig = &ic
	}

	tc, err := toToolConfig(req, hasToolBlocks)
	if err != nil {
		return nil, err
	}
	out.ToolConfig = tc
	return out, nil
}

// appendMerged adds a message, merging it into the previous one when the role repeats: Converse requires user and
// assistant turns to alternate, and several tool results answering one assistant turn must share one user turn.
func appendMerged(msgs []message, role string, blocks []block) []message {
	if len(blocks) == 0 {
		return msgs
	}
	if n := len(msgs); n > 0 && msgs[n-1].Role == role {
		msgs[n-1].Content = append(msgs[n-1].Content, blocks...)
		return msgs
	}
	return append(msgs, message{Role: role, Content: blocks})
}

// plainText flattens a content that may only hold text (system and tool messages).
func plainText(c provider.Content, i int) (string, error) {
	if !c.IsParts {
		return c.Text, nil
	}
	var b strings.Builder
	for j, p := range c.Parts {
		if p.Type != "text" {
			return "", badRequest("messages[%d].content[%d]: part type %q is not allowed here, only text", i, j, p.Type)
		}
		b.WriteString(p.Text)
	}
	return b.String(), nil
}

// resultContent sends a tool result as text, JSON results included: every model behind Converse accepts text
// results, while json blocks are not accepted by all of them, and the model reads the same JSON either way.
func resultContent(text string) toolResultContent {
	return toolResultContent{Text: &text}
}

func userBlocks(c provider.Content, i int) ([]block, error) {
	if !c.IsParts {
		if c.Text == "" {
			return nil, nil
		}
		return []block{{Text: c.Text}}, nil
	}
	blocks := make([]block, 0, len(c.Parts))
	for j, p := range c.Parts {
		switch p.Type {
		case "text":
			if p.Text != "" {
				blocks = append(blocks, block{Text: p.Text})
			}
		case "image_url":
			if p.ImageURL == nil {
				return nil, badRequest("messages[%d].content[%d].image_url is required", i, j)
			}
			img, err := dataURLImage(p.ImageURL.URL)
			if err != nil {
				return nil, badRequest("messages[%d].content[%d].image_url.url: %v", i, j, err)
			}
			blocks = append(blocks, block{Image: img})
		default:
			return nil, badRequest("messages[%d].content[%d]: part type %q is not supported by Bedrock", i, j, p.Type)
		}
	}
	return blocks, nil
}

// imageFormats maps image MIME subtypes to Converse image formats.
var imageFormats = map[string]string{"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "webp": "webp"}

// dataURLImage decodes a base64 data: URL. Remote URLs are refused rather than fetched: fetching would let any
// client make the gateway issue requests to arbitrary hosts.
func dataURLImage(u string) (*imageBlock, error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, errors.New("only data: URLs are accepted for images")
	}
	meta, data, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, errors.New("malformed data: URL")
	}
	mediaType, enc, _ := strings.Cut(meta, ";")
	if enc != "base64" {
		return nil, errors.New("data: URL must be base64 encoded")
	}
	sub, ok := strings.CutPrefix(strings.ToLower(mediaType), "image/")
	format := imageFormats[sub]
	if !ok || format == "" {
		return nil, errors.New("image type must be png, jpeg, gif or webp")
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, errors.New("data: URL is not valid base64")
	}
	return &imageBlock{Format: format, Source: imageSource{Bytes: b}}, nil
}

func assistantBlocks(m provider.Message, i int) ([]block, error) {
	text, err := plainText(m.Content, i)
	if err != nil {
		return nil, err
	}
	blocks := make([]block, 0, 1+len(m.ToolCalls))
	if text != "" {
		blocks = append(blocks, block{Text: text})
	}
	for j, tc := range m.ToolCalls {
		if tc.ID == "" || tc.Function.Name == "" {
			return nil, badRequest("messages[%d].tool_calls[%d]: id and function.name are required", i, j)
		}
		args := bytes.TrimSpace([]byte(tc.Function.Arguments))
		if len(args) == 0 {
			args = []byte("{}")
		}
		if !json.Valid(args) || args[0] != '{' {
			return nil, badRequest("messages[%d].tool_calls[%d].function.arguments must be a JSON object", i, j)
		}
		blocks = append(blocks, block{ToolUse: &toolUse{ToolUseID: tc.ID, Name: tc.Function.Name, Input: json.RawMessage(args)}})
	}
	return blocks, nil
}

// toToolConfig translates tools and tool_choice.
//
// Converse has no "none" choice. With tool_choice "none" the tools are left out, so the model cannot call one;
// but Converse rejects a conversation holding tool-use or tool-result blocks without a tool configuration, so when
// the history has them the tools are sent with the default (auto) choice and the model may still call one.
func toToolConfig(req *provider.ChatRequest, hasToolBlocks bool) (*toolConfig, error) {
	choice, none, err := parseToolChoice(req.ToolChoice)
	if err != nil {
		return nil, err
	}
	if len(req.Tools) == 0 {
		if choice != nil && choice.Auto == nil {
			return nil, badRequest("tool_choice requires tools")
		}
		return nil, nil
	}
	if none && !hasToolBlocks {
		return nil, nil
	}
	tc := &toolConfig{Tools: make([]toolEntry, 0, len(req.Tools))}
	names := make(map[string]bool, len(req.Tools))
	for i, t := range req.Tools {
		if t.Type != "" && t.Type != "function" {
			return nil, badRequest("tools[%d].type %q is not supported, only function", i, t.Type)
		}
		if t.Function.Name == "" {
			return nil, badRequest("tools[%d].function.name is required", i)
		}
		schema := bytes.TrimSpace(t.Function.Parameters)
		if len(schema) == 0 || string(schema) == "null" {
			schema = emptySchema
		} else if !json.Valid(schema) || schema[0] != '{' {
			return nil, badRequest("tools[%d].function.parameters must be a JSON object", i)
		}
		names[t.Function.Name] = true
		tc.Tools = append(tc.Tools, toolEntry{ToolSpec: toolSpec{
			Name: t.Function.Name, Description: t.Function.Description, InputSchema: inputSchema{JSON: json.RawMessage(schema)},
		}})
	}
	if !none {
		if choice != nil && choice.Tool != nil && !names[choice.Tool.Name] {
			return nil, badRequest("tool_choice.function.name %q is not among the tools", choice.Tool.Name)
		}
		tc.ToolChoice = choice
	}
	return tc, nil
}

// parseToolChoice reads "auto", "none", "required" or {"type":"function","function":{"name":...}}. It returns a
// nil choice for auto (Converse's default) and absent.
func parseToolChoice(raw json.RawMessage) (choice *toolChoice, none bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case "auto":
			return nil, false, nil
		case "none":
			return nil, true, nil
		case "required":
			return &toolChoice{Any: &empty{}}, false, nil
		}
		return nil, false, badRequest("tool_choice %q is not supported (use auto, none, required or a function)", s)
	}
	var obj struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil || obj.Type != "function" || obj.Function.Name == "" {
		return nil, false, badRequest(`tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}`)
	}
	return &toolChoice{Tool: &toolName{Name: obj.Function.Name}}, false, nil
}

// finishReason maps a Converse stop reason to an OpenAI finish_reason.
func finishReason(stop string) string {
	switch stop {
	case "max_tokens", "model_context_window_exceeded":
		return "length"
	case "tool_use":
		return "tool_calls"
	case "guardrail_intervened", "content_filtered":
		return "content_filter"
	default: // end_turn, stop_sequence and reasons added after this was written
		return "stop"
	}
}

// toUsage converts Bedrock usage. Bedrock counts cache reads and writes apart from inputTokens; OpenAI's
// prompt_tokens includes cached tokens, with cached_tokens the part read from the cache, so both are added in.
// Cache writes are counted as ordinary prompt tokens.
func toUsage(u *usage) *provider.Usage {
	if u == nil {
		return nil
	}
	out := &provider.Usage{
		PromptTokens:     u.InputTokens + u.CacheReadInputTokens + u.CacheWriteInputTokens,
		CompletionTokens: u.OutputTokens,
	}
	out.TotalTokens = out.PromptTokens + out.CompletionTokens
	if u.CacheReadInputTokens > 0 {
		out.PromptTokensDetails = &provider.PromptTokensDetails{CachedTokens: u.CacheReadInputTokens}
	}
	return out
}

// fromConverse translates a Converse response into an OpenAI chat completion.
func fromConverse(r *converseResponse, model, id string, created int64) (*provider.ChatResponse, error) {
	if r.Output.Message == nil {
		return nil, malformed(200, "the Bedrock response had no output message", errors.New("output.message missing"))
	}
	msg := provider.Message{Role: "assistant"}
	var text strings.Builder
	for _, b := range r.Output.Message.Content {
		switch {
		case b.ToolUse != nil:
			input := bytes.TrimSpace(b.ToolUse.Input)
			if len(input) == 0 {
				input = []byte("{}")
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, input); err != nil {
				return nil, malformed(200, "the Bedrock response had an invalid tool input", err)
			}
			msg.ToolCalls = append(msg.ToolCalls, provider.ToolCall{
				ID: b.ToolUse.ToolUseID, Type: "function",
				Function: provider.FunctionCall{Name: b.ToolUse.Name, Arguments: compact.String()},
			})
		case b.Text != "":
			text.WriteString(b.Text)
		}
	}
	msg.Content = provider.TextContent(text.String())
	if text.Len() == 0 && len(msg.ToolCalls) > 0 {
		msg.Content.IsNull = true
	}
	return &provider.ChatResponse{
		ID:      id,
		Object:  "chat.completion",
		Created: created,
		Model:   model,
		Choices: []provider.Choice{{Index: 0, Message: msg, FinishReason: finishReason(r.StopReason)}},
		Usage:   toUsage(r.Usage),
	}, nil
}
