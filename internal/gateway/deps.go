package gateway

import (
	"context"
	"encoding/json"
	"time"

	"github.com/walens/walens/internal/provider"
)

// The gateway consumes internal/limit, internal/metering and internal/audit through these narrow interfaces, so
// that each stage can be switched off (a nil value) and tests can observe what the gateway hands them.

// Limits are one key's limits, as internal/limit takes them.
type Limits struct {
	RequestsPerMinute int
	TokensPerMinute   int
	DailyBudgetUSD    float64
	MonthlyBudgetUSD  float64
}

// Decision is a limiter's answer.
type Decision struct {
	Allowed    bool
	Reason     string
	RetryAfter time.Duration
}

// Limiter admits requests and records what they used.
type Limiter interface {
	Admit(ctx context.Context, key string, l Limits, now time.Time) (Decision, error)
	Record(ctx context.Context, key string, tokens int, costUSD float64, now time.Time) error
}

// MeterRecord is one finished request for metering.
type MeterRecord struct {
	Time                 time.Time
	KeyID, Model, Target string
	Status               int
	Stream               bool
	Latency, TTFT        time.Duration
	Usage                provider.Usage
	CostUSD              float64
}

// Meter counts requests, tokens and cost, and exports breaker states.
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
