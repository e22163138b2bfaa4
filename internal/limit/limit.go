// Package limit enforces per-key request rates, token rates and spend budgets for the gateway, either in process
// (Memory) or in Redis (Redis) so that several gateway replicas share one set of counters.
//
// # Windows
//
// Requests per minute and tokens per minute are sliding windows kept as 61 one-second buckets. A request is
// admitted while the buckets of the last 61 whole seconds (the current second and the 60 before it) hold less
// than the limit. Those buckets always cover the true window (now-60s, now], so the limiter never admits more
// than the limit in any 60-second interval; the price is that it may refuse early by up to one second's worth of
// traffic, the part of the oldest bucket that lies outside the window. Retry-After is the time at which enough
// old buckets leave the window to give headroom, exact to that one-second granularity.
//
// A sliding log would be exact but holds one entry per request (a 10,000 RPM key holds 10,000 timestamps, and
// in Redis a sorted set of that size per key); the two-bucket sliding-window estimate is O(1) but assumes uniform
// traffic and can admit more than the limit in a burst; GCRA admits a burst of the limit and then the steady
// rate, which lets up to nearly twice the limit through in some 60-second interval. Sixty-one buckets keep memory
// and Redis work fixed per key and keep "never more than the limit per minute" true.
//
// # Budgets
//
// Daily and monthly budgets are sums of recorded cost in the current UTC calendar day and month, kept in
// nano-dollars as integers so that sums do not drift. A request is admitted while the spend is below the budget;
// a refused request may retry when the period ends (midnight UTC, or the first of the next month).
//
// # Known overshoot
//
// Tokens and cost are known only after a response, when Record is called; Admit sees what finished requests have
// recorded. Requests admitted concurrently, while earlier ones are still in flight, are not yet counted, so
// concurrent requests can overshoot the tokens-per-minute limit and the budgets by the tokens and cost of the
// requests in flight. The requests-per-minute limit has no such overshoot: Admit counts the request atomically.
//
// Both implementations take the time from the caller; replicas sharing Redis should keep their clocks in sync
// (NTP), since a replica whose clock runs ahead counts its requests in buckets the others see as future ones.
package limit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Limits are one key's limits. A zero field means unlimited.
type Limits struct {
	RequestsPerMinute int     // 0 = unlimited
	TokensPerMinute   int     // 0 = unlimited; counts prompt+completion tokens recorded in the current window
	DailyBudgetUSD    float64 // 0 = unlimited; UTC day
	MonthlyBudgetUSD  float64 // 0 = unlimited; UTC month
}

// Reasons a request is refused.
const (
	ReasonRequestsPerMinute = "requests_per_minute"
	ReasonTokensPerMinute   = "tokens_per_minute"
	ReasonDailyBudget       = "daily_budget"
	ReasonMonthlyBudget     = "monthly_budget"
)

// Decision is the answer to Admit.
type Decision struct {
	Allowed bool
	// Reason names the limit that refused the request. When several limits are exhausted it is the one that
	// frees last, since retrying before then is pointless.
	Reason string // "requests_per_minute" | "tokens_per_minute" | "daily_budget" | "monthly_budget"
	// RetryAfter is how long until the blocking window frees up (at least one second when refused).
	RetryAfter time.Duration
}

// Limiter admits requests and records what they used. Implementations are safe for concurrent use.
type Limiter interface {
	// Admit counts one request against key if every limit has headroom, else returns Allowed=false.
	Admit(ctx context.Context, key string, l Limits, now time.Time) (Decision, error)
	// Record adds the tokens and cost of a finished request.
	Record(ctx context.Context, key string, tokens int, costUSD float64, now time.Time) error
}

const (
	// windowSeconds is the length of the sliding window; buckets is how many one-second buckets cover it.
	windowSeconds = 60
	buckets       = windowSeconds + 1
	nanoPerUSD    = 1e9
)

// validate checks limits before they are used, naming the field at fault.
func validate(key string, l Limits) error {
	if key == "" {
		return errors.New("limit: empty key")
	}
	switch {
	case l.RequestsPerMinute < 0:
		return fmt.Errorf("limit: RequestsPerMinute is negative (%d)", l.RequestsPerMinute)
	case l.TokensPerMinute < 0:
		return fmt.Errorf("limit: TokensPerMinute is negative (%d)", l.TokensPerMinute)
	case l.DailyBudgetUSD < 0 || math.IsNaN(l.DailyBudgetUSD) || math.IsInf(l.DailyBudgetUSD, 0):
		return fmt.Errorf("limit: DailyBudgetUSD is not a non-negative number (%v)", l.DailyBudgetUSD)
	case l.MonthlyBudgetUSD < 0 || math.IsNaN(l.MonthlyBudgetUSD) || math.IsInf(l.MonthlyBudgetUSD, 0):
		return fmt.Errorf("limit: MonthlyBudgetUSD is not a non-negative number (%v)", l.MonthlyBudgetUSD)
	}
	return nil
}

func validateRecord(key string, tokens int, costUSD float64) error {
	if key == "" {
		return errors.New("limit: empty key")
	}
	if tokens < 0 {
		return fmt.Errorf("limit: tokens is negative (%d)", tokens)
	}
	if costUSD < 0 || math.IsNaN(costUSD) || math.IsInf(costUSD, 0) {
		return fmt.Errorf("limit: costUSD is not a non-negative number (%v)", costUSD)
	}
	return nil
}

// nanoUSD converts dollars to whole nano-dollars, saturating far above any real budget.
func nanoUSD(usd float64) int64 {
	n := math.Round(usd * nanoPerUSD)
	if n >= math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(n)
}

// Calendar periods in UTC: a day number (days since the Unix epoch) and a month number (months since year 0).
func dayOf(t time.Time) int64 { return floorDiv(t.Unix(), 86400) }

func monthOf(t time.Time) int64 {
	u := t.UTC()
	return int64(u.Year())*12 + int64(u.Month()) - 1
}

func dayEnd(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)
}

func monthEnd(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month()+1, 1, 0, 0, 0, 0, time.UTC)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// until is the wait from now to the whole second free (a Unix time), at least one second so that a client
// honouring Retry-After in whole seconds does not retry into the same refusal.
func until(now time.Time, free time.Time) time.Duration {
	d := free.Sub(now)
	if d < time.Second {
		d = time.Second
	}
	return d
}

// verdict collects the limits that refuse a request and keeps the one that frees last.
type verdict struct{ d Decision }

func (v *verdict) block(reason string, retry time.Duration) {
	if v.d.Reason == "" || retry > v.d.RetryAfter {
		v.d.Reason, v.d.RetryAfter = reason, retry
	}
}

func (v *verdict) decision() Decision {
	v.d.Allowed = v.d.Reason == ""
	return v.d
}
