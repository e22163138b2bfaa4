package gateway

import (
	"github.com/walens/walens/internal/audit"

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

// AuditRecord and CaptureEvent are internal/audit's.
type (
	AuditRecord  = audit.Record
	CaptureEvent = audit.CaptureEvent
)

// Auditor keeps audit records and captured payloads; neither call may block the request.
type Auditor interface {
	Write(r AuditRecord)
	Capture(c CaptureEvent)
}

// Pricer prices usage of an upstream model.
type Pricer func(model string, u provider.Usage) (usd float64, known bool)
