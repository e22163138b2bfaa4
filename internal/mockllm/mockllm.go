// Package mockllm is a mock model upstream for benchmarks and end-to-end tests. One http.Handler speaks the
// OpenAI (chat completions, embeddings, models), Anthropic (messages) and Bedrock (Converse, ConverseStream,
// InvokeModel for Titan embeddings) wire formats, with knobs for latency, jitter, failures, 429 windows and paced
// streaming.
//
// Token counts are deterministic (whitespace-separated words of the prompt and of the generated answer), and the
// handler keeps totals of the usage it reported to clients, served at GET /mock/stats, so a test or a benchmark can
// check a gateway's metering against them exactly.
package mockllm

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options are the mock's behaviour knobs. The zero value is an instant, always-successful upstream.
type Options struct {
	// Latency is added before every model response (before the first byte of a stream).
	Latency time.Duration
	// Jitter adds a uniformly random extra delay in [0, Jitter) to Latency.
	Jitter time.Duration
	// FailPercent makes that share of model requests (0-100) answer 500. The failures are spread evenly and
	// deterministically: exactly FailPercent of every 100 consecutive requests fail.
	FailPercent float64
	// RateLimitEvery and RateLimitFor open a 429 window of RateLimitFor at the start of every RateLimitEvery,
	// counted from the handler's creation. Responses in a window carry Retry-After (RetryAfter, default 1s).
	RateLimitEvery time.Duration
	RateLimitFor   time.Duration
	RetryAfter     time.Duration
	// FailAfter and FailFor make every model request fail with 500 between FailAfter and FailAfter+FailFor after
	// the handler's creation (FailFor 0: no window). POST /mock/fail?for=30s opens the same kind of window at once.
	FailAfter time.Duration
	FailFor   time.Duration
	// Words is how many words an answer has (default 16); each word counts as one completion token.
	Words int
	// Chunks is how many content chunks a stream carries (default 4, at most Words), paced ChunkDelay apart.
	Chunks     int
	ChunkDelay time.Duration
	// Dimensions is the length of embedding vectors when the request does not ask for one (default 8).
	Dimensions int
	// MaxBodyBytes bounds request bodies (default 4 MiB).
	MaxBodyBytes int64
}

// Per-request overrides, for tests. They apply to the model endpoints only.
const (
	// HeaderFail set to "1" makes the request answer 500.
	HeaderFail = "X-Mock-Fail"
	// HeaderStatus set to an HTTP status (e.g. 429, 400, 503) makes the request answer that status in the
	// format's error shape.
	HeaderStatus = "X-Mock-Status"
	// HeaderLatency (a Go duration) replaces Options.Latency for the request.
	HeaderLatency = "X-Mock-Latency"
	// HeaderWords replaces Options.Words for the request.
	HeaderWords = "X-Mock-Words"
	// HeaderStreamError set to "1" makes a stream send an in-stream error (Anthropic error event, Bedrock
	// exception frame, OpenAI error chunk) after its first content chunk, with HTTP 200 already sent.
	HeaderStreamError = "X-Mock-Stream-Error"
)

// Stats are the totals the mock reported, served as JSON at GET /mock/stats.
type Stats struct {
	Requests         int64 `json:"requests"`          // model requests received
	OK               int64 `json:"ok"`                // answered with 200
	Failed           int64 `json:"failed"`            // answered with 5xx or another injected error status
	RateLimited      int64 `json:"rate_limited"`      // answered with 429
	Streams          int64 `json:"streams"`           // 200 answers that were streams
	StreamErrors     int64 `json:"stream_errors"`     // streams ended by an injected in-stream error
	PromptTokens     int64 `json:"prompt_tokens"`     // prompt tokens reported in usage
	CompletionTokens int64 `json:"completion_tokens"` // completion tokens reported in usage
	TotalTokens      int64 `json:"total_tokens"`
}

// Handler is the mock upstream. Create it with New; it is safe for concurrent use.
type Handler struct {
	opts  Options
	start time.Time
	mux   *http.ServeMux
	seq   atomic.Uint64 // model requests, for FailPercent and IDs

	requests, ok, failed, limited, streams, streamErrors atomic.Int64
	promptTokens, completionTokens                       atomic.Int64

	mu        sync.Mutex
	failUntil time.Time // end of a failure window opened with POST /mock/fail
}

// New returns a Handler with opts, defaults filled in.
func New(opts Options) *Handler {
	if opts.Words <= 0 {
		opts.Words = 16
	}
	if opts.Chunks <= 0 {
		opts.Chunks = 4
	}
	opts.Chunks = min(opts.Chunks, opts.Words)
	if opts.Dimensions <= 0 {
		opts.Dimensions = 8
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	h := &Handler{opts: opts, start: time.Now(), mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v1/chat/completions", h.openAIChat)
	h.mux.HandleFunc("POST /v1/embeddings", h.openAIEmbeddings)
	h.mux.HandleFunc("GET /v1/models", h.openAIModels)
	h.mux.HandleFunc("POST /v1/messages", h.anthropicMessages)
	h.mux.HandleFunc("POST /model/{id}/converse", h.bedrockConverse)
	h.mux.HandleFunc("POST /model/{id}/converse-stream", h.bedrockConverseStream)
	h.mux.HandleFunc("POST /model/{id}/invoke", h.bedrockInvoke)
	h.mux.HandleFunc("GET /mock/stats", h.serveStats)
	h.mux.HandleFunc("POST /mock/reset", h.serveReset)
	h.mux.HandleFunc("POST /mock/fail", h.serveFail)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Stats returns the current totals.
func (h *Handler) Stats() Stats {
	p, c := h.promptTokens.Load(), h.completionTokens.Load()
	return Stats{
		Requests: h.requests.Load(), OK: h.ok.Load(), Failed: h.failed.Load(), RateLimited: h.limited.Load(),
		Streams: h.streams.Load(), StreamErrors: h.streamErrors.Load(),
		PromptTokens: p, CompletionTokens: c, TotalTokens: p + c,
	}
}

// Reset zeroes the totals.
func (h *Handler) Reset() {
	for _, c := range []*atomic.Int64{&h.requests, &h.ok, &h.failed, &h.limited, &h.streams, &h.streamErrors,
		&h.promptTokens, &h.completionTokens} {
		c.Store(0)
	}
}

// FailFor makes every model request fail with 500 for d from now.
func (h *Handler) FailFor(d time.Duration) {
	h.mu.Lock()
	h.failUntil = time.Now().Add(d)
	h.mu.Unlock()
}

func (h *Handler) serveStats(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(h.Stats())
}

func (h *Handler) serveReset(w http.ResponseWriter, _ *http.Request) {
	h.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) serveFail(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("for"))
	if err != nil || d < 0 {
		http.Error(w, "query parameter for: want a non-negative Go duration such as 30s", http.StatusBadRequest)
		return
	}
	h.FailFor(d)
	w.WriteHeader(http.StatusNoContent)
}

// usage records and returns the usage of one answer.
func (h *Handler) report(prompt, completion int) {
	h.promptTokens.Add(int64(prompt))
	h.completionTokens.Add(int64(completion))
}

// injected is the outcome of the behaviour knobs for one request: status 0 means answer normally.
type injected struct {
	status     int
	retryAfter time.Duration
}

// admit applies failure windows, 429 windows, failure percentage and per-request headers, and counts the request.
func (h *Handler) admit(r *http.Request) injected {
	h.requests.Add(1)
	n := h.seq.Add(1)
	now := time.Now()
	if r.Header.Get(HeaderFail) == "1" {
		return injected{status: http.StatusInternalServerError}
	}
	if s := r.Header.Get(HeaderStatus); s != "" {
		if code, err := strconv.Atoi(s); err == nil && code >= 400 && code <= 599 {
			in := injected{status: code}
			if code == http.StatusTooManyRequests {
				in.retryAfter = h.opts.RetryAfter
			}
			return in
		}
	}
	h.mu.Lock()
	until := h.failUntil
	h.mu.Unlock()
	if now.Before(until) {
		return injected{status: http.StatusInternalServerError}
	}
	since := now.Sub(h.start)
	if h.opts.FailFor > 0 && since >= h.opts.FailAfter && since < h.opts.FailAfter+h.opts.FailFor {
		return injected{status: http.StatusInternalServerError}
	}
	if h.opts.RateLimitEvery > 0 && h.opts.RateLimitFor > 0 {
		if in := since % h.opts.RateLimitEvery; in < h.opts.RateLimitFor {
			// Retry-After points at the end of the window, at least the configured minimum.
			return injected{status: http.StatusTooManyRequests, retryAfter: max(h.opts.RateLimitFor-in, h.opts.RetryAfter)}
		}
	}
	if p := h.opts.FailPercent; p > 0 {
		// Request n fails when floor(n*p/100) steps up: exactly p% of any 100 consecutive requests.
		if int64(float64(n)*p/100) != int64(float64(n-1)*p/100) {
			return injected{status: http.StatusInternalServerError}
		}
	}
	return injected{}
}

// finish counts the outcome of a request that did not answer 200.
func (h *Handler) countError(status int) {
	if status == http.StatusTooManyRequests {
		h.limited.Add(1)
	} else {
		h.failed.Add(1)
	}
}

// wait sleeps for the request's latency; it returns false if the client went away first.
func (h *Handler) wait(r *http.Request) bool {
	d := h.opts.Latency
	if s := r.Header.Get(HeaderLatency); s != "" {
		if v, err := time.ParseDuration(s); err == nil && v >= 0 {
			d = v
		}
	}
	if h.opts.Jitter > 0 {
		d += rand.N(h.opts.Jitter)
	}
	return sleep(r, d)
}

func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// words returns the request's answer length.
func (h *Handler) words(r *http.Request) int {
	if s := r.Header.Get(HeaderWords); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 1<<20 {
			return n
		}
	}
	return h.opts.Words
}

// vocabulary is what answers are made of; one entry is one word and one completion token.
var vocabulary = [...]string{"the", "mock", "model", "says", "hello", "and", "answers", "every", "question",
	"with", "a", "steady", "stream", "of", "plain", "words"}

// answer returns n words of deterministic text.
func answer(n int) string {
	var b strings.Builder
	b.Grow(n * 6)
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocabulary[i%len(vocabulary)])
	}
	return b.String()
}

// split cuts text's words into k pieces whose concatenation is text; every piece but the first starts with the
// space that separated it from the previous word.
func split(text string, k int) []string {
	if k <= 1 {
		return []string{text}
	}
	var starts []int
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' {
			starts = append(starts, i)
		}
	}
	words := len(starts) + 1
	k = min(k, words)
	out := make([]string, 0, k)
	prev := 0
	for j := 1; j < k; j++ {
		cut := starts[j*words/k-1]
		out = append(out, text[prev:cut])
		prev = cut
	}
	return append(out, text[prev:])
}

// countWords is the mock's tokenizer: whitespace-separated words.
func countWords(s string) int { return len(strings.Fields(s)) }

// decode reads a JSON request body with the size limit.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// toolArguments builds arguments that satisfy a JSON schema's top-level properties.
func toolArguments(schema json.RawMessage) map[string]any {
	var s struct {
		Properties map[string]struct {
			Type any `json:"type"`
		} `json:"properties"`
	}
	args := map[string]any{}
	if json.Unmarshal(schema, &s) != nil {
		return args
	}
	for name, p := range s.Properties {
		t, _ := p.Type.(string)
		switch t {
		case "number", "integer":
			args[name] = 1
		case "boolean":
			args[name] = true
		case "array":
			args[name] = []any{}
		case "object":
			args[name] = map[string]any{}
		default:
			args[name] = "mock"
		}
	}
	return args
}

// pickTool returns the index of the first tool whose name appears in prompt, or -1. A model "decides" to call a
// tool when the last user message names it.
func pickTool(names []string, prompt string) int {
	for i, n := range names {
		if n != "" && strings.Contains(prompt, n) {
			return i
		}
	}
	return -1
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
