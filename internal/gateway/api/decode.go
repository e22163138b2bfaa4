// Package api decodes and checks the requests of the gateway's OpenAI-compatible API and describes its errors.
// Everything here reads untrusted input: every failure is a 4xx Error naming the field at fault, never a panic.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/walens/walens/internal/provider"
)

// ReadBody reads a request body up to limit bytes; a larger body is 413.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *Error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Message: fmt.Sprintf("the request body is larger than %d bytes", limit), Code: "request_too_large"}
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return nil, &Error{Status: http.StatusRequestTimeout, Type: "invalid_request_error", Message: "the request body did not arrive in time", Code: "request_timeout"}
		}
		return nil, BadRequest("", "could not read the request body")
	}
	return body, nil
}

// jsonError turns a decoding error into a 400 that names the field at fault, without echoing the body.
func jsonError(err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return BadRequest("", fmt.Sprintf("the request body is not valid JSON (at byte %d)", se.Offset))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return BadRequest("", "the request body must be a JSON object")
		}
		return BadRequest(field, fmt.Sprintf("%s: expected %s but found a JSON %s", field, jsonKind(te.Type.Kind().String()), te.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return BadRequest("", "the request body is truncated JSON")
	default:
		msg := err.Error()
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return BadRequest("", "invalid request: "+strings.TrimPrefix(msg, "json: "))
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "a boolean"
	case "ptr", "interface":
		return "a value"
	default:
		return "a number"
	}
}

var roles = map[string]bool{"system": true, "developer": true, "user": true, "assistant": true, "tool": true, "function": true}

// DecodeChat decodes and checks a chat-completions request. Every error is a 4xx naming the field.
func DecodeChat(body []byte) (*provider.ChatRequest, *Error) {
	if len(body) == 0 {
		return nil, BadRequest("", "the request body is empty; send a JSON chat completion request")
	}
	var req provider.ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, jsonError(err)
	}
	if req.Model == "" {
		return nil, BadRequest("model", "model is required")
	}
	if len(req.Messages) == 0 {
		return nil, BadRequest("messages", "messages must hold at least one message")
	}
	for i, m := range req.Messages {
		if !roles[m.Role] {
			return nil, BadRequest(fmt.Sprintf("messages[%d].role", i), fmt.Sprintf("messages[%d].role must be system, developer, user, assistant or tool, not %q", i, Truncate(m.Role, 40)))
		}
	}
	if n, ok := req.Limit(); ok && n < 1 {
		return nil, BadRequest("max_tokens", "max_tokens must be at least 1")
	}
	if req.N != nil && (*req.N < 1 || *req.N > 16) {
		return nil, BadRequest("n", "n must be between 1 and 16")
	}
	if req.StreamOptions != nil && !req.Stream {
		return nil, BadRequest("stream_options", "stream_options is only allowed when stream is true")
	}
	for i, t := range req.Tools {
		if t.Function.Name == "" {
			return nil, BadRequest(fmt.Sprintf("tools[%d].function.name", i), fmt.Sprintf("tools[%d].function.name is required", i))
		}
	}
	return &req, nil
}

// DecodeEmbeddings decodes and checks an embeddings request.
func DecodeEmbeddings(body []byte) (*provider.EmbeddingRequest, *Error) {
	if len(body) == 0 {
		return nil, BadRequest("", "the request body is empty; send a JSON embeddings request")
	}
	var req provider.EmbeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, jsonError(err)
	}
	if req.Model == "" {
		return nil, BadRequest("model", "model is required")
	}
	if req.Input.Len() == 0 {
		return nil, BadRequest("input", "input must not be empty")
	}
	if req.Input.Len() > 2048 {
		return nil, BadRequest("input", "input holds more than 2048 items")
	}
	switch req.EncodingFormat {
	case "", "float", "base64":
	default:
		return nil, BadRequest("encoding_format", fmt.Sprintf("encoding_format must be float or base64, not %q", Truncate(req.EncodingFormat, 40)))
	}
	if req.Dimensions != nil && *req.Dimensions < 1 {
		return nil, BadRequest("dimensions", "dimensions must be at least 1")
	}
	return &req, nil
}

// Truncate shortens s to n bytes for messages that quote client input.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
