package guard

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds the compiled guardrail versions walens serves, by guardrail ID and version. It is safe for
// concurrent use; the gateway and the API share one.
type Registry struct {
	mu      sync.RWMutex
	engines map[string]map[string]*Engine // id -> version -> engine
	names   map[string]string             // name -> id, so a guardrail can be called by name too
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{engines: map[string]map[string]*Engine{}, names: map[string]string{}}
}

// Add registers an engine under its policy's guardrail ID (or name) and version (DRAFT when unset). Adding the
// same ID and version twice is an error: two files claiming one version is a mistake worth reporting.
func (r *Registry) Add(e *Engine) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, v := e.ID(), e.Version()
	if r.engines[id] == nil {
		r.engines[id] = map[string]*Engine{}
	}
	if _, dup := r.engines[id][v]; dup {
		return fmt.Errorf("guardrail %s version %s is defined twice", id, v)
	}
	if other, ok := r.names[e.policy.Name]; ok && other != id {
		return fmt.Errorf("guardrail name %q is used by %s and %s", e.policy.Name, other, id)
	}
	r.engines[id][v] = e
	r.names[e.policy.Name] = id
	return nil
}

// Lookup finds a guardrail version. The identifier may be the guardrail ID, its ARN
// (arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID) or its name.
func (r *Registry) Lookup(identifier, version string) (*Engine, bool) {
	if i := strings.LastIndex(identifier, ":guardrail/"); i >= 0 && strings.HasPrefix(identifier, "arn:") {
		identifier = identifier[i+len(":guardrail/"):]
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	versions, ok := r.engines[identifier]
	if !ok {
		if id, byName := r.names[identifier]; byName {
			versions = r.engines[id]
		}
	}
	e, ok := versions[version]
	return e, ok
}

// Guardrail describes a registered version, for listings.
type Guardrail struct {
	ID      string `json:"guardrailId"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// List returns every registered version, sorted.
func (r *Registry) List() []Guardrail {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Guardrail
	for id, vs := range r.engines {
		for v, e := range vs {
			out = append(out, Guardrail{ID: id, Name: e.policy.Name, Version: v})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return versionLess(out[i].Version, out[j].Version)
	})
	return out
}

func versionLess(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x < y
	}
	return errA == nil // numbered versions before DRAFT
}

// HandlerOptions configure the ApplyGuardrail API.
type HandlerOptions struct {
	// Logger receives one line per request with the audit record (never the text); nil discards.
	Logger *slog.Logger
	// Audit, when set, receives each decision's audit record.
	Audit func(AuditRecord)
	// MaxBodyBytes bounds a request body; default 4 MiB. Each guardrail's maxTextBytes bounds the text inside.
	MaxBodyBytes int64
	// Now is the clock of audit records; nil means time.Now.
	Now func() time.Time
}

// NewHandler serves Bedrock's ApplyGuardrail operation, POST /guardrail/{id}/version/{version}/apply, with its
// request and response JSON and its error convention (an X-Amzn-ErrorType header and a JSON message), so the AWS
// SDKs work against it with an endpoint override. It also answers GET /guardrails with the registered versions
// and GET /healthz. The gateway can mount it as it is.
func NewHandler(reg *Registry, opts HandlerOptions) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &handler{reg: reg, opts: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /guardrail/{id}/version/{version}/apply", h.apply)
	mux.HandleFunc("GET /guardrails", h.list)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "UnknownOperationException", fmt.Sprintf("no operation at %s %s", r.Method, r.URL.Path))
	})
	return mux
}

type handler struct {
	reg  *Registry
	opts HandlerOptions
}

// applyRequest is the ApplyGuardrail request body.
type applyRequest struct {
	Source  string `json:"source"`
	Content []struct {
		Text *struct {
			Text       string   `json:"text"`
			Qualifiers []string `json:"qualifiers"`
		} `json:"text"`
		Image json.RawMessage `json:"image"`
	} `json:"content"`
	OutputScope string `json:"outputScope"`
}

func (h *handler) apply(w http.ResponseWriter, r *http.Request) {
	id, version := pathValue(r, "id"), pathValue(r, "version")
	e, ok := h.reg.Lookup(id, version)
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", fmt.Sprintf("guardrail %s version %s is not configured", id, version))
		return
	}
	var req applyRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "ValidationException", fmt.Sprintf("the request body is larger than %d bytes", tooBig.Limit))
			return
		}
		writeError(w, http.StatusBadRequest, "ValidationException", "the request body is not valid JSON: "+err.Error())
		return
	}
	var content []Content
	for i, c := range req.Content {
		switch {
		case c.Text != nil:
			content = append(content, Content{Text: c.Text.Text, Qualifiers: c.Text.Qualifiers})
		case len(c.Image) > 0:
			writeError(w, http.StatusBadRequest, "ValidationException", fmt.Sprintf("content[%d]: image content is not supported by walens guardrails", i))
			return
		default:
			writeError(w, http.StatusBadRequest, "ValidationException", fmt.Sprintf("content[%d] has no text", i))
			return
		}
	}
	if req.OutputScope != "" && req.OutputScope != OutputScopeFull && req.OutputScope != OutputScopeDetect {
		writeError(w, http.StatusBadRequest, "ValidationException", fmt.Sprintf("outputScope must be INTERVENTIONS or FULL, not %q", req.OutputScope))
		return
	}
	src := Source(req.Source)
	resp, err := e.Apply(r.Context(), src, content, ApplyOptions{OutputScope: req.OutputScope})
	if err != nil {
		var in *InputError
		switch {
		case errors.As(err, &in):
			writeError(w, http.StatusBadRequest, "ValidationException", in.Msg)
		case errors.Is(err, r.Context().Err()) && r.Context().Err() != nil:
			// The client went away; nobody reads an answer.
		default:
			h.opts.Logger.Error("guardrail failed", "guardrail", e.ID(), "version", e.Version(), "err", err)
			writeError(w, http.StatusInternalServerError, "InternalServerException", "the guardrail could not be applied")
		}
		return
	}
	rec := e.Audit(h.opts.Now(), src, resp)
	if h.opts.Audit != nil {
		h.opts.Audit(rec)
	}
	h.opts.Logger.Info("guardrail applied", "guardrail", rec.GuardrailID, "version", rec.Version, "source", rec.Source,
		"action", rec.Action, "blocked", rec.Blocked, "findings", len(rec.Findings), "characters", rec.Characters, "latency_ms", rec.LatencyMS)
	writeJSON(w, http.StatusOK, resp)
}

// pathValue returns a path parameter, unescaping it (identifiers may be ARNs, which the SDKs escape).
func pathValue(r *http.Request, name string) string {
	v := r.PathValue(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

func (h *handler) list(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"guardrails": h.reg.List()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalServerException", "could not encode the response")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	w.Write(data)
}

// writeError answers in the AWS REST-JSON error convention the SDKs decode: the error type in a header and the
// body, and a message.
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	data, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	w.Write(data)
}

func requestID() string { return strings.ToLower(rand.Text()) }
