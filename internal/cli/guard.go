package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/guard/importer"
	"github.com/walens/walens/internal/scan"
)

func (a *app) guardCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "guard",
		Short: "Guardrails: check text against Bedrock-style policies, import Bedrock guardrails, serve ApplyGuardrail",
		Long: `Enforce guardrails offline, with the concepts and names of Amazon Bedrock Guardrails: content filters
(HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK), denied topics, word filters and the
PROFANITY list, sensitive information (all 31 PII types, custom regexes) and contextual grounding.

A policy file is a Bedrock CreateGuardrail request in YAML or JSON, with an optional guardrailId, version
and walens block. "import" converts a Bedrock guardrail (CreateGuardrail JSON, get-guardrail output or
Terraform aws_bedrock_guardrail) into one. See docs/guardrails.md.`,
	}
	cmd.AddCommand(a.guardCheckCommand(), a.guardImportCommand(), a.guardServeCommand(), a.guardValidateCommand())
	return cmd
}

// loadEngine loads and compiles one policy file; problems are bad input.
func loadEngine(path string) (*guard.Engine, error) {
	p, err := guard.LoadPolicy(path)
	if err != nil {
		return nil, &exitError{code: ExitInvalid, err: err}
	}
	e, err := guard.New(p, guard.Options{})
	if err != nil {
		return nil, &exitError{code: ExitInvalid, err: fmt.Errorf("%s: %w", path, err)}
	}
	return e, nil
}

// checkResult is one input's outcome in walens guard check's JSON output.
type checkResult struct {
	Input    string          `json:"input"`
	Response *guard.Response `json:"response"`
}

func (a *app) guardCheckCommand() *cobra.Command {
	var policy, source, format, scope, groundingFile, query string
	cmd := &cobra.Command{
		Use:   "check --policy FILE [FILE...]",
		Short: "Check text from standard input or files against a guardrail policy (exit 1 when it intervenes)",
		Long: `Apply a guardrail policy to text, as Bedrock's ApplyGuardrail does: each FILE (or standard input,
when there is none or FILE is -) is one text. Text output lists what each policy found and the text the
guardrail would pass on (anonymised) or answer with (the blocked message); --format json prints the
ApplyGuardrail response of each input.

Contextual grounding needs the source the answer should be grounded in and the user's question:
--grounding-source FILE and --query TEXT, with --source output.

Exit status: 0 when the guardrail lets every input through unchanged, 1 when it intervenes on any
(blocks or anonymises), 2 on bad input (an invalid policy, unreadable or invalid UTF-8 text, text over
the policy's size limit).`,
		Example: `  echo "My SSN is 123-45-6789" | walens guard check --policy guardrail.yaml
  walens guard check --policy guardrail.yaml prompts/*.txt --format json | jq '.results[].response.action'
  walens guard check --policy guardrail.yaml --source output answer.txt --grounding-source kb.txt --query "What is the fee?"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if policy == "" {
				return usageError("--policy is required")
			}
			src := guard.Source(strings.ToUpper(source))
			if src != guard.Input && src != guard.Output {
				return choiceError("--source", source, []string{"input", "output"})
			}
			sc := strings.ToUpper(scope)
			if sc != guard.OutputScopeDetect && sc != guard.OutputScopeFull {
				return choiceError("--scope", scope, []string{"interventions", "full"})
			}
			if (groundingFile == "") != (query == "") {
				return usageError("contextual grounding needs both --grounding-source and --query")
			}
			e, err := loadEngine(policy)
			if err != nil {
				return err
			}
			var extra []guard.Content
			if groundingFile != "" {
				g, err := a.readText(groundingFile, e.MaxTextBytes())
				if err != nil {
					return err
				}
				extra = []guard.Content{
					{Text: g, Qualifiers: []string{guard.QualifierGroundingSource}},
					{Text: query, Qualifiers: []string{guard.QualifierQuery}},
				}
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			var results []checkResult
			intervened := false
			for _, name := range args {
				text, err := a.readText(name, e.MaxTextBytes())
				if err != nil {
					return err
				}
				content := []guard.Content{{Text: text}}
				if len(extra) > 0 {
					content = slices.Concat(extra, []guard.Content{{Text: text, Qualifiers: []string{guard.QualifierGuardContent}}})
				}
				resp, err := e.Apply(cmd.Context(), src, content, guard.ApplyOptions{OutputScope: sc})
				if err != nil {
					return &exitError{code: ExitInvalid, err: fmt.Errorf("%s: %w", displayName(name), err)}
				}
				intervened = intervened || resp.Intervened()
				results = append(results, checkResult{Input: displayName(name), Response: resp})
			}
			if format == "json" {
				err = writeJSON(a.io.Stdout, map[string]any{"results": results})
			} else {
				err = writeCheckText(a.io.Stdout, e, results)
			}
			if err != nil {
				return err
			}
			if intervened {
				return &exitError{code: ExitFailed}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&policy, "policy", "", "the guardrail policy file (YAML or JSON)")
	f.StringVar(&source, "source", "input", "whether the text is a model's input (a prompt) or its output: input or output")
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.StringVar(&scope, "scope", "interventions", "what the assessment lists: interventions (detections only) or full (every filter evaluated)")
	f.StringVar(&groundingFile, "grounding-source", "", "file holding the source the answer should be grounded in (for contextual grounding)")
	f.StringVar(&query, "query", "", "the user's question the answer responds to (for contextual grounding)")
	return cmd
}

func displayName(name string) string {
	if name == "-" {
		return "(stdin)"
	}
	return name
}

// readText reads one input, refusing more than limit bytes and invalid UTF-8 with a message that says where.
func (a *app) readText(name string, limit int) (string, error) {
	var r io.Reader = a.io.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", &exitError{code: ExitInvalid, err: err}
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return "", &exitError{code: ExitInvalid, err: fmt.Errorf("reading %s: %w", displayName(name), err)}
	}
	if len(data) > limit {
		return "", &exitError{code: ExitInvalid, err: fmt.Errorf("%s is larger than the policy's limit of %d bytes (walens.maxTextBytes)", displayName(name), limit)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		return "", &exitError{code: ExitInvalid, err: fmt.Errorf("%s is not valid UTF-8 (first invalid byte at offset %d)", displayName(name), off)}
	}
	return string(data), nil
}

func writeCheckText(w io.Writer, e *guard.Engine, results []checkResult) error {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n")
		}
		resp := r.Response
		status := "PASSED"
		switch {
		case resp.Blocked:
			status = "BLOCKED"
		case resp.Intervened():
			status = "ANONYMIZED"
		}
		fmt.Fprintf(&b, "%-10s %s  (guardrail %s version %s)\n", status, r.Input, e.ID(), e.Version())
		for _, line := range findingLines(resp) {
			fmt.Fprintf(&b, "  %s\n", line)
		}
		if resp.Intervened() {
			for _, o := range resp.Outputs {
				fmt.Fprintf(&b, "  output: %s\n", strings.ReplaceAll(strings.TrimRight(o.Text, "\n"), "\n", "\n          "))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// findingLines describes each finding of a response on one line.
func findingLines(r *guard.Response) []string {
	var out []string
	for _, a := range r.Assessments {
		if p := a.ContentPolicy; p != nil {
			for _, f := range p.Filters {
				out = append(out, fmt.Sprintf("content   %-13s confidence %-6s strength %-6s %s", f.Type, f.Confidence, f.FilterStrength, f.Action))
			}
		}
		if p := a.TopicPolicy; p != nil {
			for _, f := range p.Topics {
				out = append(out, fmt.Sprintf("topic     %-30q %s", f.Name, f.Action))
			}
		}
		if p := a.WordPolicy; p != nil {
			for _, f := range p.CustomWords {
				out = append(out, fmt.Sprintf("word      %-30q %s", f.Match, f.Action))
			}
			for _, f := range p.ManagedWordLists {
				out = append(out, fmt.Sprintf("word      %-30q %s (%s)", f.Match, f.Action, f.Type))
			}
		}
		if p := a.SensitiveInformationPolicy; p != nil {
			for _, f := range p.PiiEntities {
				out = append(out, fmt.Sprintf("pii       %-34s %-10s %q", f.Type, f.Action, f.Match))
			}
			for _, f := range p.Regexes {
				out = append(out, fmt.Sprintf("regex     %-34s %-10s %q", f.Name, f.Action, f.Match))
			}
		}
		if p := a.ContextualGroundingPolicy; p != nil {
			for _, f := range p.Filters {
				out = append(out, fmt.Sprintf("grounding %-13s score %.2f threshold %.2f %s", f.Type, f.Score, f.Threshold, f.Action))
			}
		}
	}
	return out
}

func (a *app) guardImportCommand() *cobra.Command {
	var out, id, version, resource, format string
	var vars, varFiles []string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a Bedrock guardrail (CreateGuardrail JSON, get-guardrail output, Terraform) into a walens policy",
		Long: `Read an Amazon Bedrock guardrail definition and write it as a walens guardrail policy:
  - a CreateGuardrail request: the JSON of "aws bedrock create-guardrail --cli-input-json", or an SDK request;
  - a GetGuardrail response: the output of "aws bedrock get-guardrail";
  - Terraform: a .tf or .tf.json file, or a directory, with aws_bedrock_guardrail resources. Variables,
    locals, tfvars files and dynamic blocks are evaluated as "walens scan" does; give variables without
    defaults values with --var and --var-file.

The policy is validated against Bedrock's limits; every problem is reported with file and line.
Without --out, the policy is printed. With several Terraform guardrails, pick one with --resource or
give --out a directory to write one file per guardrail.`,
		Example: `  walens guard import create-guardrail.json --version 1 --out guardrail.yaml
  aws bedrock get-guardrail --guardrail-identifier abc123 --guardrail-version 3 > g.json && walens guard import g.json
  walens guard import infra/ --resource aws_bedrock_guardrail.chat --var env=prod --out guardrails/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "yaml", "json"); err != nil {
				return err
			}
			vs, err := scan.Pairs("variable", vars)
			if err != nil {
				return usageError("%v", err)
			}
			ps, err := importer.File(cmd.Context(), args[0], importer.Options{Resource: resource, Vars: vs, VarFiles: varFiles, ID: id, Version: version})
			if err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			return a.writePolicies(ps, out, format)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "file to write (or an existing directory, for one file per guardrail); default standard output")
	f.StringVar(&id, "id", "", "guardrailId of the policy (default: the Bedrock ID, or the guardrail's name)")
	f.StringVar(&version, "version", "", "version of the policy: a number or DRAFT (default: the Bedrock version, or DRAFT)")
	f.StringVar(&resource, "resource", "", "Terraform: the aws_bedrock_guardrail to import, by address or name")
	f.StringArrayVar(&vars, "var", nil, "Terraform variable as NAME=VALUE (repeatable)")
	f.StringArrayVar(&varFiles, "var-file", nil, "Terraform variable file (repeatable)")
	f.StringVar(&format, "format", "yaml", "policy format: yaml or json")
	return cmd
}

func marshalPolicy(p *guard.Policy, format string) ([]byte, error) {
	if format == "json" {
		var b strings.Builder
		if err := writeJSON(&b, p); err != nil {
			return nil, err
		}
		return []byte(b.String()), nil
	}
	data, err := yaml.Marshal(p)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf("# walens guardrail policy %q, version %s: a Bedrock CreateGuardrail request. See docs/guardrails.md.\n", p.Name, versionOrDraft(p.Version))
	return append([]byte(head), data...), nil
}

func versionOrDraft(v string) string {
	if v == "" {
		return "DRAFT"
	}
	return v
}

func (a *app) writePolicies(ps []*guard.Policy, out, format string) error {
	info, statErr := os.Stat(out)
	isDir := out != "" && statErr == nil && info.IsDir()
	if len(ps) > 1 && !isDir {
		var names []string
		for _, p := range ps {
			names = append(names, p.Name)
		}
		if out != "" {
			return usageError("the configuration declares %d guardrails (%s): pick one with --resource, or give --out an existing directory", len(ps), strings.Join(names, ", "))
		}
	}
	for i, p := range ps {
		data, err := marshalPolicy(p, format)
		if err != nil {
			return err
		}
		switch {
		case out == "" || out == "-":
			if i > 0 {
				fmt.Fprintln(a.io.Stdout, "---")
			}
			if _, err := a.io.Stdout.Write(data); err != nil {
				return err
			}
		default:
			path := out
			if isDir {
				path = filepath.Join(out, p.Name+".guardrail."+format)
			}
			if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			fmt.Fprintf(a.io.Stderr, "wrote %s (guardrail %s version %s)\n", path, p.GuardrailID, versionOrDraft(p.Version))
		}
	}
	return nil
}

func (a *app) guardValidateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check guardrail policy files against Bedrock's rules and limits",
		Long: `Load each policy file and report every problem with file, line and column: unknown fields (with a
suggestion), values outside Bedrock's enumerations and limits, and regular expressions RE2 cannot run.
Exit 0 when all are valid, 1 when any is not.`,
		Example: `  walens guard validate guardrails/*.yaml`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				p, err := guard.LoadPolicy(path)
				if err == nil {
					_, err = guard.New(p, guard.Options{})
				}
				if err != nil {
					bad++
					fmt.Fprintf(a.io.Stdout, "FAIL %s\n", path)
					reportError(a.io.Stdout, err)
					continue
				}
				fmt.Fprintf(a.io.Stdout, "ok   %s (guardrail %s version %s)\n", path, p.GuardrailID, versionOrDraft(p.Version))
			}
			if bad > 0 {
				return &exitError{code: ExitFailed}
			}
			return nil
		},
	}
}

func (a *app) guardServeCommand() *cobra.Command {
	var policies []string
	var listen string
	cmd := &cobra.Command{
		Use:   "serve --policy FILE... [--listen ADDR]",
		Short: "Serve Bedrock's ApplyGuardrail API for guardrail policies on its own port",
		Long: `Serve POST /guardrail/{id}/version/{version}/apply with Bedrock's ApplyGuardrail request and
response JSON, so the AWS SDKs and CLI can call walens with an endpoint override. Each --policy file is
one guardrail version, addressed by its guardrailId (or name, or ARN) and version (DRAFT when the file
has none). GET /guardrails lists them; GET /healthz answers ok. One log line per decision records the
guardrail, the action and what was found, never the text.`,
		Example: `  walens guard serve --policy guardrails/support.yaml --listen 127.0.0.1:8089
  aws bedrock-runtime apply-guardrail --endpoint-url http://127.0.0.1:8089 \
      --guardrail-identifier support --guardrail-version 1 --source INPUT \
      --content '[{"text":{"text":"My SSN is 123-45-6789"}}]'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(policies) == 0 {
				return usageError("--policy is required")
			}
			reg := guard.NewRegistry()
			for _, path := range policies {
				e, err := loadEngine(path)
				if err != nil {
					return err
				}
				if err := reg.Add(e); err != nil {
					return &exitError{code: ExitInvalid, err: fmt.Errorf("%s: %w", path, err)}
				}
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			logger := slog.New(slog.NewTextHandler(a.io.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			return serveGuard(cmd.Context(), ln, reg, logger)
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "guardrail policy file (repeatable)")
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8089", "address to listen on")
	return cmd
}

// serveGuard serves the API on ln until ctx ends, then shuts down gracefully.
func serveGuard(ctx context.Context, ln net.Listener, reg *guard.Registry, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           guard.NewHandler(reg, guard.HandlerOptions{Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	for _, g := range reg.List() {
		logger.Info("guardrail loaded", "guardrail", g.ID, "name", g.Name, "version", g.Version)
	}
	logger.Info("serving ApplyGuardrail", "addr", "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return &exitError{code: ExitInvalid, err: err}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
