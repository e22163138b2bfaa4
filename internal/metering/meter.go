package metering

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/walens/walens/internal/provider"
)

// Record is one finished request as the gateway saw it.
type Record struct {
	Time                 time.Time
	KeyID, Model, Target string
	Status               int
	Stream               bool
	Latency, TTFT        time.Duration
	Usage                provider.Usage
	CostUSD              float64
}

// Aggregate sums one key's use of one model on one UTC day.
type Aggregate struct {
	Day              string // 2006-01-02, UTC
	KeyID, Model     string
	Requests         int64
	PromptTokens     int64
	CompletionTokens int64
	CachedTokens     int64 // part of PromptTokens served from the provider's prompt cache
	CostUSD          float64
}

// Breaker states for SetBreakerState.
const (
	BreakerClosed   = 0
	BreakerHalfOpen = 1
	BreakerOpen     = 2
)

// Defaults for the aggregate bounds.
const (
	DefaultKeepDays      = 35
	DefaultMaxAggregates = 100_000
	// OverflowKey collects the use of keys that arrive once the aggregate table is full, so that totals stay
	// right even when the per-key split cannot be kept.
	OverflowKey = "(other)"
)

// latencyBuckets span a cached or instant answer (a millisecond) to a long reasoning completion (five minutes).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300}

// Meter exports Prometheus metrics and keeps per key, model and day aggregates. Safe for concurrent use.
//
// The key ID is not a metric label: keys are many and grow with users, which would blow up the series count of
// every scrape. Per-key use lives in the in-memory aggregates instead, bounded in days and in rows.
type Meter struct {
	requests *prometheus.CounterVec
	tokens   *prometheus.CounterVec
	cost     *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ttft     *prometheus.HistogramVec
	breaker  *prometheus.GaugeVec

	keepDays int
	maxAggs  int

	mu     sync.Mutex
	aggs   map[aggKey]*Aggregate
	newest string // latest day seen
}

type aggKey struct{ day, key, model string }

// Option changes a Meter's bounds.
type Option func(*Meter)

// KeepDays keeps aggregates for the n most recent UTC days (default 35, enough for a monthly report).
func KeepDays(n int) Option {
	return func(m *Meter) {
		if n > 0 {
			m.keepDays = n
		}
	}
}

// MaxAggregates caps the number of aggregate rows (default 100,000); use beyond it is summed under OverflowKey.
func MaxAggregates(n int) Option {
	return func(m *Meter) {
		if n > 0 {
			m.maxAggs = n
		}
	}
}

// NewMeter creates a Meter and registers its metrics with reg (nil registers nothing). Registering a second
// Meter with the same registry, as a config reload does, reuses the metrics already registered.
func NewMeter(reg prometheus.Registerer, opts ...Option) *Meter {
	m := &Meter{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walens_gateway_requests_total",
			Help: "Requests finished by the gateway, by upstream model, target and HTTP status.",
		}, []string{"model", "target", "status"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walens_gateway_tokens_total",
			Help: "Tokens reported by upstreams, by model and kind (prompt, completion, cached_prompt; cached_prompt is part of prompt).",
		}, []string{"model", "kind"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walens_gateway_cost_usd_total",
			Help: "Cost of the tokens served, in USD, from the gateway's price table.",
		}, []string{"model"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "walens_gateway_request_duration_seconds",
			Help:    "Time from receiving a request to finishing its response.",
			Buckets: latencyBuckets,
		}, []string{"model", "target"}),
		ttft: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "walens_gateway_time_to_first_token_seconds",
			Help:    "Time from receiving a streaming request to sending its first token.",
			Buckets: latencyBuckets,
		}, []string{"model", "target"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "walens_gateway_breaker_state",
			Help: "Circuit breaker state per target: 0 closed, 1 half-open, 2 open.",
		}, []string{"target"}),
		keepDays: DefaultKeepDays,
		maxAggs:  DefaultMaxAggregates,
		aggs:     make(map[aggKey]*Aggregate),
	}
	for _, o := range opts {
		o(m)
	}
	m.requests = register(reg, m.requests)
	m.tokens = register(reg, m.tokens)
	m.cost = register(reg, m.cost)
	m.latency = register(reg, m.latency)
	m.ttft = register(reg, m.ttft)
	m.breaker = register(reg, m.breaker)
	return m
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		// Any other error is a clash of metric definitions, a defect in this package; the metrics still count,
		// they are just not exported.
	}
	return c
}

// Observe counts a finished request in the metrics and the aggregates.
func (m *Meter) Observe(r Record) {
	u := r.Usage
	prompt, completion := max(u.PromptTokens, 0), max(u.CompletionTokens, 0)
	cached := 0
	if u.PromptTokensDetails != nil {
		cached = min(max(u.PromptTokensDetails.CachedTokens, 0), prompt)
	}
	cost := max(r.CostUSD, 0)

	m.requests.WithLabelValues(r.Model, r.Target, strconv.Itoa(r.Status)).Inc()
	if prompt > 0 {
		m.tokens.WithLabelValues(r.Model, "prompt").Add(float64(prompt))
	}
	if completion > 0 {
		m.tokens.WithLabelValues(r.Model, "completion").Add(float64(completion))
	}
	if cached > 0 {
		m.tokens.WithLabelValues(r.Model, "cached_prompt").Add(float64(cached))
	}
	if cost > 0 {
		m.cost.WithLabelValues(r.Model).Add(cost)
	}
	if r.Latency > 0 {
		m.latency.WithLabelValues(r.Model, r.Target).Observe(r.Latency.Seconds())
	}
	if r.Stream && r.TTFT > 0 {
		m.ttft.WithLabelValues(r.Model, r.Target).Observe(r.TTFT.Seconds())
	}

	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	day := t.UTC().Format(time.DateOnly)
	m.mu.Lock()
	defer m.mu.Unlock()
	if day > m.newest {
		m.newest = day
		m.prune()
	}
	if day < m.oldestKept() {
		return // older than the retention window: still in the metrics, not in the daily table
	}
	k := aggKey{day, r.KeyID, r.Model}
	a := m.aggs[k]
	if a == nil {
		if len(m.aggs) >= m.maxAggs {
			k.key = OverflowKey
			a = m.aggs[k]
		}
		if a == nil {
			a = &Aggregate{Day: day, KeyID: k.key, Model: r.Model}
			m.aggs[k] = a
		}
	}
	a.Requests++
	a.PromptTokens += int64(prompt)
	a.CompletionTokens += int64(completion)
	a.CachedTokens += int64(cached)
	a.CostUSD += cost
}

// oldestKept is the first day within the retention window ending on the newest day.
func (m *Meter) oldestKept() string {
	t, err := time.Parse(time.DateOnly, m.newest)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -(m.keepDays - 1)).Format(time.DateOnly)
}

func (m *Meter) prune() {
	oldest := m.oldestKept()
	for k := range m.aggs {
		if k.day < oldest {
			delete(m.aggs, k)
		}
	}
}

// Aggregates returns a copy of the aggregates, ordered by day, key and model.
func (m *Meter) Aggregates() []Aggregate {
	m.mu.Lock()
	out := make([]Aggregate, 0, len(m.aggs))
	for _, a := range m.aggs {
		out = append(out, *a)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Aggregate) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.KeyID, b.KeyID), cmp.Compare(a.Model, b.Model))
	})
	return out
}

// SetBreakerState exports a target's circuit breaker state: 0 closed, 1 half-open, 2 open.
func (m *Meter) SetBreakerState(target string, state int) {
	m.breaker.WithLabelValues(target).Set(float64(state))
}
