package gateway

import (
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	set := breakerSettings{Window: 10 * time.Second, FailureRatio: 0.5, MinRequests: 4, OpenDuration: 5 * time.Second, Probes: 2}
	var states []int
	b := newBreaker(set, func(s int) { states = append(states, s) })
	now := time.Unix(1000, 0)
	step := func(o outcome) {
		t.Helper()
		if !b.Allow(now) {
			t.Fatalf("not allowed in state %d", b.State(now))
		}
		b.Record(now, o)
		now = now.Add(100 * time.Millisecond)
	}
	// Below min_requests nothing trips, whatever the ratio.
	step(failure)
	step(failure)
	step(success)
	if b.State(now) != stateClosed {
		t.Fatal("opened below min_requests")
	}
	step(failure) // 3 of 4 failed
	if b.State(now) != stateOpen || b.Allow(now) {
		t.Fatal("did not open at 3/4 failures")
	}
	now = now.Add(5 * time.Second)
	if b.State(now) != stateHalfOpen {
		t.Fatal("not half-open after open_duration")
	}
	// Two probes at a time; a third waits.
	first, second, third := b.Allow(now), b.Allow(now), b.Allow(now)
	if !first || !second || third {
		t.Fatal("half-open admitted the wrong number of probes")
	}
	b.Record(now, success)
	b.Record(now, failure) // one failed probe reopens
	if b.State(now) != stateOpen {
		t.Fatal("failed probe did not reopen")
	}
	now = now.Add(5 * time.Second)
	step(success)
	step(success)
	if b.State(now) != stateClosed {
		t.Fatal("two successful probes did not close")
	}
	want := []int{stateOpen, stateHalfOpen, stateOpen, stateHalfOpen, stateClosed}
	if len(states) != len(want) {
		t.Fatalf("transitions %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("transitions %v, want %v", states, want)
		}
	}
}

func TestBreakerWindowForgets(t *testing.T) {
	b := newBreaker(breakerSettings{Window: 10 * time.Second, FailureRatio: 0.5, MinRequests: 4, OpenDuration: time.Second, Probes: 1}, nil)
	now := time.Unix(1000, 0)
	for range 3 {
		b.Allow(now)
		b.Record(now, failure)
	}
	now = now.Add(11 * time.Second) // the failures fall out of the window
	b.Allow(now)
	b.Record(now, failure)
	if b.State(now) != stateClosed {
		t.Fatal("old failures still counted")
	}
	b.Allow(now)
	b.Record(now, neutral) // cancelled requests say nothing
	if b.State(now) != stateClosed {
		t.Fatal("neutral outcome counted")
	}
}

func TestPlanTiers(t *testing.T) {
	a, b, c := &target{name: "a", weight: 1}, &target{name: "b", weight: 1000000}, &target{name: "c", weight: 1}
	rt := &route{tiers: [][]*target{{a, b}, {c}}}
	seenFirst := map[string]bool{}
	for range 50 {
		p := rt.plan()
		if len(p) != 3 || p[2] != c {
			t.Fatalf("plan %v: the second tier must come last", p)
		}
		seenFirst[p[0].name] = true
	}
	if !seenFirst["b"] {
		t.Error("the heavy target was never first")
	}
}

func TestBackoffBounds(t *testing.T) {
	for n := 1; n < 40; n++ {
		d := backoff(n, 100*time.Millisecond, 2*time.Second)
		if d < 0 || d > 2*time.Second {
			t.Fatalf("backoff(%d) = %v", n, d)
		}
	}
}
