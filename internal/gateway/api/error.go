package api

import "time"

// Error is an OpenAI-style error: {"error":{"message","type","param","code"}}.
type Error struct {
	Status     int
	Type       string
	Message    string
	Param      string
	Code       string
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// Body is the JSON error document.
func (e *Error) Body() any {
	d := errorDetail{Message: e.Message, Type: e.Type}
	if e.Param != "" {
		d.Param = &e.Param
	}
	if e.Code != "" {
		d.Code = &e.Code
	}
	return errorBody{Error: d}
}

// BadRequest is a 400 invalid_request_error about param.
func BadRequest(param, msg string) *Error {
	return &Error{Status: 400, Type: "invalid_request_error", Message: msg, Param: param}
}
