package limit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// base has a fractional second, so that Retry-After rounding is exercised.
var base = time.Date(2026, 1, 31, 22, 0, 0, 500_000_000, time.UTC)

type step struct {
	at     time.Duration // after base
	limits Limits
	// record, when set, records tokens and cost instead of admitting.
	record   bool
	tokens   int
	cost     float64
	want     Decision
	wantErr  bool
	repeat   int // admit this many times with the same expectation (default 1)
	key      string
	comment  string
	emptyKey bool
}

var (
	rpm3    = Limits{RequestsPerMinute: 3}
	tpm1000 = Limits{TokensPerMinute: 1000}
	day1    = Limits{DailyBudgetUSD: 1}
	month2  = Limits{MonthlyBudgetUSD: 2}
	ok      = Decision{Allowed: true}
)

func refuse(reason string, retry time.Duration) Decision {
	return Decision{Reason: reason, RetryAfter: retry}
}

// limiterCases run unchanged against every implementation.
var limiterCases = []struct {
	name  string
	steps []step
}{
	{"requests per minute slide", []step{
		{at: 0, limits: rpm3, want: ok},
		{at: 10 * time.Second, limits: rpm3, want: ok},
		{at: 20 * time.Second, limits: rpm3, want: ok},
		// The first request's bucket (second 22:00:00) leaves the window at 22:01:01; now is 22:00:30.5.
		{at: 30 * time.Second, limits: rpm3, want: refuse(ReasonRequestsPerMinute, 30500*time.Millisecond)},
		{at: 60 * time.Second, limits: rpm3, want: refuse(ReasonRequestsPerMinute, time.Second), comment: "refused at most one second early"},
		{at: 61 * time.Second, limits: rpm3, want: ok},
		{at: 62 * time.Second, limits: rpm3, want: refuse(ReasonRequestsPerMinute, 8500*time.Millisecond)},
	}},
	{"refused requests are not counted", []step{
		{at: 0, limits: Limits{RequestsPerMinute: 2}, want: ok, repeat: 2},
		{at: time.Second, limits: Limits{RequestsPerMinute: 2}, want: refuse(ReasonRequestsPerMinute, 59500*time.Millisecond), repeat: 5},
		{at: 61 * time.Second, limits: Limits{RequestsPerMinute: 2}, want: ok, repeat: 2},
		{at: 61 * time.Second, limits: Limits{RequestsPerMinute: 2}, want: refuse(ReasonRequestsPerMinute, 60500*time.Millisecond)},
	}},
	{"tokens per minute", []step{
		{at: 0, limits: tpm1000, want: ok},
		{at: time.Second, record: true, tokens: 600},
		{at: 2 * time.Second, limits: tpm1000, want: ok},
		{at: 5 * time.Second, record: true, tokens: 600},
		// 1,200 recorded: the 600 at second 1 must leave (at 62) to get below 1,000.
		{at: 6 * time.Second, limits: tpm1000, want: refuse(ReasonTokensPerMinute, 55500*time.Millisecond)},
		{at: 62 * time.Second, limits: tpm1000, want: ok},
		{at: 62 * time.Second, limits: Limits{TokensPerMinute: 600}, want: refuse(ReasonTokensPerMinute, 3500*time.Millisecond)},
	}},
	{"daily budget resets at UTC midnight", []step{
		{at: 0, record: true, cost: 0.6},
		{at: time.Minute, limits: day1, want: ok},
		{at: time.Minute, record: true, cost: 0.4},
		// 22:01:00.5 to midnight.
		{at: time.Minute, limits: day1, want: refuse(ReasonDailyBudget, 118*time.Minute+59*time.Second+500*time.Millisecond)},
		{at: 2 * time.Hour, limits: day1, want: ok},
	}},
	{"monthly budget resets on the first", []step{
		{at: 0, record: true, cost: 1.5},
		{at: time.Hour, record: true, cost: 0.5}, // 23:00 on 31 January
		{at: time.Hour, limits: month2, want: refuse(ReasonMonthlyBudget, time.Hour-500*time.Millisecond)},
		{at: 2 * time.Hour, limits: month2, want: ok},
	}},
	{"budget sums are exact", []step{
		{at: 0, record: true, cost: 0.1},
		{at: 0, record: true, cost: 0.2},
		{at: 0, limits: Limits{DailyBudgetUSD: 0.3}, want: refuse(ReasonDailyBudget, 2*time.Hour-500*time.Millisecond)},
		{at: 0, limits: Limits{DailyBudgetUSD: 0.300000001}, want: ok},
	}},
	{"the limit that frees last is reported", []step{
		// A day before base: 22:00:00.5 on 30 January, two hours before the day ends and 26 before the month does.
		{at: -24 * time.Hour, record: true, cost: 5},
		{at: -24 * time.Hour, limits: Limits{RequestsPerMinute: 1}, want: ok},
		{at: -24 * time.Hour, limits: Limits{RequestsPerMinute: 1, DailyBudgetUSD: 1}, want: refuse(ReasonDailyBudget, 2*time.Hour-500*time.Millisecond)},
		{at: -24 * time.Hour, limits: Limits{RequestsPerMinute: 1, DailyBudgetUSD: 1, MonthlyBudgetUSD: 3}, want: refuse(ReasonMonthlyBudget, 26*time.Hour-500*time.Millisecond)},
		{at: -24 * time.Hour, limits: Limits{RequestsPerMinute: 1, DailyBudgetUSD: 10}, want: refuse(ReasonRequestsPerMinute, 60500*time.Millisecond)},
	}},
	{"keys are independent", []step{
		{at: 0, key: "a", limits: Limits{RequestsPerMinute: 1}, want: ok},
		{at: 0, key: "b", limits: Limits{RequestsPerMinute: 1}, want: ok},
		{at: 0, key: "a", limits: Limits{RequestsPerMinute: 1}, want: refuse(ReasonRequestsPerMinute, 60500*time.Millisecond)},
	}},
	{"unlimited", []step{
		{at: 0, record: true, tokens: 1 << 30, cost: 1e6},
		{at: 0, limits: Limits{}, want: ok, repeat: 200},
	}},
	{"bad input", []step{
		{at: 0, limits: Limits{RequestsPerMinute: -1}, wantErr: true},
		{at: 0, limits: Limits{TokensPerMinute: -1}, wantErr: true},
		{at: 0, limits: Limits{DailyBudgetUSD: -1}, wantErr: true},
		{at: 0, emptyKey: true, limits: rpm3, wantErr: true},
		{at: 0, record: true, tokens: -5, wantErr: true},
		{at: 0, record: true, cost: -0.5, wantErr: true},
	}},
}

func runCases(t *testing.T, newLimiter func(t *testing.T) Limiter) {
	for _, tc := range limiterCases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLimiter(t)
			ctx := context.Background()
			for i, s := range tc.steps {
				key := s.key
				if key == "" && !s.emptyKey {
					key = "k"
				}
				now := base.Add(s.at)
				n := max(s.repeat, 1)
				for range n {
					if s.record {
						err := l.Record(ctx, key, s.tokens, s.cost, now)
						if (err != nil) != s.wantErr {
							t.Fatalf("step %d: Record error %v, want error %v", i, err, s.wantErr)
						}
						continue
					}
					d, err := l.Admit(ctx, key, s.limits, now)
					if (err != nil) != s.wantErr {
						t.Fatalf("step %d: Admit error %v, want error %v", i, err, s.wantErr)
					}
					if err == nil && d != s.want {
						t.Fatalf("step %d (%s): Admit = %+v, want %+v", i, s.comment, d, s.want)
					}
				}
			}
		})
	}
}

func TestMemory(t *testing.T) {
	runCases(t, func(*testing.T) Limiter { return NewMemory() })
}

func TestRedis(t *testing.T) {
	c := redisClient(t)
	runCases(t, func(t *testing.T) Limiter { return NewRedis(c, testPrefix(t, c)) })
}

// concurrentAdmits has many goroutines race for an RPM limit at one instant: exactly the limit must get through.
func concurrentAdmits(t *testing.T, limiters []Limiter) {
	const (
		limit      = 100
		goroutines = 16
		each       = 25
	)
	var admitted, refused atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		l := limiters[g%len(limiters)]
		wg.Go(func() {
			for range each {
				d, err := l.Admit(context.Background(), "shared", Limits{RequestsPerMinute: limit}, base)
				if err != nil {
					t.Error(err)
					return
				}
				if d.Allowed {
					admitted.Add(1)
				} else {
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if admitted.Load() != limit || refused.Load() != goroutines*each-limit {
		t.Errorf("admitted %d, refused %d; want %d and %d", admitted.Load(), refused.Load(), limit, goroutines*each-limit)
	}
}

func TestMemoryConcurrent(t *testing.T) {
	concurrentAdmits(t, []Limiter{NewMemory()})
}

func TestRedisConcurrent(t *testing.T) {
	c := redisClient(t)
	concurrentAdmits(t, []Limiter{NewRedis(c, testPrefix(t, c))})
}

// TestRedisReplicasShare stands for two gateway replicas: separate clients (separate connection pools) on one
// Redis share the limit, admitted requests and recorded spend alike.
func TestRedisReplicasShare(t *testing.T) {
	c1 := redisClient(t)
	c2 := redisClient(t)
	prefix := testPrefix(t, c1)
	a, b := NewRedis(c1, prefix), NewRedis(c2, prefix)
	concurrentAdmits(t, []Limiter{a, b})

	ctx := context.Background()
	if err := a.Record(ctx, "spend", 0, 2.5, base); err != nil {
		t.Fatal(err)
	}
	d, err := b.Admit(ctx, "spend", Limits{DailyBudgetUSD: 2}, base)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Reason != ReasonDailyBudget {
		t.Errorf("replica b saw %+v after replica a spent over the budget", d)
	}
}

// TestRedisScriptReload checks the EVALSHA fallback: after the server forgets its scripts, calls still work.
func TestRedisScriptReload(t *testing.T) {
	c := redisClient(t)
	l := NewRedis(c, testPrefix(t, c))
	ctx := context.Background()
	if _, err := l.Admit(ctx, "k", rpm3, base); err != nil {
		t.Fatal(err)
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if d, err := l.Admit(ctx, "k", rpm3, base); err != nil || !d.Allowed {
		t.Fatalf("after SCRIPT FLUSH: %+v, %v", d, err)
	}
	if err := l.Record(ctx, "k", 10, 0.01, base); err != nil {
		t.Fatal(err)
	}
}

// TestRedisKeysExpire checks that every key the limiter writes carries a TTL, so idle keys cost Redis nothing.
func TestRedisKeysExpire(t *testing.T) {
	c := redisClient(t)
	prefix := testPrefix(t, c)
	l := NewRedis(c, prefix)
	ctx := context.Background()
	now := time.Now()
	if _, err := l.Admit(ctx, "k", rpm3, now); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(ctx, "k", 10, 0.01, now); err != nil {
		t.Fatal(err)
	}
	keys, err := c.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 {
		t.Errorf("keys %q, want rpm, tpm, day and month", keys)
	}
	for _, k := range keys {
		ttl, err := c.TTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= 0 || ttl > 32*24*time.Hour {
			t.Errorf("key %s has TTL %v", k, ttl)
		}
	}
}

// TestMemoryForgetsIdleKeys checks that memory stays bounded: idle keys without spend go away, keys with spend in
// the current month stay until the month ends.
func TestMemoryForgetsIdleKeys(t *testing.T) {
	m := NewMemory()
	ctx := context.Background()
	start := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for i := range 1000 {
		key := "idle-" + hex.EncodeToString([]byte{byte(i >> 8), byte(i)})
		if _, err := m.Admit(ctx, key, rpm3, start); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Record(ctx, "spender", 10, 1, start); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 1001 {
		t.Fatalf("Len = %d, want 1001", m.Len())
	}
	// Every shard sweeps on its next call after the window has passed; touch every shard.
	later := start.Add(5 * time.Minute)
	touched := 0
	for ; !allSwept(m, later) && touched < 100*shardCount; touched++ {
		if _, err := m.Admit(ctx, fmt.Sprintf("touch-%d", touched), Limits{}, later); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Len(); n > 1+touched {
		t.Errorf("Len = %d after the keys went idle, want at most %d", n, 1+touched)
	}
	// The spender's month spend survives the sweep.
	d, err := m.Admit(ctx, "spender", Limits{MonthlyBudgetUSD: 1}, later)
	if err != nil || d.Allowed {
		t.Errorf("spender after sweep: %+v, %v; want refused by the monthly budget", d, err)
	}
}

func allSwept(m *Memory, at time.Time) bool {
	for i := range m.shards {
		if m.shards[i].lastSweep != at.Unix() {
			return false
		}
	}
	return true
}

// redisClient connects to the test Redis (database 15) or skips the test.
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: 15, DialTimeout: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		t.Skipf("Redis at 127.0.0.1:6379 is not reachable (%v): start redis-server to run the Redis limiter tests", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testPrefix returns a prefix unique to this test and deletes its keys afterwards.
func testPrefix(t *testing.T, c *redis.Client) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "walens-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func BenchmarkMemoryAdmit(b *testing.B) {
	m := NewMemory()
	ctx := context.Background()
	l := Limits{RequestsPerMinute: 1 << 30, TokensPerMinute: 1 << 30, DailyBudgetUSD: 1e9, MonthlyBudgetUSD: 1e9}
	b.RunParallel(func(pb *testing.PB) {
		var i int
		for pb.Next() {
			i++
			if _, err := m.Admit(ctx, keys[i%len(keys)], l, base); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRedisAdmit(b *testing.B) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DB: 15})
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err != nil {
		b.Skipf("Redis at 127.0.0.1:6379 is not reachable: %v", err)
	}
	r := NewRedis(c, "walens-bench:")
	ctx := context.Background()
	l := Limits{RequestsPerMinute: 1 << 30, TokensPerMinute: 1 << 30, DailyBudgetUSD: 1e9, MonthlyBudgetUSD: 1e9}
	b.RunParallel(func(pb *testing.PB) {
		var i int
		for pb.Next() {
			i++
			if _, err := r.Admit(ctx, keys[i%len(keys)], l, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	iter := c.Scan(ctx, 0, "walens-bench:*", 100).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
}

var keys = []string{"key-a", "key-b", "key-c", "key-d", "key-e", "key-f", "key-g", "key-h"}
