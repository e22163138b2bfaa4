package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/walens/walens/internal/provider"
)

// apiError is the error object of OpenAI ({"error":{...}}) and, at the top level, of vLLM ({"object":"error",...}).
// code is a string for OpenAI and a number for vLLM.
type apiError struct {
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Code    json.RawMessage `json:"code"`
}

func (e apiError) code() string {
	var s string
	if json.Unmarshal(e.Code, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(e.Code))
}

// parseError reads an error body in any of the shapes compatible servers use: {"error":{...}} (OpenAI, vLLM's
// newer versions), {"error":"text"} (Ollama) or the error fields at the top level (vLLM).
func parseError(body []byte) apiError {
	var env struct {
		Error json.RawMessage `json:"error"`
		apiError
	}
	if json.Unmarshal(body, &env) != nil {
		return apiError{}
	}
	return errorObject(env.Error, env.apiError)
}

// errorObject decodes the value of an "error" member, falling back to top-level fields.
func errorObject(raw json.RawMessage, top apiError) apiError {
	var e apiError
	if json.Unmarshal(raw, &e) == nil && (e.Message != "" || e.Type != "" || len(e.Code) > 0) {
		return e
	}
	var text string
	if json.Unmarshal(raw, &text) == nil && text != "" {
		return apiError{Message: text}
	}
	return top
}

// httpError classifies a non-2xx response. The upstream's own words go into Err for logs only.
func httpError(status int, body []byte) *provider.Error {
	return classify(status, parseError(body))
}

// bodyError classifies an error object that arrived where a result was expected (in a 200 body or in a stream).
// There is no HTTP status to go by, so one is inferred from the error's code or type: the router decides on
// retrying by status.
func bodyError(fallback int, raw json.RawMessage) *provider.Error {
	e := errorObject(raw, apiError{})
	status := fallback
	if n, err := strconv.Atoi(e.code()); err == nil && n >= 400 && n <= 599 {
		status = n
	} else {
		switch strings.ToLower(e.Type) {
		case "rate_limit_exceeded", "rate_limit_error", "too_many_requests":
			status = http.StatusTooManyRequests
		case "invalid_request_error", "badrequesterror", "bad_request":
			status = http.StatusBadRequest
		case "authentication_error", "invalid_api_key":
			status = http.StatusUnauthorized
		case "overloaded_error", "overloaded", "service_unavailable":
			status = http.StatusServiceUnavailable
		case "server_error", "internal_server_error", "api_error":
			status = http.StatusInternalServerError
		}
	}
	return classify(status, e)
}

// classify maps a status and error object to the router's vocabulary with a message safe to show to clients.
func classify(status int, e apiError) *provider.Error {
	code, msg := e.code(), strings.ToLower(e.Message)
	pe := &provider.Error{Status: status, Err: upstreamSaid(status, e)}
	switch {
	case code == "context_length_exceeded" || strings.Contains(msg, "maximum context length") ||
		strings.Contains(msg, "context window") || strings.Contains(msg, "context length"):
		pe.Code, pe.Message = provider.CodeContextLength, "the request exceeds the model's context window"
	case code == "content_filter" || code == "content_policy_violation":
		pe.Code, pe.Message = provider.CodeContentFiltered, "the upstream's content filter refused the request"
	default:
		pe.Code, pe.Message = provider.ClassifyStatus(status)
	}
	return pe
}

// upstreamSaid keeps the upstream's description for logs, shortened: it may quote the prompt.
func upstreamSaid(status int, e apiError) error {
	msg := e.Message
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "..."
	}
	return fmt.Errorf("upstream status %d, type %q, code %q: %s", status, e.Type, e.code(), msg)
}
