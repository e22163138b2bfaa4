// Package openai implements provider.Provider for OpenAI-compatible upstreams: OpenAI itself, vLLM, Ollama and any
// server speaking the chat-completions and embeddings wire format.
//
// The canonical request is already in this format, so the provider forwards it nearly as is (fields it does not
// model travel in ChatRequest.Extra) and only changes what the gateway owns: the upstream model ID, the credentials
// and, for streams, stream_options.include_usage, which is always requested so that every stream can be metered.
package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/walens/walens/internal/provider"
)

// upstreamName is how client-safe error messages refer to the upstream.
const upstreamName = "the upstream"

// Provider talks to one OpenAI-compatible endpoint. It is safe for concurrent use.
type Provider struct {
	chatURL, embedURL string
	apiKey            string
	model             string
	headers           map[string]string
	maxBytes          int64
	hc                *http.Client
	now               func() time.Time
}

var _ provider.Provider = (*Provider)(nil)

// New returns a provider for cfg. hc carries the connection pool and transport settings for this target; nil means
// a client of its own with Go's default transport. cfg.Model, when set, replaces the model of every request; when
// empty the request's model is forwarded unchanged.
func New(cfg provider.Config, hc *http.Client) (*Provider, error) {
	u, err := cfg.CheckHTTP("openai provider")
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{}
	}
	base := strings.TrimRight(u.String(), "/")
	p := &Provider{
		chatURL:  base + "/chat/completions",
		embedURL: base + "/embeddings",
		apiKey:   cfg.APIKey,
		model:    cfg.Model,
		headers:  cfg.Headers,
		maxBytes: cfg.MaxResponseBytes,
		hc:       hc,
		now:      time.Now,
	}
	if p.maxBytes == 0 {
		p.maxBytes = provider.DefaultMaxResponseBytes
	}
	return p, nil
}

// Chat sends a non-streaming chat completion.
func (p *Provider) Chat(ctx context.Context, req *provider.ChatRequest) (*provider.ChatResponse, error) {
	r := *req
	r.Stream, r.StreamOptions = false, nil
	if p.model != "" {
		r.Model = p.model
	}
	resp, err := p.post(ctx, p.chatURL, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		provider.ChatResponse
		Error json.RawMessage `json:"error"`
	}
	if err := p.decode(ctx, resp, &out); err != nil {
		return nil, err
	}
	if len(out.Error) > 0 && string(out.Error) != "null" {
		return nil, bodyError(http.StatusBadGateway, out.Error)
	}
	if len(out.Choices) == 0 {
		return nil, malformed(resp.StatusCode, errors.New("chat completion without choices"))
	}
	if out.Object == "" {
		out.Object = "chat.completion"
	}
	return &out.ChatResponse, nil
}

// ChatStream starts a streaming chat completion. include_usage is always requested upstream; the gateway removes
// the usage chunk when its client did not ask for it.
func (p *Provider) ChatStream(ctx context.Context, req *provider.ChatRequest) (provider.Stream, error) {
	r := *req
	r.Stream = true
	r.StreamOptions = &provider.StreamOptions{IncludeUsage: true}
	if p.model != "" {
		r.Model = p.model
	}
	resp, err := p.post(ctx, p.chatURL, r)
	if err != nil {
		return nil, err
	}
	if isJSON(resp.Header.Get("Content-Type")) {
		// Some servers answer a stream request that fails late with a JSON error body and a 200.
		defer resp.Body.Close()
		var out struct {
			Error json.RawMessage `json:"error"`
		}
		if err := p.decode(ctx, resp, &out); err != nil {
			return nil, err
		}
		if len(out.Error) > 0 && string(out.Error) != "null" {
			return nil, bodyError(http.StatusBadGateway, out.Error)
		}
		return nil, malformed(resp.StatusCode, errors.New("a JSON body where an event stream was expected"))
	}
	return newStream(ctx, resp.Body, int(min(p.maxBytes, 1<<30))), nil
}

// Embed computes embeddings. Float vectors are always requested: the gateway encodes base64 itself when its client
// asks, so the upstream's support for encoding_format does not matter.
func (p *Provider) Embed(ctx context.Context, req *provider.EmbeddingRequest) (*provider.EmbeddingResponse, error) {
	r := *req
	r.EncodingFormat = ""
	if p.model != "" {
		r.Model = p.model
	}
	resp, err := p.post(ctx, p.embedURL, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out provider.EmbeddingResponse
	if err := p.decode(ctx, resp, &out); err != nil {
		return nil, err
	}
	if len(out.Data) != r.Input.Len() {
		return nil, malformed(resp.StatusCode, fmt.Errorf("%d embeddings for %d inputs", len(out.Data), r.Input.Len()))
	}
	return &out, nil
}

// post sends body as JSON and returns a 2xx response; any other outcome is classified into a *provider.Error (or a
// cancellation).
func (p *Provider) post(ctx context.Context, u string, body any) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &provider.Error{Status: http.StatusBadRequest, Code: provider.CodeBadRequest,
			Message: "the request could not be encoded", Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("openai provider: build request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json, text/event-stream")
	if p.apiKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+p.apiKey)
	}
	// Configured headers come last so that a deployment can replace the authorization scheme (Azure's api-key).
	for k, v := range p.headers {
		hreq.Header.Set(k, v)
	}
	resp, err := p.hc.Do(hreq)
	if err != nil {
		return nil, provider.TransportError(ctx, upstreamName, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	body2, _ := provider.ReadBody(resp.Body, provider.MaxErrorBodyBytes)
	e := httpError(resp.StatusCode, body2)
	e.RetryAfter = provider.RetryAfterHeader(resp.Header, p.now())
	return nil, e
}

// decode reads a bounded 2xx body into v.
func (p *Provider) decode(ctx context.Context, resp *http.Response, v any) error {
	b, err := provider.ReadBody(resp.Body, p.maxBytes)
	if errors.Is(err, provider.ErrBodyTooLarge) {
		return &provider.Error{Status: resp.StatusCode, Code: provider.CodeMalformed,
			Message: "the upstream response is too large", Err: err}
	}
	if err != nil {
		return provider.TransportError(ctx, upstreamName, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return malformed(resp.StatusCode, err)
	}
	return nil
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

func malformed(status int, err error) *provider.Error {
	return &provider.Error{Status: status, Code: provider.CodeMalformed,
		Message: "the upstream sent a malformed response", Err: err}
}

// newStream wraps a streaming body; body is closed by Close or when the stream ends.
func newStream(ctx context.Context, body io.ReadCloser, maxEvent int) *stream {
	return &stream{EventStream: provider.NewEventStream(ctx, body, maxEvent, "openai stream", "data: [DONE]")}
}
