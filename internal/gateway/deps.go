package gateway

import (
	"encoding/json"
	"time"

	"github.com/walens/walens/internal/limit"
	"github.com/walens/walens/internal/metering"
	"github.com/walens/walens/internal/provider"
)

// The gateway consumes internal/limit, internal/metering and internal/audit through these narrow interfaces, so
// that each stage can be switched off (a nil value) and tests can observe what the gateway hands them.

// Limits, Decision and Limiter are internal/limit's.
type (
	Limits   = limit.Limits
	Decision = limit.Decision
	Limiter  = limit.Limiter
)

// MeterRecord is internal/metering's record of one finished request.
type MeterRecord = metering.Record

// Meter counts requests, tokens and cost, and exports breaker states; *metering.Meter implements it.
type Meter interface {
	Observe(r MeterRecord)
	SetBreakerState(target string, state int)
}

// AuditRecord is one request's audit record.
type AuditRecord struct {
	Time                            time.Time
	RequestID, KeyID, Model, Target string
	Status                          int
	ErrorCode                       string
	LatencyMS, TTFTMS               float64
	PromptTokens, CompletionTokens  int
	CostUSD                         float64
	Fallback                        []string
	Stream                          bool
	Guardrails                      json.RawMessage
}

// CaptureEvent is one captured request and response pair.
type CaptureEvent struct {
	EventID       string
	InferenceTime time.Time
	Input, Output []byte
}

// Auditor keeps audit records and captured payloads; neither call may block the request.
type Auditor interface {
	Write(r AuditRecord)
	Capture(c CaptureEvent)
}

// Pricer prices usage of an upstream model.
type Pricer func(model string, u provider.Usage) (usd float64, known bool)
