package metering

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/walens/walens/internal/provider"
)

func TestDefaultPricesParse(t *testing.T) {
	p, err := ParsePrices(defaultPricesYAML)
	if err != nil {
		t.Fatalf("embedded prices.yaml: %v", err)
	}
	if len(p) < 40 {
		t.Errorf("only %d default prices", len(p))
	}
	if !strings.Contains(string(defaultPricesYAML), `as_of: "`+PricesAsOf+`"`) {
		t.Errorf("PricesAsOf %s does not match the as_of in prices.yaml", PricesAsOf)
	}
	// DefaultPrices hands out copies: changing one must not change the next.
	d := DefaultPrices()
	d["gpt-4o"] = Price{}
	if DefaultPrices()["gpt-4o"].InputPerMTok == 0 {
		t.Error("DefaultPrices shares its map between callers")
	}
}

func TestLookup(t *testing.T) {
	p := DefaultPrices()
	tests := []struct {
		model, key string
	}{
		{"gpt-4o", "gpt-4o"},
		{"GPT-4o", "gpt-4o"},
		{"gpt-4o-2024-08-06", "gpt-4o"},
		{"gpt-4o-2024-05-13", "gpt-4o-2024-05-13"}, // an exact entry beats the resolved one
		{"gpt-4o-mini", "gpt-4o-mini"},
		{"gpt-4o-mini-2024-07-18", "gpt-4o-mini"},
		{"gpt-4.1-2025-04-14", "gpt-4.1"},
		{"gpt-4.1-nano", "gpt-4.1-nano"},
		{"o3-2025-04-16", "o3"},
		{"o4-mini", "o4-mini"},
		{"text-embedding-3-large", "text-embedding-3-large"},
		{"claude-sonnet-4-20250514", "claude-sonnet-4"},
		{"claude-sonnet-4-5-20250929", "claude-sonnet-4-5"},
		{"claude-haiku-4-5", "claude-haiku-4-5"},
		{"claude-opus-4-1-20250805", "claude-opus-4-1"},
		{"claude-3-7-sonnet-latest", "claude-3-7-sonnet"},
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1:0"},
		{"us.anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-sonnet-4-20250514-v1:0"},
		{"eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0"},
		{"apac.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0"},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"anthropic.claude-3-haiku-20240307-v1:0:200k", "anthropic.claude-3-haiku-20240307-v1:0"},
		// A Bedrock Claude version walens does not list falls back to the Anthropic API name.
		{"anthropic.claude-sonnet-4-20250514-v2:0", "claude-sonnet-4"},
		{"amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0"},
		{"us.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0"},
		{"amazon.nova-micro-v1:0:128k", "amazon.nova-micro-v1:0"},
		{"amazon.titan-embed-text-v2:0", "amazon.titan-embed-text-v2:0"},
		{"amazon.titan-embed-text-v1", "amazon.titan-embed-text-v1"},
		{"meta.llama3-70b-instruct-v1:0", "meta.llama3-70b-instruct-v1:0"},
		{"us.meta.llama3-2-11b-instruct-v1:0", "meta.llama3-2-11b-instruct-v1:0"},
		// Never a bare prefix match, and no guess for unknown or fine-tuned models.
		{"gpt-4o-mini-tts", ""},
		{"gpt-4", ""},
		{"ft:gpt-4o-mini-2024-07-18:acme::abc123", ""},
		{"us.unknown", ""},
		{"", ""},
	}
	for _, tt := range tests {
		_, key, ok := p.Lookup(tt.model)
		if key != tt.key || ok != (tt.key != "") {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.model, key, ok, tt.key)
		}
	}
}

func TestCost(t *testing.T) {
	p := Prices{
		"m":       {InputPerMTok: 2, OutputPerMTok: 8, CachedInputPerMTok: 0.5},
		"nocache": {InputPerMTok: 1, OutputPerMTok: 2},
	}
	usage := func(prompt, completion, cached int) provider.Usage {
		u := provider.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
		if cached > 0 {
			u.PromptTokensDetails = &provider.PromptTokensDetails{CachedTokens: cached}
		}
		return u
	}
	tests := []struct {
		name  string
		model string
		u     provider.Usage
		usd   float64
		known bool
	}{
		{"plain", "m", usage(1_000_000, 500_000, 0), 2 + 4, true},
		{"cached part of prompt", "m", usage(1_000_000, 0, 400_000), 0.6*2 + 0.4*0.5, true},
		{"cached without a cached price", "nocache", usage(1000, 1000, 500), (1000*1 + 1000*2) / 1e6, true},
		{"cached above prompt is clamped", "m", usage(100, 0, 1000), 100 * 0.5 / 1e6, true},
		{"negative counts are ignored", "m", usage(-5, -5, 0), 0, true},
		{"unknown model", "nope", usage(100, 100, 0), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			usd, known := p.Cost(tt.model, tt.u)
			if known != tt.known || math.Abs(usd-tt.usd) > 1e-12 {
				t.Errorf("Cost = %v, %v; want %v, %v", usd, known, tt.usd, tt.known)
			}
		})
	}
	// A real case: 1,200 prompt and 300 completion tokens on gpt-4o-mini through Bedrock-style resolution.
	usd, _ := DefaultPrices().Cost("gpt-4o-mini-2024-07-18", usage(1200, 300, 0))
	if want := (1200*0.15 + 300*0.60) / 1e6; math.Abs(usd-want) > 1e-15 {
		t.Errorf("gpt-4o-mini cost %v, want %v", usd, want)
	}
}

func TestParsePricesErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"models:\n  m: {input: -1, output: 1}\n", "models.m.input"},
		{"models:\n  m: {input: 1, output: .nan}\n", "models.m.output"},
		{"models:\n  m: {input: 1, output: 1, cached_input: -0.5}\n", "models.m.cached_input"},
		{"models: [1, 2]\n", "prices:"},
	}
	for _, tt := range tests {
		_, err := ParsePrices([]byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePrices(%q) error %v, want one naming %q", tt.yaml, err, tt.want)
		}
	}
	p, err := ParsePrices([]byte("models:\n  my-model: {input: 1, output: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	merged := DefaultPrices().With(p)
	if merged["my-model"].OutputPerMTok != 3 || merged["gpt-4o"].InputPerMTok == 0 {
		t.Errorf("With lost entries: %v", merged["my-model"])
	}
}

func TestMeterMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := NewMeter(reg)
	day := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	m.Observe(Record{Time: day, KeyID: "k1", Model: "gpt-4o", Target: "openai", Status: 200,
		Latency: 120 * time.Millisecond,
		Usage:   provider.Usage{PromptTokens: 100, CompletionTokens: 20, PromptTokensDetails: &provider.PromptTokensDetails{CachedTokens: 40}},
		CostUSD: 0.5})
	m.Observe(Record{Time: day, KeyID: "k1", Model: "gpt-4o", Target: "openai", Status: 200, Stream: true,
		Latency: 3 * time.Second, TTFT: 300 * time.Millisecond,
		Usage: provider.Usage{PromptTokens: 10, CompletionTokens: 5}, CostUSD: 0.25})
	m.Observe(Record{Time: day, KeyID: "k2", Model: "gpt-4o", Target: "azure", Status: 502, Latency: 2 * time.Millisecond})
	m.SetBreakerState("azure", BreakerOpen)

	checks := []struct {
		c    prometheus.Collector
		want float64
	}{
		{m.requests.WithLabelValues("gpt-4o", "openai", "200"), 2},
		{m.requests.WithLabelValues("gpt-4o", "azure", "502"), 1},
		{m.tokens.WithLabelValues("gpt-4o", "prompt"), 110},
		{m.tokens.WithLabelValues("gpt-4o", "completion"), 25},
		{m.tokens.WithLabelValues("gpt-4o", "cached_prompt"), 40},
		{m.cost.WithLabelValues("gpt-4o"), 0.75},
		{m.breaker.WithLabelValues("azure"), 2},
	}
	for i, c := range checks {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("check %d: %v, want %v", i, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.latency); n != 2 {
		t.Errorf("latency series %d, want 2", n)
	}
	const wantTTFT = `
# HELP walens_gateway_time_to_first_token_seconds Time from receiving a streaming request to sending its first token.
# TYPE walens_gateway_time_to_first_token_seconds histogram
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.001"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.0025"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.005"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.01"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.025"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.05"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.1"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.25"} 0
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="0.5"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="1"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="2.5"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="5"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="10"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="20"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="30"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="60"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="120"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="300"} 1
walens_gateway_time_to_first_token_seconds_bucket{model="gpt-4o",target="openai",le="+Inf"} 1
walens_gateway_time_to_first_token_seconds_sum{model="gpt-4o",target="openai"} 0.3
walens_gateway_time_to_first_token_seconds_count{model="gpt-4o",target="openai"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(wantTTFT), "walens_gateway_time_to_first_token_seconds"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) != 0 {
		t.Errorf("lint: %v %v", problems, err)
	}

	// A second Meter on the same registry (a config reload) shares the metrics instead of failing.
	m2 := NewMeter(reg)
	m2.Observe(Record{Time: day, Model: "gpt-4o", Target: "openai", Status: 200})
	if got := testutil.ToFloat64(m.requests.WithLabelValues("gpt-4o", "openai", "200")); got != 3 {
		t.Errorf("after reload, requests %v, want 3", got)
	}
}

func TestMeterAggregates(t *testing.T) {
	m := NewMeter(nil, KeepDays(2), MaxAggregates(4))
	d1 := time.Date(2026, 2, 3, 23, 59, 0, 0, time.FixedZone("east", 3600)) // 22:59 UTC on the 3rd
	d2 := time.Date(2026, 2, 4, 1, 0, 0, 0, time.UTC)
	d3 := time.Date(2026, 2, 5, 1, 0, 0, 0, time.UTC)
	obs := func(t time.Time, key, model string, p, c int, cost float64) {
		m.Observe(Record{Time: t, KeyID: key, Model: model, Status: 200, Usage: provider.Usage{PromptTokens: p, CompletionTokens: c}, CostUSD: cost})
	}
	obs(d1, "k1", "a", 10, 1, 0.1)
	obs(d1, "k1", "a", 20, 2, 0.2)
	obs(d1, "k2", "a", 5, 5, 0.05)
	obs(d2, "k1", "b", 1, 1, 0.01)
	got := m.Aggregates()
	want := []Aggregate{
		{Day: "2026-02-03", KeyID: "k1", Model: "a", Requests: 2, PromptTokens: 30, CompletionTokens: 3, CostUSD: 0.1 + 0.2},
		{Day: "2026-02-03", KeyID: "k2", Model: "a", Requests: 1, PromptTokens: 5, CompletionTokens: 5, CostUSD: 0.05},
		{Day: "2026-02-04", KeyID: "k1", Model: "b", Requests: 1, PromptTokens: 1, CompletionTokens: 1, CostUSD: 0.01},
	}
	if !equalAggs(got, want) {
		t.Fatalf("aggregates\n got %+v\nwant %+v", got, want)
	}
	// The table is capped at four rows: new keys beyond it are summed under OverflowKey.
	obs(d2, "k2", "b", 1, 0, 0)
	obs(d2, "k3", "b", 2, 0, 0)
	obs(d2, "k4", "b", 3, 0, 0)
	got = m.Aggregates()
	if len(got) != 5 || got[2].KeyID != OverflowKey || got[2].PromptTokens != 5 || got[2].Requests != 2 {
		t.Errorf("overflow: %+v", got)
	}
	// Keeping two days, the 5th drops the 3rd; a late record for the 3rd is not kept either.
	obs(d3, "k1", "a", 1, 1, 0)
	obs(d1, "k1", "a", 1, 1, 0)
	for _, a := range m.Aggregates() {
		if a.Day == "2026-02-03" {
			t.Errorf("day outside the window kept: %+v", a)
		}
	}
}

func equalAggs(a, b []Aggregate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Day != y.Day || x.KeyID != y.KeyID || x.Model != y.Model || x.Requests != y.Requests ||
			x.PromptTokens != y.PromptTokens || x.CompletionTokens != y.CompletionTokens || x.CachedTokens != y.CachedTokens ||
			math.Abs(x.CostUSD-y.CostUSD) > 1e-12 {
			return false
		}
	}
	return true
}

// FuzzLookup feeds client-chosen model names to the resolver: it must not panic, and a match must be a real key.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"gpt-4o", "us.anthropic.claude-sonnet-4-20250514-v1:0", "a.b:1:2", "-latest", "x-20240101-v1:0", "us..", ":::"} {
		f.Add(s)
	}
	p := DefaultPrices()
	f.Fuzz(func(t *testing.T, model string) {
		pr, key, ok := p.Lookup(model)
		if ok {
			if want, exists := p[key]; !exists || want != pr {
				t.Fatalf("Lookup(%q) returned key %q that is not in the table", model, key)
			}
		}
		if usd, _ := p.Cost(model, provider.Usage{PromptTokens: 10, CompletionTokens: 10}); usd < 0 {
			t.Fatalf("negative cost %v", usd)
		}
	})
}

func BenchmarkObserve(b *testing.B) {
	m := NewMeter(prometheus.NewRegistry())
	r := Record{Time: time.Now(), KeyID: "k", Model: "gpt-4o", Target: "openai", Status: 200, Latency: time.Millisecond,
		Usage: provider.Usage{PromptTokens: 100, CompletionTokens: 50}, CostUSD: 0.001}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Observe(r)
		}
	})
}

func BenchmarkCost(b *testing.B) {
	p := DefaultPrices()
	u := provider.Usage{PromptTokens: 100, CompletionTokens: 50}
	for b.Loop() {
		p.Cost("us.anthropic.claude-sonnet-4-20250514-v1:0", u)
	}
}

// TestPricerMatchesCost checks the memoised pricer against Cost, twice per model so the second answer comes from
// the memo, for known IDs, IDs found only through Lookup's fallbacks, and unknown ones.
func TestPricerMatchesCost(t *testing.T) {
	p := DefaultPrices()
	price := p.Pricer()
	u := provider.Usage{PromptTokens: 1234, CompletionTokens: 567, PromptTokensDetails: &provider.PromptTokensDetails{CachedTokens: 200}}
	for _, model := range []string{"gpt-4o-mini", "gpt-4o-mini-2024-07-18", "us.amazon.nova-pro-v1:0", "no-such-model", ""} {
		want, wantKnown := p.Cost(model, u)
		for range 2 {
			got, known := price(model, u)
			if got != want || known != wantKnown {
				t.Errorf("Pricer(%q) = %v, %v; Cost = %v, %v", model, got, known, want, wantKnown)
			}
		}
	}
	if _, known := price("gpt-4o-mini-2024-07-18", u); !known {
		t.Error("a dated OpenAI ID should resolve through the fallbacks")
	}
}
