// Package gateway is walens' OpenAI-compatible inference gateway: it authenticates virtual keys, enforces their
// limits, applies guardrails per route, routes each model alias to upstream targets with retries, fallback,
// circuit breakers and health checks, meters tokens and cost, and writes an audit record per request.
//
// A request runs through stages in order. Inbound: auth, limits, input guardrail, router (to a provider).
// Outbound: output guardrail, metering, audit and capture. The guardrail and capture stages are set per route
// (model alias) in the configuration; the others are global. The configuration lives in an immutable snapshot
// swapped atomically on reload, so a request finishes on the snapshot it started with.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/inlinehttp"
	"github.com/walens/walens/internal/provider"
)

// ProviderFactory builds the provider of one target. hc is the gateway's shared upstream client.
type ProviderFactory func(cfg provider.Config, hc *http.Client) (provider.Provider, error)

// Options are the gateway's collaborators. Nil stages are switched off.
type Options struct {
	Logger *slog.Logger
	// NewProvider builds providers; required.
	NewProvider ProviderFactory
	// HTTPClient is used for upstream calls and health checks; nil means a client with sane transport limits.
	HTTPClient *http.Client
	Limiter    Limiter
	Meter      Meter
	Auditor    Auditor
	// Prices computes cost; nil means every request costs 0 (and budgets never bind).
	Prices func(cfg *config.Config) Pricer
	// Shed is called for each request refused by server.max_in_flight; nil does nothing.
	Shed func()
	// Metrics serves /metrics; nil answers 404.
	Metrics http.Handler
	// Usage serves GET /v1/usage to admin keys; nil answers 404.
	Usage http.Handler
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits between retries; nil means a timer honouring ctx. Tests replace it to avoid real waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Gateway serves one configuration at a time and keeps what must outlive a configuration: breakers, health.
type Gateway struct {
	opts  Options
	log   *slog.Logger
	state atomic.Pointer[state]

	mu      sync.Mutex
	targets map[string]*targetHealth // by target name, across reloads

	handler http.Handler

	// inFlight counts model requests being served, for server.max_in_flight.
	inFlight atomic.Int64
}

// targetHealth is what the gateway knows of one target across requests and reloads.
type targetHealth struct {
	br      *breaker
	healthy atomic.Bool
}

// state is one loaded configuration, ready to serve. It is never modified after it is built.
type state struct {
	cfg      *config.Config
	routes   map[string]*route
	keys     map[string]*config.Key // by hash
	price    Pricer
	guards   *guard.Registry
	guardAPI http.Handler
	targets  []*target // every target of every route, for health checks
}

// route is one model alias.
type route struct {
	alias    string
	tiers    [][]*target
	in, out  *guard.Engine
	capture  float64 // percent
	degraded *config.Degraded
	timeout  time.Duration
}

// target is one upstream model of a route.
type target struct {
	name     string
	model    string
	kind     string
	p        provider.Provider
	weight   int
	timeout  time.Duration
	health   *targetHealth
	check    bool
	provider *config.Provider
}

// New builds a gateway serving cfg.
func New(cfg *config.Config, opts Options) (*Gateway, error) {
	if opts.NewProvider == nil {
		return nil, errors.New("gateway: no provider factory")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Transport: newTransport()}
	}
	g := &Gateway{opts: opts, log: opts.Logger, targets: map[string]*targetHealth{}}
	st, err := g.build(cfg)
	if err != nil {
		return nil, err
	}
	g.state.Store(st)
	g.handler = g.routes()
	return g, nil
}

// client returns the upstream client for a provider's transport setting: the shared one, or for "net/http" one
// that skips inlinehttp and goes straight to its fallback, sharing that fallback's connection pool.
func (g *Gateway) client(transport string) *http.Client {
	hc := g.opts.HTTPClient
	if hc == nil || transport != config.TransportNetHTTP {
		return hc // nil only in Check, whose providers never send
	}
	if in, ok := hc.Transport.(*inlinehttp.Transport); ok {
		std := *hc
		std.Transport = in.Fallback
		return &std
	}
	return hc
}

// newTransport carries plain-HTTP upstreams on inlinehttp, which spares each request net/http's goroutine
// hand-offs, and everything else (https, proxies) on net/http's Transport.
func newTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	t.ResponseHeaderTimeout = 0 // bounded per attempt by the target's timeout instead
	in := inlinehttp.New(t)
	in.MaxIdlePerHost = t.MaxIdleConnsPerHost
	in.IdleTimeout = t.IdleConnTimeout
	return in
}

// Reload swaps in a new configuration. Requests in flight finish on the old one. On error the old one is kept.
func (g *Gateway) Reload(cfg *config.Config) error {
	st, err := g.build(cfg)
	if err != nil {
		return err
	}
	g.state.Store(st)
	g.log.Info("gateway configuration loaded", "file", cfg.Path, "models", len(st.routes), "keys", len(st.keys))
	return nil
}

// Config returns the configuration being served.
func (g *Gateway) Config() *config.Config { return g.state.Load().cfg }

// Handler serves the gateway's HTTP API.
func (g *Gateway) Handler() http.Handler { return g.handler }

// build compiles a configuration: providers, guardrails, keys. It touches no shared state except the registry
// of target health, where it only adds entries and updates thresholds.
func (g *Gateway) build(cfg *config.Config) (*state, error) {
	st := &state{cfg: cfg, routes: map[string]*route{}, keys: map[string]*config.Key{}, guards: guard.NewRegistry()}
	if g.opts.Prices != nil {
		st.price = g.opts.Prices(cfg)
	}
	for _, k := range cfg.Keys {
		st.keys[k.Hash] = k
	}
	// Guardrail policies listed at the top level, then those routes name by file.
	files := map[string]*guard.Engine{}
	load := func(path string) (*guard.Engine, error) {
		abs := cfg.Resolve(path)
		if e, ok := files[abs]; ok {
			return e, nil
		}
		p, err := guard.LoadPolicy(abs)
		if err != nil {
			return nil, err
		}
		e, err := guard.New(p, guard.Options{Logger: g.log})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := st.guards.Add(e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		files[abs] = e
		return e, nil
	}
	for _, gf := range cfg.Guardrails {
		if _, err := load(gf.Policy); err != nil {
			return nil, err
		}
	}
	resolve := func(alias, dir, ref string) (*guard.Engine, error) {
		if ref == "" {
			return nil, nil
		}
		if config.IsPolicyFile(ref) {
			return load(ref)
		}
		id, version := config.SplitGuardrailRef(ref)
		if version == "" {
			for _, v := range st.guards.List() {
				if v.ID == id || v.Name == id {
					version = v.Version // List is sorted: the last is the newest
				}
			}
		}
		e, ok := st.guards.Lookup(id, version)
		if !ok {
			return nil, fmt.Errorf("models.%s.guardrails.%s: no guardrail %q is loaded (list its policy file under guardrails)", alias, dir, ref)
		}
		return e, nil
	}

	set := breakerSettings{
		Window:       cfg.Breaker.Window.D(30 * time.Second),
		FailureRatio: cfg.Breaker.FailureRatio,
		MinRequests:  cfg.Breaker.MinRequests,
		OpenDuration: cfg.Breaker.OpenDuration.D(30 * time.Second),
		Probes:       cfg.Breaker.HalfOpenProbes,
	}
	built := map[string]*target{}
	for alias, m := range cfg.Models {
		rt := &route{alias: alias, capture: cfg.CapturePercent(alias), degraded: m.Degraded, timeout: m.Timeout.D(cfg.Server.RequestTimeout.D(300 * time.Second))}
		if gr := m.Guardrails; gr != nil {
			var err error
			if rt.in, err = resolve(alias, "input", gr.Input); err != nil {
				return nil, err
			}
			if rt.out, err = resolve(alias, "output", gr.Output); err != nil {
				return nil, err
			}
		}
		tiers := map[int][]*target{}
		for _, tc := range m.Targets {
			name := tc.Name()
			t, ok := built[name]
			if !ok {
				pc := cfg.Providers[tc.Provider]
				p, err := g.opts.NewProvider(provider.Config{
					Kind: pc.Kind, BaseURL: pc.BaseURL, APIKey: pc.APIKey, Region: pc.Region, Model: tc.Model,
					Headers: pc.Headers, MaxResponseBytes: pc.MaxResponseBytes,
				}, g.client(pc.Transport))
				if err != nil {
					return nil, fmt.Errorf("models.%s: target %s: %w", alias, name, err)
				}
				t = &target{name: name, model: tc.Model, kind: pc.Kind, p: p, check: pc.HealthCheck, provider: pc,
					timeout: tc.Timeout.D(pc.Timeout.D(120 * time.Second)), health: g.health(name, set)}
				built[name] = t
				st.targets = append(st.targets, t)
			}
			// The same upstream may carry a different weight in another alias.
			rt2 := *t
			rt2.weight = tc.Weight
			tiers[tc.Tier] = append(tiers[tc.Tier], &rt2)
		}
		for _, k := range slices.Sorted(maps.Keys(tiers)) {
			rt.tiers = append(rt.tiers, tiers[k])
		}
		st.routes[alias] = rt
	}
	st.guardAPI = guard.NewHandler(st.guards, guard.HandlerOptions{Logger: g.log, Now: g.opts.Now})
	return st, nil
}

// health returns the long-lived state of a target, creating it healthy and closed.
func (g *Gateway) health(name string, set breakerSettings) *targetHealth {
	g.mu.Lock()
	defer g.mu.Unlock()
	h, ok := g.targets[name]
	if !ok {
		h = &targetHealth{}
		h.healthy.Store(true)
		var onChange func(int)
		if m := g.opts.Meter; m != nil {
			onChange = func(s int) { m.SetBreakerState(name, s) }
			m.SetBreakerState(name, stateClosed)
		}
		h.br = newBreaker(set, onChange)
		g.targets[name] = h
	} else {
		h.br.settings(set)
	}
	return h
}

// Ready reports whether every model has at least one target that is neither open nor failing health checks.
func (g *Gateway) Ready() (bool, string) {
	st := g.state.Load()
	now := g.opts.Now()
	for _, alias := range slices.Sorted(maps.Keys(st.routes)) {
		ok := false
		for _, tier := range st.routes[alias].tiers {
			for _, t := range tier {
				if t.health.healthy.Load() && t.health.br.State(now) != stateOpen {
					ok = true
				}
			}
		}
		if !ok {
			return false, fmt.Sprintf("model %s has no available target", alias)
		}
	}
	return true, ""
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Check compiles a configuration the way the gateway would, guardrail policies included, without building
// providers or contacting upstreams.
func Check(cfg *config.Config) error {
	g := &Gateway{opts: Options{NewProvider: func(provider.Config, *http.Client) (provider.Provider, error) { return nil, nil }, Logger: slog.New(slog.DiscardHandler), Now: time.Now}, log: slog.New(slog.DiscardHandler), targets: map[string]*targetHealth{}}
	_, err := g.build(cfg)
	return err
}
