package gateway

import (
	"sync"
	"time"
)

// Breaker states, as exported in the breaker gauge.
const (
	stateClosed   = 0
	stateHalfOpen = 1
	stateOpen     = 2
)

// outcome is what one attempt tells the breaker about its target.
type outcome int

const (
	success outcome = iota
	failure
	// neutral attempts (the client went away, the request was invalid) say nothing about the target's health.
	neutral
)

// breakerSettings are the thresholds of a breaker; they may change on reload while the state is kept.
type breakerSettings struct {
	Window       time.Duration
	FailureRatio float64
	MinRequests  int
	OpenDuration time.Duration
	Probes       int
}

// breakerBuckets divide the rolling window so that old outcomes expire gradually.
const breakerBuckets = 10

type bucket struct {
	start              time.Time
	requests, failures int
}

// breaker is a circuit breaker for one target: closed (requests flow, outcomes are counted over a rolling window),
// open (requests skip the target until OpenDuration has passed) and half-open (a few probes go through; enough
// successes close it, one failure opens it again). It lives in the Gateway, keyed by target name, so its state
// outlives requests and configuration reloads.
type breaker struct {
	mu        sync.Mutex
	set       breakerSettings
	state     int
	openedAt  time.Time
	buckets   [breakerBuckets]bucket
	inflight  int // probes admitted in half-open
	successes int // probe successes in half-open
	onChange  func(state int)
}

func newBreaker(set breakerSettings, onChange func(int)) *breaker {
	return &breaker{set: set, onChange: onChange}
}

func (b *breaker) settings(set breakerSettings) {
	b.mu.Lock()
	b.set = set
	b.mu.Unlock()
}

// State returns the current state, moving from open to half-open when the open period is over.
func (b *breaker) State(now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	return b.state
}

func (b *breaker) advance(now time.Time) {
	if b.state == stateOpen && now.Sub(b.openedAt) >= b.set.OpenDuration {
		b.setState(stateHalfOpen)
		b.inflight, b.successes = 0, 0
	}
}

func (b *breaker) setState(s int) {
	if b.state == s {
		return
	}
	b.state = s
	if b.onChange != nil {
		b.onChange(s)
	}
}

// Allow reports whether a request may go to the target now. In half-open it admits up to Probes requests at a
// time; every admitted request must be followed by Record.
func (b *breaker) Allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	switch b.state {
	case stateOpen:
		return false
	case stateHalfOpen:
		if b.inflight >= max(b.set.Probes, 1) {
			return false
		}
		b.inflight++
	}
	return true
}

// Record adds the outcome of an admitted request.
func (b *breaker) Record(now time.Time, o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case stateHalfOpen:
		if b.inflight > 0 {
			b.inflight--
		}
		switch o {
		case failure:
			b.trip(now)
		case success:
			b.successes++
			if b.successes >= max(b.set.Probes, 1) {
				b.buckets = [breakerBuckets]bucket{}
				b.setState(stateClosed)
			}
		}
		return
	case stateOpen:
		return // a request admitted before the breaker opened; its outcome is stale
	}
	if o == neutral {
		return
	}
	bk := b.bucket(now)
	bk.requests++
	if o == failure {
		bk.failures++
	}
	var requests, failures int
	for _, x := range b.buckets {
		if now.Sub(x.start) < b.set.Window {
			requests += x.requests
			failures += x.failures
		}
	}
	if requests >= max(b.set.MinRequests, 1) && float64(failures) >= b.set.FailureRatio*float64(requests) && failures > 0 {
		b.trip(now)
	}
}

func (b *breaker) trip(now time.Time) {
	b.openedAt = now
	b.inflight, b.successes = 0, 0
	b.buckets = [breakerBuckets]bucket{}
	b.setState(stateOpen)
}

// bucket returns the bucket for now, recycling the one whose slot it is when that one is from an older lap.
func (b *breaker) bucket(now time.Time) *bucket {
	width := b.set.Window / breakerBuckets
	if width <= 0 {
		width = time.Second
	}
	slot := now.Truncate(width)
	i := int((slot.UnixNano() / int64(width)) % breakerBuckets)
	if i < 0 {
		i += breakerBuckets
	}
	if !b.buckets[i].start.Equal(slot) {
		b.buckets[i] = bucket{start: slot}
	}
	return &b.buckets[i]
}
