// Package anthropic implements provider.Provider against the Anthropic Messages API, translating the canonical
// OpenAI chat format both ways: system prompts, alternating turns, images, tools and tool results, stop reasons,
// usage with prompt-cache tokens, and the streaming event sequence, including an error event after HTTP 200.
package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/walens/walens/internal/provider"
)

// apiVersion is the anthropic-version header value the translation is written against.
const apiVersion = "2023-06-01"

// upstreamName is how client-safe error messages refer to the upstream.
const upstreamName = "the upstream"

// Provider talks to one Anthropic endpoint. It is safe for concurrent use.
type Provider struct {
	messagesURL string
	apiKey      string
	model       string
	headers     map[string]string
	maxBytes    int64
	hc          *http.Client
	now         func() time.Time
}

var _ provider.Provider = (*Provider)(nil)

// New returns a provider for cfg. cfg.BaseURL is the API root (https://api.anthropic.com); hc carries the
// connection pool for this target, nil meaning a client of its own. cfg.Model, when set, replaces the model of every
// request. cfg.Headers may add anthropic-beta or replace anthropic-version.
func New(cfg provider.Config, hc *http.Client) (*Provider, error) {
	u, err := cfg.CheckHTTP("anthropic provider")
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{}
	}
	p := &Provider{
		messagesURL: strings.TrimRight(u.String(), "/") + "/v1/messages",
		apiKey:      cfg.APIKey,
		model:       cfg.Model,
		headers:     cfg.Headers,
		maxBytes:    cfg.MaxResponseBytes,
		hc:          hc,
		now:         time.Now,
	}
	if p.maxBytes == 0 {
		p.maxBytes = provider.DefaultMaxResponseBytes
	}
	return p, nil
}

// Chat sends a non-streaming Messages request.
func (p *Provider) Chat(ctx context.Context, req *provider.ChatRequest) (*provider.ChatResponse, error) {
	body, err := toMessages(req, p.model)
	if err != nil {
		return nil, err
	}
	resp, err := p.post(ctx, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := provider.ReadBody(resp.Body, p.maxBytes)
	if errors.Is(err, provider.ErrBodyTooLarge) {
		return nil, &provider.Error{Status: resp.StatusCode, Code: provider.CodeMalformed,
			Message: "the upstream response is too large", Err: err}
	}
	if err != nil {
		return nil, provider.TransportError(ctx, upstreamName, err)
	}
	var mr messagesResponse
	if err := json.Unmarshal(b, &mr); err != nil {
		return nil, malformed(resp.StatusCode, err)
	}
	if mr.Type == "error" {
		var eb errorBody
		_ = json.Unmarshal(b, &eb)
		return nil, eventError(eb.Error)
	}
	if mr.Type != "message" {
		return nil, malformed(resp.StatusCode, fmt.Errorf("response type %q, want message", mr.Type))
	}
	out, err := fromMessages(&mr, p.now().Unix())
	if err != nil {
		return nil, malformed(resp.StatusCode, err)
	}
	return out, nil
}

// ChatStream starts a streaming Messages request. Anthropic always reports usage, so the stream ends with a
// usage-only chunk whether or not the client asked for include_usage.
func (p *Provider) ChatStream(ctx context.Context, req *provider.ChatRequest) (provider.Stream, error) {
	body, err := toMessages(req, p.model)
	if err != nil {
		return nil, err
	}
	body.Stream = true
	resp, err := p.post(ctx, body)
	if err != nil {
		return nil, err
	}
	return &stream{EventStream: provider.NewEventStream(ctx, resp.Body, int(min(p.maxBytes, 1<<30)), "anthropic stream", "message_stop"),
		tr: translator{created: p.now().Unix()}}, nil
}

// Embed is not offered by the Messages API.
func (p *Provider) Embed(context.Context, *provider.EmbeddingRequest) (*provider.EmbeddingResponse, error) {
	return nil, &provider.Error{Status: http.StatusBadRequest, Code: provider.CodeBadRequest,
		Message: "embeddings are not supported by the Anthropic provider"}
}

func (p *Provider) post(ctx context.Context, body *messagesRequest) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &provider.Error{Status: http.StatusBadRequest, Code: provider.CodeBadRequest,
			Message: "the request could not be encoded", Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, p.messagesURL, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("anthropic provider: build request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json, text/event-stream")
	hreq.Header.Set("Anthropic-Version", apiVersion)
	if p.apiKey != "" {
		hreq.Header.Set("X-Api-Key", p.apiKey)
	}
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
	eb, _ := provider.ReadBody(resp.Body, provider.MaxErrorBodyBytes)
	e := httpError(resp.StatusCode, eb)
	e.RetryAfter = provider.RetryAfterHeader(resp.Header, p.now())
	return nil, e
}

func malformed(status int, err error) *provider.Error {
	return &provider.Error{Status: status, Code: provider.CodeMalformed,
		Message: "the upstream sent a malformed response", Err: err}
}
