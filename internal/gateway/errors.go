package gateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/walens/walens/internal/gateway/api"
	"github.com/walens/walens/internal/provider"
)

type apiError = api.Error

func writeAPIError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		secs := int((e.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	writeJSON(w, e.Status, e.Body())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"message":"internal error","type":"server_error","param":null,"code":null}}`)
	}
	writeBody(w, status, b)
}

// writeBody writes a whole JSON answer, with a trailing newline, and flushes it. The handlers meter, audit and log
// a request after answering it (in a deferred finish); without the flush, net/http would hold the answer in its
// buffer until the handler returned, and the client would wait for that bookkeeping too.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
	// An error here means the client left; finish still records the request as answered upstream.
	_ = http.NewResponseController(w).Flush()
}

// upstreamError maps a routing failure to what the client sees: a status and a short message chosen by the
// gateway. Upstream bodies and internal details never reach the client.
func upstreamError(err error) *apiError {
	code := errorCode(err)
	var af *allFailed
	all := errors.As(err, &af)
	switch {
	case code == provider.CodeBadRequest:
		msg := "the upstream model rejected the request"
		var pe *provider.Error
		if errors.As(err, &pe) && pe.Message != "" {
			msg = pe.Message // providers keep Message client-safe
		}
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: msg, Code: code}
	case code == provider.CodeContextLength:
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "the request is longer than the model's context window", Code: code}
	case code == provider.CodeContentFiltered:
		return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "the upstream model's content filter refused the request", Code: code}
	case code == "no_target":
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Message: "no upstream target is available for this model; try again later", Code: "upstream_unavailable", RetryAfter: 5 * time.Second}
	case code == provider.CodeTimeout:
		return &apiError{Status: http.StatusGatewayTimeout, Type: "server_error", Message: "the upstream model did not answer in time", Code: "upstream_timeout"}
	case code == "client_cancelled":
		return &apiError{Status: 499, Type: "server_error", Message: "the client closed the request", Code: code}
	case all && code == provider.CodeRateLimited:
		return &apiError{Status: http.StatusServiceUnavailable, Type: "server_error", Message: "every upstream target is rate limited; try again later", Code: "upstream_rate_limited", RetryAfter: 5 * time.Second}
	default:
		return &apiError{Status: http.StatusBadGateway, Type: "server_error", Message: "the upstream model failed to answer", Code: "upstream_error"}
	}
}
