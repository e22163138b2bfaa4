package gateway

import (
	"context"
	"fmt"
	"net/http"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
	"github.com/walens/walens/internal/provider/anthropic"
	"github.com/walens/walens/internal/provider/bedrock"
	"github.com/walens/walens/internal/provider/openai"
)

// BuiltinProvider builds the provider of a target from walens' provider packages.
func BuiltinProvider(ctx context.Context, pc provider.Config, hc *http.Client) (provider.Provider, error) {
	switch pc.Kind {
	case config.KindOpenAI:
		return openai.New(pc, hc)
	case config.KindAnthropic:
		return anthropic.New(pc, hc)
	case config.KindBedrock:
		return bedrock.New(ctx, pc, hc)
	default:
		return nil, fmt.Errorf("provider kind %q is not available in this build", pc.Kind)
	}
}
