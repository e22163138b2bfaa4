package audit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// appendRecord appends r as one JSON object and a newline. It writes what json.Marshal would for Record's tags
// (times in UTC, no HTML escaping), without reflection: Write runs on every request, and this costs a fraction of
// json.Marshal. guardrailsOK is false when r.Guardrails is not valid JSON; it is then left out.
func appendRecord(b []byte, r *Record) (out []byte, guardrailsOK bool) {
	b = append(b, `{"time":"`...)
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","request_id":`...)
	b = appendString(b, r.RequestID)
	b = appendStringField(b, "key_id", r.KeyID)
	b = appendStringField(b, "model", r.Model)
	b = appendStringField(b, "target", r.Target)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = appendStringField(b, "error_code", r.ErrorCode)
	b = append(b, `,"latency_ms":`...)
	b = appendFloat(b, r.LatencyMS)
	if r.TTFTMS != 0 && !math.IsNaN(r.TTFTMS) && !math.IsInf(r.TTFTMS, 0) {
		b = append(b, `,"ttft_ms":`...)
		b = appendFloat(b, r.TTFTMS)
	}
	b = append(b, `,"prompt_tokens":`...)
	b = strconv.AppendInt(b, int64(r.PromptTokens), 10)
	b = append(b, `,"completion_tokens":`...)
	b = strconv.AppendInt(b, int64(r.CompletionTokens), 10)
	b = append(b, `,"cost_usd":`...)
	b = appendFloat(b, r.CostUSD)
	if len(r.Fallback) > 0 {
		b = append(b, `,"fallback":[`...)
		for i, f := range r.Fallback {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f)
		}
		b = append(b, ']')
	}
	b = append(b, `,"stream":`...)
	b = strconv.AppendBool(b, r.Stream)
	guardrailsOK = true
	if len(r.Guardrails) > 0 {
		// Compacting also validates, and keeps a pretty-printed value on one line as JSON Lines requires.
		var c bytes.Buffer
		if err := json.Compact(&c, r.Guardrails); err != nil {
			guardrailsOK = false
		} else {
			b = append(b, `,"guardrails":`...)
			b = append(b, c.Bytes()...)
		}
	}
	return append(b, '}', '\n'), guardrailsOK
}

func appendStringField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does, minus HTML escaping: invalid UTF-8 becomes
// U+FFFD, and U+2028 and U+2029 are escaped so that the line is also valid JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFloat formats like encoding/json. JSON has no NaN or infinity; they are written as 0 rather than making
// the whole record unreadable.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendCapture appends one SageMaker data-capture record and a newline, as json.Marshal would write
// sagemaker.CaptureRecord, without reflection: capture bodies run to many kilobytes.
func appendCapture(b []byte, c *CaptureEvent) []byte {
	b = append(b, `{"captureData":{"endpointInput":`...)
	b = appendPayload(b, c.Input, "INPUT", c.InputEncoding, c.InputContentType)
	if len(c.Output) > 0 {
		b = append(b, `,"endpointOutput":`...)
		b = appendPayload(b, c.Output, "OUTPUT", c.OutputEncoding, c.OutputContentType)
	}
	b = append(b, `},"eventMetadata":{"eventId":`...)
	b = appendString(b, c.EventID)
	if c.InferenceID != "" {
		b = append(b, `,"inferenceId":`...)
		b = appendString(b, c.InferenceID)
	}
	b = append(b, `,"inferenceTime":"`...)
	b = c.InferenceTime.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, `"},"eventVersion":"0"}`+"\n"...)
}

func appendPayload(b, body []byte, mode, encoding, contentType string) []byte {
	if contentType == "" {
		contentType = "application/json"
	}
	if encoding == "" {
		encoding = sagemaker.EncodingBase64
		if json.Valid(body) {
			encoding = sagemaker.EncodingJSON
		}
	}
	b = append(b, `{"observedContentType":`...)
	b = appendString(b, contentType)
	b = append(b, `,"mode":"`...)
	b = append(b, mode...)
	b = append(b, `","data":`...)
	if encoding == sagemaker.EncodingBase64 {
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, body)
		b = append(b, '"')
	} else {
		b = appendString(b, string(body))
	}
	b = append(b, `,"encoding":`...)
	b = appendString(b, encoding)
	return append(b, '}')
}
