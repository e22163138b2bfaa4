package anthropic

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/walens/walens/internal/provider"
)

// defaultMaxTokens is sent when the client gave no limit: Anthropic requires max_tokens and OpenAI clients often
// omit it.
const defaultMaxTokens = 4096

// messagesRequest is the body of POST /v1/messages.
type messagesRequest struct {
	Model         string          `json:"model"`
	MaxTokens     int             `json:"max_tokens"`
	System        string          `json:"system,omitempty"`
	Messages      []message       `json:"messages"`
	Tools         []tool          `json:"tools,omitempty"`
	ToolChoice    *toolChoice     `json:"tool_choice,omitempty"`
	StopSequences []string        `json:"stop_sequences,omitempty"`
	Temperature   *float64        `json:"temperature,omitempty"`
	TopP          *float64        `json:"top_p,omitempty"`
	Stream        bool            `json:"stream,omitempty"`
	Metadata      *requestMetdata `json:"metadata,omitempty"`
}

type requestMetdata struct {
	UserID string `json:"user_id"`
}

type message struct {
	Role    string  `json:"role"`
	Content []block `json:"content"`
}

// block is a content block; which fields are set depends on Type (text, image, tool_use, tool_result).
type block struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	Source    *imageSource    `json:"source,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`
	ToolUseID string          `json:"tool_use_id,omitempty"`
	Content   []block         `json:"content,omitempty"`
}

type imageSource struct {
	Type      string `json:"type"` // base64 or url
	MediaType string `json:"media_type,omitempty"`
	Data      string `json:"data,omitempty"`
	URL       string `json:"url,omitempty"`
}

type tool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"input_schema"`
}

type toolChoice struct {
	Type                   string `json:"type"` // auto, any, tool, none
	Name                   string `json:"name,omitempty"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use,omitempty"`
}

// badRequest reports a canonical request this provider cannot express. Status is 400 although no upstream answered:
// the request is at fault, and no other Anthropic target would take it either.
func badRequest(format string, args ...any) *provider.Error {
	msg := fmt.Sprintf(format, args...)
	return &provider.Error{Status: http.StatusBadRequest, Code: provider.CodeBadRequest, Message: msg}
}

// toMessages translates a canonical chat request into a Messages API request.
func toMessages(req *provider.ChatRequest, model string) (*messagesRequest, error) {
	if req.N != nil && *req.N > 1 {
		return nil, badRequest("n: more than one choice is not supported by the Anthropic provider")
	}
	out := &messagesRequest{
		Model:         model,
		MaxTokens:     defaultMaxTokens,
		StopSequences: req.Stop,
		Temperature:   req.Temperature,
		TopP:          req.TopP,
	}
	if out.Model == "" {
		out.Model = req.Model
	}
	if n, ok := req.Limit(); ok {
		if n < 1 {
			return nil, badRequest("max_tokens must be at least 1")
		}
		out.MaxTokens = n
	}
	if req.User != "" {
		out.Metadata = &requestMetdata{UserID: req.User}
	}
	var system []string
	for i, m := range req.Messages {
		var role string
		var blocks []block
		switch m.Role {
		case "system", "developer":
			if s := m.Content.String(); s != "" {
				system = append(system, s)
			}
			continue
		case "user":
			b, err := userBlocks(i, m.Content)
			if err != nil {
				return nil, err
			}
			role, blocks = "user", b
		case "assistant":
			b, err := assistantBlocks(i, m)
			if err != nil {
				return nil, err
			}
			role, blocks = "assistant", b
		case "tool":
			if m.ToolCallID == "" {
				return nil, badRequest("messages[%d].tool_call_id is required for a tool message", i)
			}
			res := block{Type: "tool_result", ToolUseID: m.ToolCallID}
			if s := m.Content.String(); s != "" {
				res.Content = []block{{Type: "text", Text: s}}
			}
			role, blocks = "user", []block{res}
		default:
			return nil, badRequest("messages[%d].role %q is not supported by the Anthropic provider", i, m.Role)
		}
		if len(blocks) == 0 {
			continue // Anthropic rejects empty content; an empty message carries nothing anyway.
		}
		// Anthropic wants user and assistant turns to alternate: tool results that follow each other, and a user
		// message after them, become one user turn.
		if n := len(out.Messages); n > 0 && out.Messages[n-1].Role == role {
			out.Messages[n-1].Content = append(out.Messages[n-1].Content, blocks...)
			continue
		}
		out.Messages = append(out.Messages, message{Role: role, Content: blocks})
	}
	out.System = strings.Join(system, "\n\n")
	for i, t := range req.Tools {
		if t.Type != "" && t.Type != "function" {
			return nil, badRequest("tools[%d].type %q is not supported by the Anthropic provider", i, t.Type)
		}
		if t.Function.Name == "" {
			return nil, badRequest("tools[%d].function.name is required", i)
		}
		schema := t.Function.Parameters
		if len(schema) == 0 || string(schema) == "null" {
			schema = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		out.Tools = append(out.Tools, tool{Name: t.Function.Name, Description: t.Function.Description, InputSchema: schema})
	}
	tc, err := toToolChoice(req.ToolChoice, req.ParallelToolCalls)
	if err != nil {
		return nil, err
	}
	out.ToolChoice = tc
	return out, nil
}

func userBlocks(i int, c provider.Content) ([]block, error) {
	if !c.IsParts {
		if c.Text == "" {
			return nil, nil
		}
		return []block{{Type: "text", Text: c.Text}}, nil
	}
	var out []block
	for j, p := range c.Parts {
		switch p.Type {
		case "text":
			if p.Text != "" {
				out = append(out, block{Type: "text", Text: p.Text})
			}
		case "image_url":
			if p.ImageURL == nil || p.ImageURL.URL == "" {
				return nil, badRequest("messages[%d].content[%d].image_url.url is required", i, j)
			}
			src, err := imageFromURL(p.ImageURL.URL)
			if err != nil {
				return nil, badRequest("messages[%d].content[%d].image_url.url: %s", i, j, err)
			}
			out = append(out, block{Type: "image", Source: src})
		default:
			return nil, badRequest("messages[%d].content[%d]: part type %q is not supported by the Anthropic provider", i, j, p.Type)
		}
	}
	return out, nil
}

// imageFromURL turns an OpenAI image URL into an Anthropic image source: a data: URL becomes inline base64, an
// http(s) URL is passed for Anthropic to fetch.
func imageFromURL(u string) (*imageSource, error) {
	if rest, ok := strings.CutPrefix(u, "data:"); ok {
		meta, data, ok := strings.Cut(rest, ",")
		mediaType, isB64 := strings.CutSuffix(meta, ";base64")
		if !ok || !isB64 || mediaType == "" {
			return nil, fmt.Errorf("a data URL must have the form data:<media type>;base64,<data>")
		}
		switch mediaType {
		case "image/jpeg", "image/png", "image/gif", "image/webp":
		default:
			return nil, fmt.Errorf("media type %q is not one of image/jpeg, image/png, image/gif, image/webp", mediaType)
		}
		if _, err := base64.StdEncoding.DecodeString(data); err != nil {
			return nil, fmt.Errorf("the data is not valid base64")
		}
		return &imageSource{Type: "base64", MediaType: mediaType, Data: data}, nil
	}
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return &imageSource{Type: "url", URL: u}, nil
	}
	return nil, fmt.Errorf("must be a data: URL or an http(s) URL")
}

func assistantBlocks(i int, m provider.Message) ([]block, error) {
	var out []block
	if s := m.Content.String(); s != "" {
		out = append(out, block{Type: "text", Text: s})
	}
	for j, tc := range m.ToolCalls {
		if tc.ID == "" || tc.Function.Name == "" {
			return nil, badRequest("messages[%d].tool_calls[%d]: id and function.name are required", i, j)
		}
		input := json.RawMessage(strings.TrimSpace(tc.Function.Arguments))
		if len(input) == 0 {
			input = json.RawMessage(`{}`)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(input, &obj); err != nil {
			return nil, badRequest("messages[%d].tool_calls[%d].function.arguments must be a JSON object", i, j)
		}
		out = append(out, block{Type: "tool_use", ID: tc.ID, Name: tc.Function.Name, Input: input})
	}
	return out, nil
}

// toToolChoice maps OpenAI's tool_choice: "auto", "none", "required" or {"type":"function","function":{"name"}}.
func toToolChoice(raw json.RawMessage, parallel *bool) (*toolChoice, error) {
	var tc *toolChoice
	if len(raw) > 0 && string(raw) != "null" {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			switch s {
			case "auto":
				tc = &toolChoice{Type: "auto"}
			case "none":
				tc = &toolChoice{Type: "none"}
			case "required":
				tc = &toolChoice{Type: "any"}
			default:
				return nil, badRequest("tool_choice %q must be auto, none, required or a function", s)
			}
		} else {
			var obj struct {
				Type     string `json:"type"`
				Function struct {
					Name string `json:"name"`
				} `json:"function"`
			}
			if err := json.Unmarshal(raw, &obj); err != nil || obj.Type != "function" || obj.Function.Name == "" {
				return nil, badRequest("tool_choice must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":...}}")
			}
			tc = &toolChoice{Type: "tool", Name: obj.Function.Name}
		}
	}
	if parallel != nil && !*parallel {
		if tc == nil {
			tc = &toolChoice{Type: "auto"}
		}
		if tc.Type != "none" {
			tc.DisableParallelToolUse = true
		}
	}
	return tc, nil
}

// messagesResponse is a non-streaming Messages API response, and the message of a message_start event.
type messagesResponse struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	Role         string          `json:"role"`
	Model        string          `json:"model"`
	Content      []responseBlock `json:"content"`
	StopReason   string          `json:"stop_reason"`
	StopSequence *string         `json:"stop_sequence"`
	Usage        usage           `json:"usage"`
}

// responseBlock is a content block of a response. It is decoded apart from block so that block types the provider
// ignores (thinking, server tool results, whose content has other shapes) cannot fail the decoding.
type responseBlock struct {
	Type  string          `json:"type"`
	Text  string          `json:"text"`
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

type usage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
}

// canonical converts usage: Anthropic counts cache reads and writes apart from input_tokens, OpenAI counts every
// prompt token in prompt_tokens and the cache reads again in cached_tokens.
func (u usage) canonical() *provider.Usage {
	prompt := u.InputTokens + u.CacheReadInputTokens + u.CacheCreationInputTokens
	return &provider.Usage{
		PromptTokens:        prompt,
		CompletionTokens:    u.OutputTokens,
		TotalTokens:         prompt + u.OutputTokens,
		PromptTokensDetails: &provider.PromptTokensDetails{CachedTokens: u.CacheReadInputTokens},
	}
}

// finishReason maps stop_reason to OpenAI's finish_reason.
func finishReason(s string) string {
	switch s {
	case "max_tokens", "model_context_window_exceeded":
		return "length"
	case "tool_use":
		return "tool_calls"
	case "refusal":
		return "content_filter"
	default: // end_turn, stop_sequence, pause_turn
		return "stop"
	}
}

// fromMessages converts a Messages API response into a chat completion.
func fromMessages(r *messagesResponse, created int64) (*provider.ChatResponse, error) {
	msg := provider.Message{Role: "assistant"}
	var text strings.Builder
	for i, b := range r.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "tool_use":
			args := b.Input
			if len(args) == 0 || string(args) == "null" {
				args = json.RawMessage(`{}`)
			}
			if !json.Valid(args) {
				return nil, fmt.Errorf("content[%d].input is not valid JSON", i)
			}
			msg.ToolCalls = append(msg.ToolCalls, provider.ToolCall{ID: b.ID, Type: "function",
				Function: provider.FunctionCall{Name: b.Name, Arguments: string(args)}})
		}
		// thinking and other block types have no place in a chat completion.
	}
	msg.Content = provider.TextContent(text.String())
	if text.Len() == 0 && len(msg.ToolCalls) > 0 {
		msg.Content.IsNull = true
	}
	return &provider.ChatResponse{
		ID:      r.ID,
		Object:  "chat.completion",
		Created: created,
		Model:   r.Model,
		Choices: []provider.Choice{{Index: 0, Message: msg, FinishReason: finishReason(r.StopReason)}},
		Usage:   r.Usage.canonical(),
	}, nil
}
