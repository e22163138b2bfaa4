package limit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

const (
	shardCount = 64
	// sweepEvery is how often (in seconds of the callers' clock) a shard looks for idle keys.
	sweepEvery = 60
)

// Memory is an in-process Limiter. Keys are spread over shards, each with its own mutex, so unrelated keys do not
// contend. Memory stays bounded: a key idle for longer than the window loses its buckets, and is forgotten once
// it has no spend in the current UTC day and month. Idle keys are swept lazily by the calls themselves, so Memory
// starts no goroutine and needs no Close.
type Memory struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

type shard struct {
	mu        sync.Mutex
	keys      map[string]*entry
	lastSweep int64
}

type entry struct {
	lastSec  int64
	requests *window // nil while idle
	tokens   *window
	day      int64
	dayNano  int64
	month    int64
	monNano  int64
}

// window is a ring of one-second buckets indexed by Unix second modulo buckets.
type window struct {
	sec [buckets]int64
	n   [buckets]int64
}

// NewMemory returns an empty in-process limiter.
func NewMemory() *Memory {
	m := &Memory{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].keys = make(map[string]*entry)
	}
	return m
}

var _ Limiter = (*Memory)(nil)

func slot(sec int64) int { return int(((sec % buckets) + buckets) % buckets) }

func (w *window) add(sec, n int64) {
	i := slot(sec)
	switch {
	case w.sec[i] == sec:
		w.n[i] += n
	case w.sec[i] < sec:
		w.sec[i], w.n[i] = sec, n
	default:
		// The slot holds a second at least a whole window newer: this one has already left the window.
	}
}

// sum counts the buckets that may hold part of the window ending now. Buckets from seconds after now (another
// caller's clock ran slightly ahead) are counted too, to stay on the safe side.
func (w *window) sum(sec int64) int64 {
	var total int64
	for i := range w.sec {
		if w.sec[i] >= sec-windowSeconds && w.n[i] != 0 {
			total += w.n[i]
		}
	}
	return total
}

// free returns the Unix second from which the window holds less than limit, given it now holds total.
func (w *window) free(sec, total, limit int64) int64 {
	need := total - limit + 1
	for s := sec - windowSeconds; s <= sec; s++ {
		i := slot(s)
		if w.sec[i] == s {
			need -= w.n[i]
			if need <= 0 {
				return s + buckets
			}
		}
	}
	// Only buckets ahead of now remain: they free a full window after now at the latest.
	return sec + buckets
}

func (m *Memory) shard(key string) *shard {
	return &m.shards[maphash.String(m.seed, key)%shardCount]
}

// Admit counts one request against key if every limit has headroom.
func (m *Memory) Admit(ctx context.Context, key string, l Limits, now time.Time) (Decision, error) {
	if err := validate(key, l); err != nil {
		return Decision{}, err
	}
	sec := now.Unix()
	sh := m.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sweep(sec)
	e := sh.entry(key, sec)
	e.periods(now)

	var v verdict
	if l.RequestsPerMinute > 0 {
		if n := e.requests.sum(sec); n >= int64(l.RequestsPerMinute) {
			v.block(ReasonRequestsPerMinute, until(now, time.Unix(e.requests.free(sec, n, int64(l.RequestsPerMinute)), 0)))
		}
	}
	if l.TokensPerMinute > 0 {
		if n := e.tokens.sum(sec); n >= int64(l.TokensPerMinute) {
			v.block(ReasonTokensPerMinute, until(now, time.Unix(e.tokens.free(sec, n, int64(l.TokensPerMinute)), 0)))
		}
	}
	if l.DailyBudgetUSD > 0 && e.dayNano >= nanoUSD(l.DailyBudgetUSD) {
		v.block(ReasonDailyBudget, until(now, dayEnd(now)))
	}
	if l.MonthlyBudgetUSD > 0 && e.monNano >= nanoUSD(l.MonthlyBudgetUSD) {
		v.block(ReasonMonthlyBudget, until(now, monthEnd(now)))
	}
	d := v.decision()
	if d.Allowed {
		e.requests.add(sec, 1)
	}
	return d, nil
}

// Record adds the tokens and cost of a finished request.
func (m *Memory) Record(ctx context.Context, key string, tokens int, costUSD float64, now time.Time) error {
	if err := validateRecord(key, tokens, costUSD); err != nil {
		return err
	}
	sec := now.Unix()
	sh := m.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sweep(sec)
	e := sh.entry(key, sec)
	e.periods(now)
	if tokens > 0 {
		e.tokens.add(sec, int64(tokens))
	}
	n := nanoUSD(costUSD)
	e.dayNano += n
	e.monNano += n
	return nil
}

// entry returns key's state, creating it or waking it from idle.
func (sh *shard) entry(key string, sec int64) *entry {
	e := sh.keys[key]
	if e == nil {
		e = &entry{}
		sh.keys[key] = e
	}
	if e.requests == nil {
		e.requests, e.tokens = new(window), new(window)
	}
	if sec > e.lastSec {
		e.lastSec = sec
	}
	return e
}

// periods resets the budget sums when a new UTC day or month has begun.
func (e *entry) periods(now time.Time) {
	if d := dayOf(now); d > e.day {
		e.day, e.dayNano = d, 0
	}
	if mo := monthOf(now); mo > e.month {
		e.month, e.monNano = mo, 0
	}
}

// sweep drops the buckets of keys idle for longer than the window, and forgets keys with no spend in the current
// periods. It runs at most once per sweepEvery seconds per shard, so its cost is spread thinly over the calls.
func (sh *shard) sweep(sec int64) {
	if sec-sh.lastSweep < sweepEvery {
		return
	}
	sh.lastSweep = sec
	now := time.Unix(sec, 0)
	day, month := dayOf(now), monthOf(now)
	for k, e := range sh.keys {
		if e.lastSec >= sec-buckets {
			continue
		}
		e.requests, e.tokens = nil, nil
		if (e.day < day || e.dayNano == 0) && (e.month < month || e.monNano == 0) {
			delete(sh.keys, k)
		}
	}
}

// Len reports how many keys the limiter holds, idle ones included; it lets tests and operators see that idle
// keys are forgotten.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		n += len(sh.keys)
		sh.mu.Unlock()
	}
	return n
}
