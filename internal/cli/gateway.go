package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/walens/walens/internal/gateway"
	"github.com/walens/walens/internal/gateway/config"
)

func (a *app) gatewayCommand() *cobra.Command {
	var cfgPath, logLevel, logFormat string
	cmd := &cobra.Command{
		Use:   "gateway --config FILE",
		Short: "Serve an OpenAI-compatible inference gateway in front of OpenAI-compatible, Bedrock and Anthropic models",
		Long: `Serve POST /v1/chat/completions (streaming too), POST /v1/embeddings and GET /v1/models with the
OpenAI wire format, in front of OpenAI-compatible servers, Amazon Bedrock and Anthropic, with virtual keys,
rate limits and budgets, retries, fallback, circuit breakers, guardrails, metering, an audit log and
payload capture. /healthz, /readyz and /metrics serve operations.

SIGHUP reloads the configuration (a bad one is logged and the running one kept); SIGINT and SIGTERM
stop accepting connections and let requests and streams in flight finish. See docs/gateway.md.`,
		Example: `  walens gateway check --config gateway.yaml
  walens gateway --config gateway.yaml
  walens gateway keys create --id team-a`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfgPath == "" {
				return usageError("--config is required")
			}
			var level slog.Level
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return choiceError("--log-level", logLevel, []string{"debug", "info", "warn", "error"})
			}
			if err := checkFormat(logFormat, "json", "text"); err != nil {
				return err
			}
			hopts := &slog.HandlerOptions{Level: level}
			var logger *slog.Logger
			if logFormat == "json" {
				logger = slog.New(slog.NewJSONHandler(a.io.Stderr, hopts))
			} else {
				logger = slog.New(slog.NewTextHandler(a.io.Stderr, hopts))
			}
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			reload := make(chan struct{})
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			go func() {
				for {
					select {
					case <-ctx.Done():
						return
					case <-hup:
						select {
						case reload <- struct{}{}:
						case <-ctx.Done():
							return
						}
					}
				}
			}()
			err := gateway.Run(ctx, cfgPath, gateway.RunOptions{Lookup: a.lookupEnv, Logger: logger, Reload: reload})
			if err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "", "gateway configuration file (format walens-gateway/v1)")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	cmd.Flags().StringVar(&logFormat, "log-format", "json", "json or text")
	cmd.AddCommand(a.gatewayCheckCommand(), a.gatewayKeysCommand())
	return cmd
}

// lookupEnv reads the environment for ${ENV} expansion; an empty variable counts as unset, so that a secret
// exported empty by mistake is reported rather than sent.
func (a *app) lookupEnv(name string) (string, bool) {
	v := a.io.Getenv(name)
	return v, v != ""
}

func (a *app) gatewayCheckCommand() *cobra.Command {
	var cfgPath, format string
	cmd := &cobra.Command{
		Use:   "check --config FILE",
		Short: "Validate a gateway configuration and summarise it (exit 1 when it is invalid)",
		Long: `Read the configuration as "walens gateway" would: expand ${ENV} references, check every field and
load the guardrail policies it names, without contacting any upstream. Problems are listed with
file:line and the field; a valid file is summarised (providers, aliases and their targets, keys
without their hashes).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfgPath == "" {
				return usageError("--config is required")
			}
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			cfg, err := config.Load(cfgPath, a.lookupEnv)
			if err == nil {
				err = gateway.Check(cfg)
			}
			if err != nil {
				var pe *os.PathError
				if errors.As(err, &pe) && cfg == nil {
					return &exitError{code: ExitInvalid, err: err}
				}
				if format == "json" {
					writeJSON(a.io.Stdout, map[string]any{"valid": false, "error": err.Error()})
					return &exitError{code: ExitFailed}
				}
				return &exitError{code: ExitFailed, err: err}
			}
			sum := cfg.Summarize()
			if format == "json" {
				return writeJSON(a.io.Stdout, map[string]any{"valid": true, "summary": sum})
			}
			return writeGatewaySummary(a.io.Stdout, sum)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "", "gateway configuration file")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func writeGatewaySummary(w io.Writer, s config.Summary) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s is valid: listens on %s\n", s.File, s.Listen)
	fmt.Fprintf(b, "providers (%d):\n", len(s.Providers))
	for _, p := range s.Providers {
		where := p.BaseURL
		if where == "" {
			where = p.Region
		}
		fmt.Fprintf(b, "  %-16s %-9s %s\n", p.Name, p.Kind, where)
	}
	fmt.Fprintf(b, "models (%d):\n", len(s.Models))
	for _, m := range s.Models {
		fmt.Fprintf(b, "  %s\n", m.Alias)
		for _, t := range m.Targets {
			fmt.Fprintf(b, "    -> %s\n", t)
		}
		if m.InputGuardrail != "" || m.OutputGuardrail != "" {
			fmt.Fprintf(b, "    guardrails: input %s, output %s\n", orNone(m.InputGuardrail), orNone(m.OutputGuardrail))
		}
		if m.Degraded != "" {
			fmt.Fprintf(b, "    degraded: %s\n", m.Degraded)
		}
		if m.CapturePercent > 0 {
			fmt.Fprintf(b, "    capture: %g%%\n", m.CapturePercent)
		}
	}
	fmt.Fprintf(b, "keys (%d):\n", len(s.Keys))
	for _, k := range s.Keys {
		fmt.Fprintf(b, "  %-16s models %s", k.ID, strings.Join(k.Models, ","))
		if k.RPM > 0 {
			fmt.Fprintf(b, ", %d rpm", k.RPM)
		}
		if k.TPM > 0 {
			fmt.Fprintf(b, ", %d tpm", k.TPM)
		}
		if k.Daily > 0 {
			fmt.Fprintf(b, ", $%g/day", k.Daily)
		}
		if k.Month > 0 {
			fmt.Fprintf(b, ", $%g/month", k.Month)
		}
		b.WriteString("\n")
	}
	limits := "in process"
	if s.Redis != "" {
		limits = "Redis at " + s.Redis
	}
	fmt.Fprintf(b, "limits: %s\n", limits)
	if s.Audit != "" {
		fmt.Fprintf(b, "audit: %s\n", s.Audit)
	}
	if s.Capture != "" {
		fmt.Fprintf(b, "capture: %s\n", s.Capture)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (a *app) gatewayKeysCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create virtual API keys and hash them for the gateway configuration",
	}
	var id string
	create := &cobra.Command{
		Use:   "create [--id ID]",
		Short: "Print a new random key (shown once) and the keys entry to paste into the configuration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if id == "" {
				id = "key-" + strings.ToLower(rand.Text()[:8])
			}
			secret := "wl-" + rand.Text() + rand.Text()
			_, err := fmt.Fprintf(a.io.Stdout, "key:  %s\n# Give the key to its user; it is not stored and cannot be shown again. Add to keys:\n  - {id: %s, hash: \"%s\"}\n", secret, id, config.HashKey(secret))
			return err
		},
	}
	create.Flags().StringVar(&id, "id", "", "the key's ID in audit records and metrics (default: random)")
	hash := &cobra.Command{
		Use:   "hash",
		Short: "Read a key from standard input and print its sha256 hash for the configuration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line, err := bufio.NewReader(io.LimitReader(a.io.Stdin, 4096)).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return &exitError{code: ExitInvalid, err: err}
			}
			secret := strings.TrimSpace(line)
			if secret == "" {
				return usageError("no key on standard input")
			}
			_, err = fmt.Fprintln(a.io.Stdout, config.HashKey(secret))
			return err
		},
	}
	cmd.AddCommand(create, hash)
	return cmd
}
