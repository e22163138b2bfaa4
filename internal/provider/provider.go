// Package provider defines the contract between the gateway and the model back ends it fronts.
//
// The gateway speaks the OpenAI chat-completions and embeddings wire format to its clients, so that format is also
// the canonical in-process representation: a provider for an OpenAI-compatible upstream forwards it nearly as is,
// and providers for Bedrock and Anthropic translate it both ways. Keeping one canonical shape means the pipeline
// stages (auth, limits, guardrails, metering, capture) are written once, whatever the upstream.
package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Provider sends requests to one upstream target (an endpoint plus the upstream model ID). Implementations must be
// safe for concurrent use and must honour ctx cancellation on every network call.
type Provider interface {
	// Chat performs a non-streaming chat completion. req.Model is already the upstream model ID.
	Chat(ctx context.Context, req *ChatRequest) (*ChatResponse, error)
	// ChatStream starts a streaming chat completion. The returned stream must report usage in its last chunk
	// whenever the upstream can provide it, whether or not the client asked for include_usage: the gateway meters
	// every stream and strips that chunk itself when the client did not ask for it.
	ChatStream(ctx context.Context, req *ChatRequest) (Stream, error)
	// Embed computes embeddings. Implementations return float vectors; the gateway encodes base64 when asked.
	Embed(ctx context.Context, req *EmbeddingRequest) (*EmbeddingResponse, error)
}

// Stream yields chat completion chunks in order. Recv returns io.EOF after the last chunk. Close releases the
// upstream connection and may be called at any time, more than once, and concurrently with a blocked Recv.
type Stream interface {
	Recv() (*Chunk, error)
	Close() error
}

// Config describes one upstream target. Provider packages read the fields that apply to them.
type Config struct {
	// Kind selects the implementation: "openai", "bedrock" or "anthropic".
	Kind string
	// BaseURL is the upstream root, for example https://api.openai.com/v1, https://api.anthropic.com or
	// https://bedrock-runtime.us-east-1.amazonaws.com. Tests point it at fakes.
	BaseURL string
	// APIKey authenticates to OpenAI-compatible and Anthropic upstreams. It is a secret: never log it.
	APIKey string
	// Region is the AWS region for Bedrock; credentials come from the AWS SDK's default chain.
	Region string
	// Model is the upstream model ID sent on the wire.
	Model string
	// Headers are added to every upstream request (for example an organisation header or an API version).
	Headers map[string]string
	// MaxResponseBytes bounds a non-streaming upstream body and each stream event; zero means a default of 32 MiB.
	MaxResponseBytes int64
}

// ChatRequest is an OpenAI chat-completions request.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []Message       `json:"messages"`
	MaxTokens           *int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int            `json:"max_completion_tokens,omitempty"`
	Temperature         *float64        `json:"temperature,omitempty"`
	TopP                *float64        `json:"top_p,omitempty"`
	Stop                StringList      `json:"stop,omitempty"`
	Stream              bool            `json:"stream,omitempty"`
	StreamOptions       *StreamOptions  `json:"stream_options,omitempty"`
	Tools               []Tool          `json:"tools,omitempty"`
	ToolChoice          json.RawMessage `json:"tool_choice,omitempty"`
	ParallelToolCalls   *bool           `json:"parallel_tool_calls,omitempty"`
	ResponseFormat      json.RawMessage `json:"response_format,omitempty"`
	Seed                *int64          `json:"seed,omitempty"`
	User                string          `json:"user,omitempty"`
	N                   *int            `json:"n,omitempty"`
	PresencePenalty     *float64        `json:"presence_penalty,omitempty"`
	FrequencyPenalty    *float64        `json:"frequency_penalty,omitempty"`

	// Extra holds request fields this struct does not model. OpenAI-compatible providers forward them so that
	// vendor extensions keep working; translating providers ignore them.
	Extra map[string]json.RawMessage `json:"-"`
}

// Limit returns the completion token limit the client asked for, preferring max_completion_tokens.
func (r *ChatRequest) Limit() (int, bool) {
	if r.MaxCompletionTokens != nil {
		return *r.MaxCompletionTokens, true
	}
	if r.MaxTokens != nil {
		return *r.MaxTokens, true
	}
	return 0, false
}

// StreamOptions is the stream_options object.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// Message is one chat message. Content is a string or an array of parts on the wire.
type Message struct {
	Role       string     `json:"role"`
	Content    Content    `json:"content"`
	Name       string     `json:"name,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Refusal    string     `json:"refusal,omitempty"`
}

// Content is a message body: either plain text or a list of typed parts. A null or absent content (an assistant
// message that only calls tools) is the zero value.
type Content struct {
	Text  string
	Parts []Part
	// IsParts records that the wire form was an array, so that it is written back the same way.
	IsParts bool
	// IsNull records an explicit or implied null.
	IsNull bool
}

// TextContent returns a plain-text content.
func TextContent(s string) Content { return Content{Text: s} }

// String concatenates the text of every text part (or returns the plain text).
func (c Content) String() string {
	if !c.IsParts {
		return c.Text
	}
	var n int
	for _, p := range c.Parts {
		n += len(p.Text)
	}
	b := make([]byte, 0, n)
	for _, p := range c.Parts {
		if p.Type == "text" {
			b = append(b, p.Text...)
		}
	}
	return string(b)
}

// MarshalJSON writes a string, an array of parts or null.
func (c Content) MarshalJSON() ([]byte, error) {
	switch {
	case c.IsParts:
		if c.Parts == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(c.Parts)
	case c.IsNull && c.Text == "":
		return []byte("null"), nil
	default:
		return json.Marshal(c.Text)
	}
}

// UnmarshalJSON accepts a string, an array of parts or null.
func (c *Content) UnmarshalJSON(b []byte) error {
	*c = Content{}
	switch {
	case len(b) == 0 || string(b) == "null":
		c.IsNull = true
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &c.Text)
	case b[0] == '[':
		c.IsParts = true
		return json.Unmarshal(b, &c.Parts)
	default:
		return errors.New("content must be a string, an array of parts or null")
	}
}

// Part is one element of an array content.
type Part struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *ImageURL `json:"image_url,omitempty"`
	// Raw keeps parts of types the gateway does not model (audio, files) for pass-through.
	Raw json.RawMessage `json:"-"`
}

// ImageURL is the image_url part body; URL may be a data: URL.
type ImageURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

// Tool declares a function the model may call.
type Tool struct {
	Type     string      `json:"type"`
	Function FunctionDef `json:"function"`
}

// FunctionDef is a function's name, description and JSON Schema parameters.
type FunctionDef struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	Strict      *bool           `json:"strict,omitempty"`
}

// ToolCall is a call the model made. Index is set only in stream deltas.
type ToolCall struct {
	Index    *int         `json:"index,omitempty"`
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type,omitempty"`
	Function FunctionCall `json:"function"`
}

// FunctionCall carries the function name and its JSON-encoded arguments.
type FunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// ChatResponse is a non-streaming chat completion.
type ChatResponse struct {
	ID                string   `json:"id"`
	Object            string   `json:"object"`
	Created           int64    `json:"created"`
	Model             string   `json:"model"`
	Choices           []Choice `json:"choices"`
	Usage             *Usage   `json:"usage,omitempty"`
	SystemFingerprint string   `json:"system_fingerprint,omitempty"`
}

// Choice is one completion choice.
type Choice struct {
	Index        int             `json:"index"`
	Message      Message         `json:"message"`
	FinishReason string          `json:"finish_reason"`
	Logprobs     json.RawMessage `json:"logprobs,omitempty"`
}

// Usage counts tokens as reported by the upstream; the gateway never estimates them.
type Usage struct {
	PromptTokens        int                  `json:"prompt_tokens"`
	CompletionTokens    int                  `json:"completion_tokens"`
	TotalTokens         int                  `json:"total_tokens"`
	PromptTokensDetails *PromptTokensDetails `json:"prompt_tokens_details,omitempty"`
}

// PromptTokensDetails splits prompt tokens; CachedTokens are billed at the cache-read price.
type PromptTokensDetails struct {
	CachedTokens int `json:"cached_tokens"`
}

// Chunk is one chat.completion.chunk of a stream. A usage-only chunk has no choices.
type Chunk struct {
	ID                string        `json:"id"`
	Object            string        `json:"object"`
	Created           int64         `json:"created"`
	Model             string        `json:"model"`
	Choices           []ChunkChoice `json:"choices"`
	Usage             *Usage        `json:"usage,omitempty"`
	SystemFingerprint string        `json:"system_fingerprint,omitempty"`
}

// ChunkChoice is one choice's delta.
type ChunkChoice struct {
	Index        int             `json:"index"`
	Delta        Delta           `json:"delta"`
	FinishReason *string         `json:"finish_reason"`
	Logprobs     json.RawMessage `json:"logprobs,omitempty"`
}

// Delta is the incremental part of a streamed message.
type Delta struct {
	Role      string     `json:"role,omitempty"`
	Content   *string    `json:"content,omitempty"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	Refusal   *string    `json:"refusal,omitempty"`
}

// EmbeddingRequest is an OpenAI embeddings request. Input is a string, an array of strings, an array of token
// IDs or an array of arrays of token IDs on the wire; Texts holds the strings and Tokens the token arrays.
type EmbeddingRequest struct {
	Model          string         `json:"model"`
	Input          EmbeddingInput `json:"input"`
	EncodingFormat string         `json:"encoding_format,omitempty"`
	Dimensions     *int           `json:"dimensions,omitempty"`
	User           string         `json:"user,omitempty"`
}

// EmbeddingInput is the decoded input field.
type EmbeddingInput struct {
	Texts  []string
	Tokens [][]int
	// Single records that the wire form was one string (or one token array).
	Single bool
}

// Len is the number of inputs.
func (in EmbeddingInput) Len() int { return len(in.Texts) + len(in.Tokens) }

// EmbeddingResponse lists one vector per input, in input order.
type EmbeddingResponse struct {
	Object string      `json:"object"`
	Data   []Embedding `json:"data"`
	Model  string      `json:"model"`
	Usage  Usage       `json:"usage"`
}

// Embedding is one vector.
type Embedding struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

// Error is an upstream failure classified for the router. Message is safe to show to clients: providers must not
// copy upstream bodies with internal details into it, only a short description.
type Error struct {
	// Status is the upstream HTTP status, or 0 when no response arrived (connection refused, reset, timeout).
	Status int
	// Code is a short machine-readable reason such as "rate_limited", "context_length_exceeded", "timeout",
	// "connection", "bad_request", "upstream_error" or "malformed_response".
	Code string
	// Message describes the failure in a sentence.
	Message string
	// RetryAfter is the upstream's Retry-After (or equivalent) when it sent one.
	RetryAfter time.Duration
	// Err is the underlying cause, for logs; it is never sent to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (status %d): %v", e.Message, e.Status, e.Err)
	}
	return fmt.Sprintf("%s (status %d)", e.Message, e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// Error codes shared by providers and the router.
const (
	CodeRateLimited     = "rate_limited"
	CodeContextLength   = "context_length_exceeded"
	CodeTimeout         = "timeout"
	CodeConnection      = "connection"
	CodeBadRequest      = "bad_request"
	CodeAuth            = "upstream_auth"
	CodeUpstream        = "upstream_error"
	CodeMalformed       = "malformed_response"
	CodeContentFiltered = "content_filter"
)

// Retryable reports whether the router should try again or fall back to the next target: connection errors,
// timeouts, 429, 5xx, malformed responses and context-window errors (a later target may have a larger window).
// Client errors such as a bad request are not retried: every target would refuse them too.
func Retryable(err error) bool {
	var pe *Error
	if !errors.As(err, &pe) {
		return !errors.Is(err, context.Canceled)
	}
	switch pe.Code {
	case CodeRateLimited, CodeContextLength, CodeTimeout, CodeConnection, CodeMalformed:
		return true
	}
	return pe.Status == 429 || pe.Status >= 500
}
