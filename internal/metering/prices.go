// Package metering prices model usage and counts what the gateway served: Prometheus metrics for operators, and
// per key, model and UTC day aggregates for spend reports.
//
// Token counts come from the provider's usage report and are never estimated here; cost is those counts times
// the price table. The shipped table (prices.yaml, embedded) holds list prices on the date it states: the gateway
// config is expected to override them with what the operator actually pays.
package metering

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/provider"
)

// Price is what one million tokens cost in USD.
type Price struct {
	InputPerMTok       float64 `json:"input" yaml:"input"`
	OutputPerMTok      float64 `json:"output" yaml:"output"`
	CachedInputPerMTok float64 `json:"cached_input,omitempty" yaml:"cached_input,omitempty"` // 0: cached tokens cost the input price
}

// Prices maps upstream model IDs to prices.
type Prices map[string]Price

//go:embed prices.yaml
var defaultPricesYAML []byte

// PricesAsOf is the date of the list prices in DefaultPrices.
const PricesAsOf = "2025-11-30"

type priceFile struct {
	AsOf   string `yaml:"as_of"`
	Models Prices `yaml:"models"`
}

// DefaultPrices returns a fresh copy of the shipped list prices, which callers may modify.
func DefaultPrices() Prices {
	p, err := ParsePrices(defaultPricesYAML)
	if err != nil {
		// The embedded file is checked by the tests; an error here is a build defect, not bad input.
		return Prices{}
	}
	return p
}

// ParsePrices reads a price file: an optional as_of date and a models map of ID to input, output and
// cached_input prices per million tokens.
func ParsePrices(data []byte) (Prices, error) {
	var f priceFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("prices: %w", err)
	}
	if err := f.Models.Validate(); err != nil {
		return nil, err
	}
	return f.Models, nil
}

// Validate checks that every price is a finite non-negative number, naming the model and field at fault.
func (p Prices) Validate() error {
	for id, pr := range p {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("prices: empty model ID")
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"input", pr.InputPerMTok}, {"output", pr.OutputPerMTok}, {"cached_input", pr.CachedInputPerMTok}} {
			if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
				return fmt.Errorf("prices: models.%s.%s must be a non-negative number, got %v", id, f.name, f.v)
			}
		}
	}
	return nil
}

// With returns a copy of p with the entries of over added or replacing p's, as config overrides do.
func (p Prices) With(over Prices) Prices {
	out := make(Prices, len(p)+len(over))
	for k, v := range p {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// Cost prices usage of model. Prompt tokens include cached tokens, as in OpenAI's usage object; cached ones are
// charged at the cached-input price. known is false when no price matches model; usd is then 0.
func (p Prices) Cost(model string, u provider.Usage) (usd float64, known bool) {
	pr, _, ok := p.Lookup(model)
	if !ok {
		return 0, false
	}
	return pr.cost(u), true
}

// cost prices usage at pr.
func (pr Price) cost(u provider.Usage) float64 {
	prompt := max(u.PromptTokens, 0)
	cached := 0
	if u.PromptTokensDetails != nil {
		cached = min(max(u.PromptTokensDetails.CachedTokens, 0), prompt)
	}
	cachedPrice := pr.CachedInputPerMTok
	if cachedPrice == 0 {
		cachedPrice = pr.InputPerMTok
	}
	return (float64(prompt-cached)*pr.InputPerMTok + float64(cached)*cachedPrice + float64(max(u.CompletionTokens, 0))*pr.OutputPerMTok) / 1e6
}

var (
	// Bedrock cross-region inference profiles put a geography before the vendor: us.anthropic.claude-...
	regionPrefix = regexp.MustCompile(`^(us|eu|apac|ap|us-gov|global|jp|au|ca)\.([a-z0-9-]+\..+)$`)
	// Bedrock variants beyond the version: amazon.nova-pro-v1:0:300k, anthropic.claude-3-haiku-20240307-v1:0:48k.
	variantSuffix = regexp.MustCompile(`^([^:]+\.[^:]+:\d+):.+$`)
	// The Bedrock version itself: :0, :2.
	versionSuffix = regexp.MustCompile(`^([^:]+\.[^:]+):\d+$`)
	// A snapshot date (20250514, 2024-08-06) with an optional Bedrock -vN after it, or an alias like -latest.
	dateSuffix = regexp.MustCompile(`^(.+?)(-(\d{8}|\d{4}-\d{2}-\d{2})(-v\d+)?|-latest)$`)
)

// Lookup finds model's price, trying in turn: the ID as given; lower-cased; without a Bedrock cross-region
// prefix (us., eu., apac., ...); without a Bedrock variant suffix after the version (:0:200k); without the
// version (:0); without a snapshot date and the version after it (-20250514-v1) or -latest; and without the
// anthropic. vendor prefix, so that Bedrock's Claude IDs reach the Anthropic API's names. The first entry found
// wins, so an exact entry always beats a resolved one. It also returns the table key that matched.
//
// It never matches on a bare prefix: gpt-4o-mini does not fall back to gpt-4o.
func (p Prices) Lookup(model string) (Price, string, bool) {
	if pr, ok := p[model]; ok {
		return pr, model, true
	}
	id := strings.ToLower(strings.TrimSpace(model))
	try := func(s string) (Price, string, bool) {
		pr, ok := p[s]
		return pr, s, ok
	}
	if pr, k, ok := try(id); ok {
		return pr, k, true
	}
	steps := []*regexp.Regexp{regionPrefix, variantSuffix, versionSuffix, dateSuffix}
	for i, re := range steps {
		m := re.FindStringSubmatch(id)
		if m == nil {
			continue
		}
		if i == 0 {
			id = m[2]
		} else {
			id = m[1]
		}
		if pr, k, ok := try(id); ok {
			return pr, k, true
		}
	}
	if rest, ok := strings.CutPrefix(id, "anthropic."); ok {
		if pr, k, ok := try(rest); ok {
			return pr, k, true
		}
	}
	return Price{}, "", false
}

// Pricer is Cost with the lookup of each model ID remembered, for the request path: Lookup's fallbacks run regular
// expressions, and a model ID missing from the table would otherwise pay for them on every request. The set of
// model IDs a gateway sees is small (its configured targets), so the memo is not bounded beyond maxPricerModels.
func (p Prices) Pricer() func(model string, u provider.Usage) (float64, bool) {
	var memo sync.Map // model ID -> pricerEntry
	var n atomic.Int64
	return func(model string, u provider.Usage) (float64, bool) {
		if e, ok := memo.Load(model); ok {
			return e.(pricerEntry).cost(u)
		}
		pr, _, ok := p.Lookup(model)
		e := pricerEntry{price: pr, known: ok}
		if n.Add(1) <= maxPricerModels {
			memo.Store(model, e)
		}
		return e.cost(u)
	}
}

// maxPricerModels caps the memo against clients that could otherwise grow it with arbitrary model names.
const maxPricerModels = 10_000

type pricerEntry struct {
	price Price
	known bool
}

func (e pricerEntry) cost(u provider.Usage) (float64, bool) {
	if !e.known {
		return 0, false
	}
	return e.price.cost(u), true
}
