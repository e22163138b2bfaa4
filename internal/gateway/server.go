package gateway

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/walens/walens/internal/audit"
	"github.com/walens/walens/internal/gateway/api"
	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/provider"
)

type ctxKey int

const requestIDKey ctxKey = 0

func (g *Gateway) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", g.shed(g.handleChat))
	mux.HandleFunc("POST /v1/embeddings", g.shed(g.handleEmbeddings))
	mux.HandleFunc("GET /v1/models", g.handleModels)
	mux.HandleFunc("GET /v1/usage", g.handleUsage)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if ok, why := g.Ready(); !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, why+"\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if g.opts.Metrics == nil {
			http.NotFound(w, r)
			return
		}
		g.opts.Metrics.ServeHTTP(w, r)
	})
	guardAPI := func(w http.ResponseWriter, r *http.Request) { g.state.Load().guardAPI.ServeHTTP(w, r) }
	mux.HandleFunc("/guardrail/", guardAPI)
	mux.HandleFunc("GET /guardrails", guardAPI)
	// The API's paths with another method get an OpenAI-style 405 rather than the mux's plain-text one.
	for path, method := range map[string]string{"/v1/chat/completions": "POST", "/v1/embeddings": "POST", "/v1/models": "GET", "/v1/usage": "GET"} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", method)
			writeAPIError(w, &apiError{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error", Message: fmt.Sprintf("%s %s is not supported; use %s", r.Method, path, method), Code: "method_not_allowed"})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Message: fmt.Sprintf("no route for %s %s", r.Method, api.Truncate(r.URL.Path, 100)), Code: "unknown_url"})
	})
	return g.withRequestID(mux)
}

// shed refuses a model request when server.max_in_flight are already being served. Under overload an open-model
// client keeps sending whatever the gateway's pace; without a cap, requests pile up in memory (hundreds of
// megabytes in the benchmark) and all of them get slow, whereas a quick 503 with Retry-After lets clients and load
// balancers back off or go elsewhere. Refused requests are counted in walens_gateway_shed_total, not audited:
// they are turned away before the key is read, like a connection the listener could not accept.
func (g *Gateway) shed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := g.inFlight.Add(1)
		defer g.inFlight.Add(-1)
		if limit := g.state.Load().cfg.Server.MaxInFlight; limit > 0 && n > int64(limit) {
			if g.opts.Shed != nil {
				g.opts.Shed()
			}
			w.Header().Set("Retry-After", "1")
			writeAPIError(w, &apiError{Status: http.StatusServiceUnavailable, Type: "server_error",
				Message: "the gateway is serving as many requests as it is configured to; retry shortly", Code: "overloaded"})
			return
		}
		next(w, r)
	}
}

// withRequestID takes the client's x-request-id when it is reasonable, or makes one, and echoes it.
func (g *Gateway) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = "req_" + strings.ToLower(rand.Text())
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// call is what the pipeline learns about one request, for metering, the audit record and the log line.
type call struct {
	id       string
	start    time.Time
	st       *state
	key      *config.Key
	alias    string
	stream   bool
	tr       trace
	status   int
	errCode  string
	usage    *provider.Usage
	ttft     time.Duration
	guards   []guard.AuditRecord
	degraded bool
	input    []byte // request body, kept only when this request is captured
	capture  bool
}

func (g *Gateway) newCall(r *http.Request) *call {
	id, _ := r.Context().Value(requestIDKey).(string)
	return &call{id: id, start: g.opts.Now(), st: g.state.Load(), status: http.StatusOK}
}

// fail answers with an error and records it.
func (c *call) fail(w http.ResponseWriter, e *apiError) {
	c.status = e.Status
	c.errCode = e.Code
	if c.errCode == "" {
		c.errCode = e.Type
	}
	writeAPIError(w, e)
}

// authenticate finds the virtual key of the request's bearer token.
func (c *call) authenticate(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Message: "missing API key: send Authorization: Bearer <key>", Code: "invalid_api_key"}
	}
	k, ok := c.st.keys[config.HashKey(strings.TrimSpace(token))]
	if !ok {
		return &apiError{Status: http.StatusUnauthorized, Type: "invalid_request_error", Message: "incorrect API key", Code: "invalid_api_key"}
	}
	c.key = k
	return nil
}

// resolve finds the route of the model the request names and checks the key may call it.
func (c *call) resolve(model string) (*route, *apiError) {
	c.alias = model
	rt, ok := c.st.routes[model]
	if !ok {
		return nil, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Message: fmt.Sprintf("the model %q does not exist", api.Truncate(model, 100)), Param: "model", Code: "model_not_found"}
	}
	if !c.key.Allows(model) {
		return nil, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Message: fmt.Sprintf("this key may not use the model %q", model), Param: "model", Code: "model_not_allowed"}
	}
	return rt, nil
}

// admit checks the key's limits.
func (g *Gateway) admit(ctx context.Context, c *call) *apiError {
	if g.opts.Limiter == nil {
		return nil
	}
	k := c.key
	l := Limits{RequestsPerMinute: k.RPM, TokensPerMinute: k.TPM, DailyBudgetUSD: k.DailyBudgetUSD, MonthlyBudgetUSD: k.MonthlyBudgetUSD}
	if l == (Limits{}) {
		return nil
	}
	d, err := g.opts.Limiter.Admit(ctx, k.ID, l, g.opts.Now())
	if err != nil {
		// Failing open keeps traffic flowing through a limiter outage (a Redis restart); the log says so.
		g.log.Warn("limiter unavailable; admitting the request", "request_id", c.id, "key", k.ID, "err", err)
		return nil
	}
	if d.Allowed {
		return nil
	}
	msg := map[string]string{
		"requests_per_minute": "rate limit reached: requests per minute",
		"tokens_per_minute":   "rate limit reached: tokens per minute",
		"daily_budget":        "daily budget exhausted",
		"monthly_budget":      "monthly budget exhausted",
	}[d.Reason]
	if msg == "" {
		msg = "limit reached"
	}
	return &apiError{Status: http.StatusTooManyRequests, Type: "rate_limit_exceeded", Message: msg + " for this key", Code: d.Reason, RetryAfter: max(d.RetryAfter, time.Second)}
}

// finish meters, audits and logs a request once its answer is complete.
func (g *Gateway) finish(ctx context.Context, c *call, output []byte) {
	now := g.opts.Now()
	latency := now.Sub(c.start)
	var u provider.Usage
	if c.usage != nil {
		u = *c.usage
	}
	targetName, model := "", ""
	if t := c.tr.target; t != nil {
		targetName, model = t.name, t.model
	}
	var cost float64
	if c.st.price != nil && model != "" && c.usage != nil {
		cost, _ = c.st.price(model, u)
	}
	keyID := ""
	if c.key != nil {
		keyID = c.key.ID
	}
	tokens := u.PromptTokens + u.CompletionTokens
	if g.opts.Limiter != nil && c.key != nil && (tokens > 0 || cost > 0) {
		// The request's context may be gone (client left); the spend still counts.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		if err := g.opts.Limiter.Record(rctx, keyID, tokens, cost, now); err != nil {
			g.log.Warn("recording usage failed", "request_id", c.id, "key", keyID, "err", err)
		}
		cancel()
	}
	if g.opts.Meter != nil && c.alias != "" {
		// Metrics and aggregates are by upstream model, the unit prices are set for; the alias when none answered.
		meterModel := cmp.Or(model, c.alias)
		g.opts.Meter.Observe(MeterRecord{Time: now, KeyID: keyID, Model: meterModel, Target: targetName, Status: c.status, Stream: c.stream, Latency: latency, TTFT: c.ttft, Usage: u, CostUSD: cost})
	}
	if g.opts.Auditor != nil {
		rec := AuditRecord{Time: c.start.UTC(), RequestID: c.id, KeyID: keyID, Model: c.alias, Target: targetName, Status: c.status, ErrorCode: c.errCode,
			LatencyMS: ms(latency), TTFTMS: ms(c.ttft), PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, CostUSD: cost,
			Fallback: c.tr.fallback, Stream: c.stream}
		if len(c.guards) > 0 {
			rec.Guardrails, _ = json.Marshal(c.guards)
		}
		g.opts.Auditor.Write(rec)
		if c.capture && output != nil {
			g.opts.Auditor.Capture(CaptureEvent{EventID: c.id, InferenceTime: c.start.UTC(), Input: c.input, Output: output})
		}
	}
	lvl := slog.LevelInfo
	if c.status >= 500 {
		lvl = slog.LevelWarn
	}
	g.log.LogAttrs(ctx, lvl, "request", slog.String("request_id", c.id), slog.String("key", keyID), slog.String("model", c.alias),
		slog.String("target", targetName), slog.Int("status", c.status), slog.String("error", c.errCode), slog.Bool("stream", c.stream),
		slog.Float64("latency_ms", ms(latency)), slog.Int("prompt_tokens", u.PromptTokens), slog.Int("completion_tokens", u.CompletionTokens),
		slog.Int("attempts", c.tr.attempts), slog.Any("fallback", c.tr.fallback), slog.Bool("degraded", c.degraded))
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// prepare runs the inbound stages shared by chat and embeddings: auth, body, model, limits.
func (g *Gateway) prepare(w http.ResponseWriter, r *http.Request, c *call) ([]byte, bool) {
	// A read deadline for the body only, rather than http.Server.ReadTimeout: when that deadline passes during
	// a long stream, the server's background read would cancel the request. It is set before anything can fail,
	// because the server reads what is left of a refused request's body too.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(c.st.cfg.Server.ReadTimeout.D(60 * time.Second)))
	if e := c.authenticate(r); e != nil {
		c.fail(w, e)
		return nil, false
	}
	body, e := api.ReadBody(w, r, c.st.cfg.Server.MaxBodyBytes)
	if e != nil {
		// Keep the deadline and drop the connection: the rest of a slow or oversized body is not worth reading.
		w.Header().Set("Connection", "close")
		c.fail(w, e)
		return nil, false
	}
	rc.SetReadDeadline(time.Time{})
	return body, true
}

func (g *Gateway) handleChat(w http.ResponseWriter, r *http.Request) {
	c := g.newCall(r)
	var output []byte
	defer func() { g.finish(r.Context(), c, output) }()
	body, ok := g.prepare(w, r, c)
	if !ok {
		return
	}
	req, e := api.DecodeChat(body)
	if e != nil {
		c.fail(w, e)
		return
	}
	c.stream = req.Stream
	rt, e := c.resolve(req.Model)
	if e != nil {
		c.fail(w, e)
		return
	}
	if e := g.admit(r.Context(), c); e != nil {
		c.fail(w, e)
		return
	}
	if rt.capture > 0 && audit.Sampled(c.id, rt.capture) {
		c.capture, c.input = true, body
	}
	ctx, cancel := context.WithTimeout(r.Context(), rt.timeout)
	defer cancel()

	if rt.in != nil {
		blocked, e := g.guardInput(ctx, c, rt.in, req)
		if e != nil {
			c.fail(w, e)
			return
		}
		if c.capture {
			// Capture what the model was sent: anonymised text, never the original; a blocked prompt is not
			// captured at all, since the guardrail kept it from the model for a reason.
			c.input, _ = json.Marshal(req)
			c.capture = blocked == ""
		}
		if blocked != "" {
			w.Header().Set("X-Walens-Guardrail", "blocked")
			output = g.answerStatic(w, c, req, blocked, "content_filter")
			return
		}
	}
	if req.Stream {
		output = g.streamChat(ctx, w, c, rt, req)
		return
	}
	resp, err := g.completeWithFallback(ctx, c, rt, req)
	if err != nil {
		if msg, ok := g.degradedMessage(c, rt, err); ok {
			w.Header().Set("X-Walens-Degraded", "true")
			output = g.answerStatic(w, c, req, msg, "stop")
			return
		}
		c.fail(w, upstreamError(err))
		return
	}
	c.usage = resp.Usage
	resp.Model = req.Model
	if rt.out != nil {
		if e := g.guardOutput(ctx, c, rt.out, resp); e != nil {
			c.fail(w, e)
			return
		}
	}
	if c.degraded {
		w.Header().Set("X-Walens-Degraded", "true")
	}
	b, _ := json.Marshal(resp)
	writeBody(w, http.StatusOK, b)
	output = b
}

// completeWithFallback runs the route and, when every target failed, the degraded model chain.
func (g *Gateway) completeWithFallback(ctx context.Context, c *call, rt *route, req *provider.ChatRequest) (*provider.ChatResponse, error) {
	for depth := 0; ; depth++ {
		resp, err := g.chat(ctx, c.st, rt, req, &c.tr)
		next := g.degradedRoute(c, rt, err, depth)
		if next == nil {
			return resp, err
		}
		rt = next
	}
}

// degradedRoute returns the cheaper alias to try after rt failed entirely, if one is configured.
func (g *Gateway) degradedRoute(c *call, rt *route, err error, depth int) *route {
	var af *allFailed
	if err == nil || !errors.As(err, &af) || rt.degraded == nil || rt.degraded.Model == "" || depth >= 4 {
		return nil
	}
	next := c.st.routes[rt.degraded.Model]
	if next == nil {
		return nil
	}
	c.degraded = true
	c.tr.fallback = append(c.tr.fallback, "degraded:"+rt.degraded.Model)
	return next
}

// degradedMessage returns the static answer of the last route in the degraded chain when every target failed.
func (g *Gateway) degradedMessage(c *call, rt *route, err error) (string, bool) {
	var af *allFailed
	if !errors.As(err, &af) {
		return "", false
	}
	// Follow the chain to the alias that failed last: its static message, or the first one along the way.
	for depth := 0; rt != nil && depth < 5; depth++ {
		if d := rt.degraded; d != nil {
			if d.Message != "" {
				c.degraded = true
				c.tr.fallback = append(c.tr.fallback, "degraded:message")
				return d.Message, true
			}
			rt = c.st.routes[d.Model]
			continue
		}
		break
	}
	return "", false
}

// answerStatic answers with a completion the gateway wrote itself (a guardrail's blocked message or the degraded
// message), in the form the client asked for.
func (g *Gateway) answerStatic(w http.ResponseWriter, c *call, req *provider.ChatRequest, text, finish string) []byte {
	id := "chatcmpl-" + c.id
	created := g.opts.Now().Unix()
	zero := &provider.Usage{}
	if !req.Stream {
		resp := provider.ChatResponse{ID: id, Object: "chat.completion", Created: created, Model: req.Model, Usage: zero,
			Choices: []provider.Choice{{Message: provider.Message{Role: "assistant", Content: provider.TextContent(text)}, FinishReason: finish}}}
		b, _ := json.Marshal(resp)
		writeBody(w, http.StatusOK, b)
		return b
	}
	sw := newSSE(w)
	chunk := func(d provider.Delta, fin *string) *provider.Chunk {
		return &provider.Chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model, Choices: []provider.ChunkChoice{{Delta: d, FinishReason: fin}}}
	}
	sw.chunk(chunk(provider.Delta{Role: "assistant", Content: &text}, nil))
	sw.chunk(chunk(provider.Delta{}, &finish))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		sw.chunk(&provider.Chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model, Choices: []provider.ChunkChoice{}, Usage: zero})
	}
	sw.done()
	c.ttft = g.opts.Now().Sub(c.start)
	b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": text}, "finish_reason": finish}}})
	return b
}

// guardInput applies the input guardrail to the user messages. It returns the blocked message when the policy
// blocks; when it anonymises, it rewrites the messages in req before they reach the provider.
func (g *Gateway) guardInput(ctx context.Context, c *call, e *guard.Engine, req *provider.ChatRequest) (string, *apiError) {
	type loc struct{ msg, part int }
	var content []guard.Content
	var locs []loc
	for i, m := range req.Messages {
		if m.Role != "user" {
			continue
		}
		if !m.Content.IsParts {
			if m.Content.Text != "" {
				content = append(content, guard.Content{Text: m.Content.Text})
				locs = append(locs, loc{i, -1})
			}
			continue
		}
		for j, p := range m.Content.Parts {
			if p.Type == "text" && p.Text != "" {
				content = append(content, guard.Content{Text: p.Text})
				locs = append(locs, loc{i, j})
			}
		}
	}
	if len(content) == 0 {
		return "", nil
	}
	resp, err := e.Apply(ctx, guard.Input, content, guard.ApplyOptions{})
	if err != nil {
		return "", guardError(err)
	}
	c.guards = append(c.guards, e.Audit(g.opts.Now(), guard.Input, resp))
	if !resp.Intervened() {
		return "", nil
	}
	if resp.Blocked {
		return firstText(resp), nil
	}
	for i, l := range locs {
		if i >= len(resp.Outputs) {
			break
		}
		m := &req.Messages[l.msg]
		if l.part < 0 {
			m.Content.Text = resp.Outputs[i].Text
		} else {
			m.Content.Parts[l.part].Text = resp.Outputs[i].Text
		}
	}
	return "", nil
}

// guardOutput applies the output guardrail to each choice of a finished completion.
func (g *Gateway) guardOutput(ctx context.Context, c *call, e *guard.Engine, resp *provider.ChatResponse) *apiError {
	for i := range resp.Choices {
		ch := &resp.Choices[i]
		text := ch.Message.Content.String()
		if text == "" {
			continue
		}
		gr, err := e.Apply(ctx, guard.Output, []guard.Content{{Text: text}}, guard.ApplyOptions{})
		if err != nil {
			return guardError(err)
		}
		c.guards = append(c.guards, e.Audit(g.opts.Now(), guard.Output, gr))
		switch {
		case gr.Blocked:
			ch.Message = provider.Message{Role: "assistant", Content: provider.TextContent(firstText(gr))}
			ch.FinishReason = "content_filter"
		case gr.Intervened() && len(gr.Outputs) > 0:
			ch.Message.Content = provider.TextContent(gr.Outputs[0].Text)
		}
	}
	return nil
}

func firstText(r *guard.Response) string {
	if len(r.Outputs) > 0 {
		return r.Outputs[0].Text
	}
	return ""
}

func guardError(err error) *apiError {
	var ie *guard.InputError
	if errors.As(err, &ie) {
		return api.BadRequest("messages", "the guardrail refused the text: "+ie.Msg)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return upstreamError(err)
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "server_error", Message: "the guardrail failed", Code: "guardrail_error"}
}

func (g *Gateway) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	c := g.newCall(r)
	// Embeddings are never captured, so finish has no output to record.
	defer func() { g.finish(r.Context(), c, nil) }()
	body, ok := g.prepare(w, r, c)
	if !ok {
		return
	}
	req, e := api.DecodeEmbeddings(body)
	if e != nil {
		c.fail(w, e)
		return
	}
	rt, e := c.resolve(req.Model)
	if e != nil {
		c.fail(w, e)
		return
	}
	if e := g.admit(r.Context(), c); e != nil {
		c.fail(w, e)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), rt.timeout)
	defer cancel()
	var resp *provider.EmbeddingResponse
	var err error
	for depth := 0; ; depth++ {
		resp, err = g.embed(ctx, c.st, rt, req, &c.tr)
		next := g.degradedRoute(c, rt, err, depth)
		if next == nil {
			break
		}
		rt = next
	}
	if err != nil {
		c.fail(w, upstreamError(err))
		return
	}
	c.usage = &resp.Usage
	out := embeddingsOut{Object: "list", Model: req.Model, Usage: resp.Usage, Data: make([]embeddingOut, len(resp.Data))}
	for i, d := range resp.Data {
		o := embeddingOut{Object: "embedding", Index: d.Index}
		if req.EncodingFormat == "base64" {
			o.Embedding = encodeFloats(d.Embedding)
		} else {
			o.Embedding = nonNilFloats(d.Embedding)
		}
		out.Data[i] = o
	}
	writeJSON(w, http.StatusOK, out)
}

type embeddingsOut struct {
	Object string         `json:"object"`
	Data   []embeddingOut `json:"data"`
	Model  string         `json:"model"`
	Usage  provider.Usage `json:"usage"`
}

type embeddingOut struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"`
}

func nonNilFloats(v []float32) []float32 {
	if v == nil {
		return []float32{}
	}
	return v
}

// encodeFloats is OpenAI's base64 encoding: the vector's float32 values, little-endian, base64 (standard).
func encodeFloats(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (g *Gateway) handleModels(w http.ResponseWriter, r *http.Request) {
	c := g.newCall(r)
	if e := c.authenticate(r); e != nil {
		writeAPIError(w, e)
		return
	}
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	out := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list", Data: []model{}}
	for _, alias := range slices.Sorted(maps.Keys(c.st.routes)) {
		if c.key.Allows(alias) {
			out.Data = append(out.Data, model{ID: alias, Object: "model", OwnedBy: "walens"})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (g *Gateway) handleUsage(w http.ResponseWriter, r *http.Request) {
	c := g.newCall(r)
	if e := c.authenticate(r); e != nil {
		writeAPIError(w, e)
		return
	}
	if !c.key.Admin {
		writeAPIError(w, &apiError{Status: http.StatusForbidden, Type: "invalid_request_error", Message: "only admin keys may read usage", Code: "not_admin"})
		return
	}
	if g.opts.Usage == nil {
		writeAPIError(w, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error", Message: "usage aggregates are not enabled", Code: "unknown_url"})
		return
	}
	g.opts.Usage.ServeHTTP(w, r)
}
