package anthropic

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/walens/walens/internal/provider"
)

// errorBody is {"type":"error","error":{"type":"overloaded_error","message":"..."}}, the body of an error response
// and the data of an error event.
type errorBody struct {
	Error apiError `json:"error"`
}

type apiError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// statusOverloaded is Anthropic's status for a temporarily overloaded API.
const statusOverloaded = 529

// typeStatus is the HTTP status Anthropic documents for each error type, used for errors that arrive after the 200
// (error events) so that the router can judge them by status like any other.
var typeStatus = map[string]int{
	"invalid_request_error": http.StatusBadRequest,
	"authentication_error":  http.StatusUnauthorized,
	"billing_error":         http.StatusPaymentRequired,
	"permission_error":      http.StatusForbidden,
	"not_found_error":       http.StatusNotFound,
	"request_too_large":     http.StatusRequestEntityTooLarge,
	"rate_limit_error":      http.StatusTooManyRequests,
	"api_error":             http.StatusInternalServerError,
	"timeout_error":         http.StatusGatewayTimeout,
	"overloaded_error":      statusOverloaded,
}

func httpError(status int, body []byte) *provider.Error {
	var eb errorBody
	_ = json.Unmarshal(body, &eb)
	return classify(status, eb.Error)
}

// eventError classifies an error event received after the HTTP 200, inferring the status from the error type.
func eventError(e apiError) *provider.Error {
	status, ok := typeStatus[e.Type]
	if !ok {
		status = http.StatusInternalServerError
	}
	return classify(status, e)
}

func classify(status int, e apiError) *provider.Error {
	msg := strings.ToLower(e.Message)
	pe := &provider.Error{Status: status, Err: upstreamSaid(status, e)}
	switch {
	case status == http.StatusBadRequest && (strings.Contains(msg, "prompt is too long") ||
		strings.Contains(msg, "context limit") || strings.Contains(msg, "context window")):
		pe.Code, pe.Message = provider.CodeContextLength, "the request exceeds the model's context window"
	case status == statusOverloaded:
		pe.Code, pe.Message = provider.CodeUpstream, "the upstream is overloaded"
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
	return fmt.Errorf("upstream status %d, type %q: %s", status, e.Type, msg)
}
