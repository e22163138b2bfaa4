package gateway

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/walens/walens/internal/gateway/config"
)

// ServeOptions control one run of the server.
type ServeOptions struct {
	// Reload delivers reload requests (SIGHUP in the CLI); each re-reads the configuration with Load.
	Reload <-chan struct{}
	// Load reads the configuration again on reload.
	Load func() (*config.Config, error)
	// Reloaded, when set, is told the outcome of each reload (tests wait on it).
	Reloaded func(error)
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully: it stops accepting connections, lets
// requests and streams in flight finish for up to server.shutdown_timeout, and then cuts the rest. Health checks
// run meanwhile. Settings that shape the listener (listen, server timeouts) apply at start only; a reload swaps
// everything else.
func (g *Gateway) Serve(ctx context.Context, ln net.Listener, opts ServeOptions) error {
	cfg := g.Config()
	var inflight sync.WaitGroup
	srv := &http.Server{
		Handler:           g.track(&inflight),
		ReadHeaderTimeout: cfg.Server.ReadHeaderTimeout.D(10 * time.Second),
		IdleTimeout:       cfg.Server.IdleTimeout.D(120 * time.Second),
		ErrorLog:          nil,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	var wg sync.WaitGroup
	bg, stopBG := context.WithCancel(ctx)
	defer func() {
		stopBG()
		wg.Wait()
	}()
	wg.Go(func() { g.runHealthChecks(bg) })
	wg.Go(func() {
		for {
			select {
			case <-bg.Done():
				return
			case <-opts.Reload:
				err := g.reloadFrom(opts.Load)
				if opts.Reloaded != nil {
					opts.Reloaded(err)
				}
			}
		}
	})

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	g.log.Info("gateway listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	g.log.Info("shutting down: finishing requests in flight", "timeout", g.Config().Server.ShutdownTimeout.D(30*time.Second).String())
	sctx, cancel := context.WithTimeout(context.Background(), g.Config().Server.ShutdownTimeout.D(30*time.Second))
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		g.log.Warn("shutdown deadline passed; closing the remaining connections")
		srv.Close()
	}
	inflight.Wait() // handlers end promptly once their connections are closed
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

func (g *Gateway) reloadFrom(load func() (*config.Config, error)) error {
	if load == nil {
		return errors.New("no configuration loader")
	}
	cfg, err := load()
	if err == nil {
		err = g.Reload(cfg)
	}
	if err != nil {
		g.log.Error("reload failed; keeping the running configuration", "err", err)
	}
	return err
}

// track counts handlers in flight, so that shutdown can wait for them.
func (g *Gateway) track(wg *sync.WaitGroup) http.Handler {
	h := g.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		h.ServeHTTP(w, r)
	})
}
