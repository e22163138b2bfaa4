package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
)

// RunOptions configure Run.
type RunOptions struct {
	// Lookup reads environment variables for ${ENV} expansion; nil means the process environment.
	Lookup func(string) (string, bool)
	Logger *slog.Logger
	// Reload delivers reload requests (SIGHUP).
	Reload <-chan struct{}
	// Listening, when set, is told the address once the gateway accepts connections.
	Listening func(addr string)
	// Reloaded, when set, is told the outcome of each reload.
	Reloaded func(error)
	// NewProvider replaces the built-in providers (tests).
	NewProvider ProviderFactory
}

// Run loads the configuration at path and serves it until ctx ends, with every stage the configuration asks for:
// limits (in process, or in Redis), metering and /metrics, audit log and capture.
func Run(ctx context.Context, path string, opts RunOptions) error {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	load := func() (*config.Config, error) { return config.Load(path, opts.Lookup) }
	cfg, err := load()
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	hc := &http.Client{Transport: newTransport()}
	defer hc.CloseIdleConnections()
	newProvider := opts.NewProvider
	if newProvider == nil {
		newProvider = func(pc provider.Config, hc *http.Client) (provider.Provider, error) {
			return BuiltinProvider(ctx, pc, hc)
		}
	}
	gopts := Options{
		Logger:      log,
		NewProvider: newProvider,
		HTTPClient:  hc,
		Metrics:     promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}),
	}
	stages, err := openStages(ctx, cfg, reg, log)
	if err != nil {
		return err
	}
	defer stages.close(context.WithoutCancel(ctx), log)
	stages.apply(&gopts)
	g, err := New(cfg, gopts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("gateway: listen on %s: %w", cfg.Listen, err)
	}
	if opts.Listening != nil {
		opts.Listening(ln.Addr().String())
	}
	return g.Serve(ctx, ln, ServeOptions{Reload: opts.Reload, Load: load, Reloaded: opts.Reloaded})
}
