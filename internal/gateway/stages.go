package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/walens/walens/internal/audit"
	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/limit"
	"github.com/walens/walens/internal/metering"
)

// stages are the pipeline stages Run opens from the configuration.
type stages struct {
	limiter Limiter
	meter   *metering.Meter
	auditor Auditor
	shed    prometheus.Counter
	closers []func(context.Context) error
}

func openStages(ctx context.Context, cfg *config.Config, reg prometheus.Registerer, log *slog.Logger) (*stages, error) {
	s := &stages{meter: metering.NewMeter(reg), shed: shedCounter(reg)}
	if r := cfg.Redis; r != nil {
		c := redis.NewClient(&redis.Options{Addr: r.Addr, Username: r.Username, Password: r.Password, DB: r.DB})
		s.closers = append(s.closers, func(context.Context) error { return c.Close() })
		if err := c.Ping(ctx).Err(); err != nil {
			// Limits fail open while Redis is away; start anyway and say so.
			log.Warn("redis is not reachable; limits will admit requests until it is", "addr", r.Addr, "err", err)
		}
		s.limiter = limit.NewRedis(c, r.Prefix)
	} else {
		s.limiter = limit.NewMemory()
	}
	a, err := openAudit(ctx, cfg, log)
	if err != nil {
		s.close(ctx, log)
		return nil, fmt.Errorf("gateway: audit: %w", err)
	}
	if a != nil {
		s.auditor = a
		s.closers = append(s.closers, a.Close)
	}
	return s, nil
}

// shedCounter registers the count of requests refused by server.max_in_flight, or reuses it when already there.
func shedCounter(reg prometheus.Registerer) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "walens_gateway_shed_total",
		Help: "Model requests refused with 503 because server.max_in_flight requests were already being served.",
	})
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			if existing, ok := are.ExistingCollector.(prometheus.Counter); ok {
				return existing
			}
		}
	}
	return c
}

func (s *stages) apply(o *Options) {
	o.Limiter, o.Meter = s.limiter, s.meter
	o.Shed = s.shed.Inc
	meter := s.meter
	o.Usage = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": meter.Aggregates()})
	})
	if s.auditor != nil {
		o.Auditor = s.auditor
	}
	o.Prices = func(cfg *config.Config) Pricer {
		over := metering.Prices{}
		for m, p := range cfg.Prices {
			over[m] = metering.Price{InputPerMTok: p.InputPerMTok, OutputPerMTok: p.OutputPerMTok, CachedInputPerMTok: p.CachedInputPerMTok}
		}
		return metering.DefaultPrices().With(over).Pricer()
	}
}

func (s *stages) close(ctx context.Context, log *slog.Logger) {
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](ctx); err != nil {
			log.Error("closing a gateway stage", "err", err)
		}
	}
}

// closingAuditor is an Auditor that must be closed to flush.
type closingAuditor interface {
	Auditor
	Close(ctx context.Context) error
}

// openAudit opens the audit log when audit.dir or capture.dir is set. Capture sampling is decided per route by
// the gateway (audit.Sampled on the request ID), so the log captures every event it is handed.
func openAudit(ctx context.Context, cfg *config.Config, log *slog.Logger) (closingAuditor, error) {
	if cfg.Audit.Dir == "" && cfg.Capture.Dir == "" {
		return nil, nil
	}
	return audit.Open(ctx, audit.Config{
		Dir: cfg.Resolve(cfg.Audit.Dir), MaxFileBytes: cfg.Audit.MaxFileBytes, MaxFiles: cfg.Audit.MaxFiles, Buffer: cfg.Audit.Buffer,
		CaptureDir: cfg.Resolve(cfg.Capture.Dir), CapturePercent: 100,
	}, log)
}
