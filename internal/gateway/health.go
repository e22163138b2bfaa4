package gateway

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
)

// runHealthChecks checks the targets of providers with health_check: true every health.interval until ctx ends.
// A target that fails its check is skipped by the router until a later check passes.
func (g *Gateway) runHealthChecks(ctx context.Context) {
	for {
		st := g.state.Load()
		g.checkAll(ctx, st)
		if err := sleep(ctx, st.cfg.Health.Interval.D(30*time.Second)); err != nil {
			return
		}
	}
}

func (g *Gateway) checkAll(ctx context.Context, st *state) {
	for _, t := range st.targets {
		if !t.check || ctx.Err() != nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, st.cfg.Health.Timeout.D(5*time.Second))
		err := g.checkTarget(cctx, t)
		cancel()
		if ctx.Err() != nil {
			return
		}
		was := t.health.healthy.Swap(err == nil)
		switch {
		case err != nil && was:
			g.log.Warn("health check failed; skipping the target", "target", t.name, "error", errorCode(err))
		case err == nil && !was:
			g.log.Info("health check passed; using the target again", "target", t.name)
		}
	}
}

// checkTarget asks an OpenAI-compatible upstream for its model list (free), and any other for a one-token
// completion. Only failures that say the upstream is down count; a refused request means it is up.
func (g *Gateway) checkTarget(ctx context.Context, t *target) error {
	if t.kind == config.KindOpenAI {
		return g.checkModels(ctx, t.provider)
	}
	one := 1
	_, err := t.p.Chat(ctx, &provider.ChatRequest{Model: t.model, MaxTokens: &one, Messages: []provider.Message{{Role: "user", Content: provider.TextContent("ping")}}})
	if err != nil && !provider.Retryable(err) {
		return nil
	}
	return err
}

func (g *Gateway) checkModels(ctx context.Context, p *config.Provider) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(p.BaseURL, "/")+"/models", nil)
	if err != nil {
		return err
	}
	for k, v := range p.Headers {
		req.Header.Set(k, v)
	}
	if p.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+p.APIKey)
	}
	resp, err := g.client(p.Transport).Do(req)
	if err != nil {
		return &provider.Error{Code: provider.CodeConnection, Message: "health check failed", Err: err}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return &provider.Error{Status: resp.StatusCode, Code: provider.CodeUpstream, Message: fmt.Sprintf("health check got HTTP %d", resp.StatusCode)}
	}
	return nil
}
