package bedrock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/walens/walens/internal/provider"
)

// awsError is the body of a Bedrock error response or of an exception frame. The service writes "message"; some
// front ends write "Message".
type awsError struct {
	Type     string `json:"__type"`
	Message  string `json:"message"`
	MessageC string `json:"Message"`
}

func (e awsError) text() string {
	if e.Message != "" {
		return e.Message
	}
	return e.MessageC
}

// errorType normalises an AWS error type: the x-amzn-ErrorType header may carry a ":uri" suffix and a __type field
// a "namespace#" prefix; exception frames use lower camel case ("throttlingException").
func errorType(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// httpError classifies a non-2xx response.
func httpError(resp *http.Response, body []byte, now time.Time) *provider.Error {
	var ae awsError
	_ = json.Unmarshal(body, &ae)
	typ := errorType(resp.Header.Get("X-Amzn-Errortype"))
	if typ == "" {
		typ = errorType(ae.Type)
	}
	e := classify(resp.StatusCode, typ, ae.text())
	e.RetryAfter = provider.RetryAfterHeader(resp.Header, now)
	return e
}

// exceptionStatus is the HTTP status AWS documents for each ConverseStream exception. modelStreamErrorException is
// documented as 424; it is a failure of the model rather than of the request, so it is reported as 502 for the
// router to treat it like any other upstream fault.
var exceptionStatus = map[string]int{
	"ThrottlingException":         http.StatusTooManyRequests,
	"ValidationException":         http.StatusBadRequest,
	"InternalServerException":     http.StatusInternalServerError,
	"ServiceUnavailableException": http.StatusServiceUnavailable,
	"ModelStreamErrorException":   http.StatusBadGateway,
	"ModelTimeoutException":       http.StatusRequestTimeout,
	"ModelNotReadyException":      http.StatusTooManyRequests,
	"ModelErrorException":         http.StatusFailedDependency,
	"AccessDeniedException":       http.StatusForbidden,
	"ResourceNotFoundException":   http.StatusNotFound,
}

// streamError classifies an exception (or error) frame received after the HTTP 200.
func streamError(typ, msg string) *provider.Error {
	typ = errorType(typ)
	status, ok := exceptionStatus[typ]
	if !ok {
		status = http.StatusBadGateway
	}
	return classify(status, typ, msg)
}

// contextLengthHints are phrases Bedrock's model adapters use when the prompt does not fit the context window.
var contextLengthHints = []string{
	"too many input tokens",
	"input is too long",
	"prompt is too long",
	"context window",
	"context length",
	"maximum context",
	"too many tokens",
	"exceeds the maximum number of tokens",
	"input token count",
}

func isContextLength(msg string) bool {
	m := strings.ToLower(msg)
	for _, h := range contextLengthHints {
		if strings.Contains(m, h) {
			return true
		}
	}
	return false
}

// classify maps an AWS error type and HTTP status to the contract's codes. The upstream message only goes into
// Err (for logs); the client-facing Message is ours, plus, for validation errors, a sanitised first sentence of the
// upstream text so that a client can fix its request.
func classify(status int, typ, msg string) *provider.Error {
	e := &provider.Error{Status: status, Err: upstreamErr(typ, msg)}
	switch {
	case typ == "ThrottlingException" || status == http.StatusTooManyRequests && typ != "ModelNotReadyException":
		e.Code, e.Message = provider.CodeRateLimited, "the upstream rate limit was reached"
	case typ == "ModelTimeoutException":
		e.Code, e.Message = provider.CodeTimeout, "the upstream model timed out"
	case typ == "ValidationException" && isContextLength(msg):
		e.Code, e.Message = provider.CodeContextLength, "the request exceeds the model's context window"
	case typ == "AccessDeniedException" || typ == "UnrecognizedClientException" || typ == "ExpiredTokenException" ||
		typ == "InvalidSignatureException" || typ == "IncompleteSignatureException" || typ == "MissingAuthenticationTokenException" ||
		status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Code, e.Message = provider.CodeAuth, "the upstream rejected the gateway's credentials"
	case typ == "ModelNotReadyException" || typ == "ServiceUnavailableException" || typ == "InternalServerException" ||
		typ == "ModelStreamErrorException" || typ == "ModelErrorException" || status >= 500:
		e.Code, e.Message = provider.CodeUpstream, "the upstream failed to serve the request"
		if e.Status < 500 && e.Status != http.StatusTooManyRequests {
			// The router retries 5xx; these are all faults of the service or the model, whatever status AWS uses.
			e.Status = http.StatusServiceUnavailable
		}
	case typ == "ResourceNotFoundException" || status == http.StatusNotFound:
		e.Code, e.Message = provider.CodeBadRequest, "the upstream does not know the model in this region"
	case typ == "ValidationException" || status/100 == 4:
		e.Code, e.Message = provider.CodeBadRequest, "the upstream rejected the request as invalid"+safeSentence(msg)
	default:
		e.Code, e.Message = provider.CodeUpstream, "the upstream returned an unexpected error"
	}
	return e
}

func upstreamErr(typ, msg string) error {
	if typ == "" {
		typ = "error"
	}
	if len(msg) > 1024 {
		msg = msg[:1024]
	}
	return fmt.Errorf("bedrock %s: %s", typ, msg)
}

// sensitive matches ARNs, account IDs and anything that looks like a key, none of which may reach a client.
var sensitive = regexp.MustCompile(`arn:|\b\d{12}\b|\b(AKIA|ASIA)[A-Z0-9]{12,}|assumed-role|https?://`)

// safeSentence returns ": " and the first sentence of an upstream validation message when it is short and carries
// nothing that identifies the gateway's account, else "".
func safeSentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.IndexAny(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.Index(msg, ". "); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSuffix(msg, ".")
	if msg == "" || len(msg) > 200 || sensitive.MatchString(msg) {
		return ""
	}
	return ": " + msg
}

// upstreamName names Bedrock in transport error messages.
const upstreamName = "Bedrock"

func badRequest(format string, args ...any) *provider.Error {
	msg := fmt.Sprintf(format, args...)
	return &provider.Error{Status: http.StatusBadRequest, Code: provider.CodeBadRequest, Message: msg, Err: errors.New(msg)}
}

func malformed(status int, msg string, err error) *provider.Error {
	return &provider.Error{Status: status, Code: provider.CodeMalformed, Message: msg, Err: err}
}
