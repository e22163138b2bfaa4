package gateway

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/walens/walens/internal/gateway/config"
)

// stages are the optional pipeline stages Run opens from the configuration.
type stages struct {
	limiter Limiter
	meter   Meter
	auditor Auditor
	closers []func(context.Context) error
}

func openStages(ctx context.Context, cfg *config.Config, reg prometheus.Registerer, log *slog.Logger) (*stages, error) {
	return &stages{}, nil
}

func (s *stages) apply(o *Options) {
	o.Limiter, o.Meter, o.Auditor = s.limiter, s.meter, s.auditor
}

func (s *stages) close(ctx context.Context, log *slog.Logger) {
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](ctx); err != nil {
			log.Error("closing a gateway stage", "err", err)
		}
	}
}
