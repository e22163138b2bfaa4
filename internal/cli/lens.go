package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/report"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) lensCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lens",
		Short: "List, show, validate, import and export lenses",
		Long: `Work with the lens catalogue. walens ships the machine-learning, generative-ai, responsible-ai,
sustainability-ai and agentic-ai lenses, and reads custom lenses in two formats: the walens YAML
format (docs/lens-format.md) and the AWS Well-Architected Tool custom-lens JSON format.`,
	}
	cmd.AddCommand(a.lensListCommand(), a.lensShowCommand(), a.lensValidateCommand(), a.lensImportCommand(), a.lensExportCommand())
	return cmd
}

// resolveLens accepts a catalogue ID or a lens file.
func (a *app) resolveLens(ref string) (*lens.Lens, error) {
	l, warnings, err := a.catalog.Resolve(ref, ".")
	for _, w := range warnings {
		fmt.Fprintf(a.io.Stderr, "walens: %s\n", w)
	}
	return l, err
}

func (a *app) lensListCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the built-in lenses",
		Example: "  walens lens list\n  walens lens list --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			ls, err := a.catalog.Builtin()
			if err != nil {
				return err
			}
			type row struct {
				ID         string `json:"id"`
				Name       string `json:"name"`
				Version    string `json:"version"`
				Groups     int    `json:"groups"`
				GroupLabel string `json:"groupLabel"`
				Questions  int    `json:"questions"`
				Practices  int    `json:"bestPractices"`
				URL        string `json:"url,omitempty"`
			}
			var rows []row
			for _, l := range ls {
				q, p := l.Counts()
				rows = append(rows, row{l.ID, l.Name, l.Version, len(l.Pillars), l.GroupName(), q, p, l.URL})
			}
			if format == "json" {
				return writeJSON(a.io.Stdout, rows)
			}
			w := a.io.Stdout
			fmt.Fprintf(w, "%-18s %-34s %9s %13s  %s\n", "ID", "NAME", "QUESTIONS", "PRACTICES", "GROUPED BY")
			for _, r := range rows {
				fmt.Fprintf(w, "%-18s %-34s %9d %13d  %d %ss\n", r.ID, r.Name, r.Questions, r.Practices, r.Groups, r.GroupLabel)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func (a *app) lensShowCommand() *cobra.Command {
	var format, question string
	cmd := &cobra.Command{
		Use:   "show LENS",
		Short: "Show a lens: its questions and choices, or one question in full",
		Long: `Show a lens's pillars (or focus areas), questions and best practices with their risk levels. LENS is a
built-in lens ID or a lens file. With --question, show one question in full: its description, and each
choice's guidance, improvement plan, link and the risk rules. --format yaml prints the lens in the
walens format, a good start for a custom lens.`,
		Example: `  walens lens show generative-ai
  walens lens show machine-learning --question MLSEC03
  walens lens show machine-learning --question MLSEC-04
  walens lens show responsible-ai --format yaml > my-lens.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "yaml", "json"); err != nil {
				return err
			}
			l, err := a.resolveLens(args[0])
			if err != nil {
				return err
			}
			w := a.io.Stdout
			switch format {
			case "yaml":
				enc := yaml.NewEncoder(w)
				enc.SetIndent(2)
				if err := enc.Encode(l); err != nil {
					return err
				}
				return enc.Close()
			case "json":
				return writeJSON(w, l)
			}
			if question == "" {
				return report.LensText(w, l)
			}
			ref := findQuestion(l, question)
			if ref.Question == nil {
				err := fmt.Errorf("lens %s has no question %q", l.ID, question)
				if s := diag.Closest(question, l.QuestionNames()); s != "" {
					err = fmt.Errorf("%w (did you mean %q?)", err, s)
				}
				return &exitError{code: ExitInvalid, err: err}
			}
			return report.QuestionText(w, l, ref)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, yaml (walens lens format) or json")
	cmd.Flags().StringVarP(&question, "question", "q", "", "show this question in full (ID, AWS ID, alias, or a best-practice ID)")
	return cmd
}

// findQuestion accepts a question's ID, AWS ID or alias, or the ID of one of its best practices.
func findQuestion(l *lens.Lens, id string) lens.QuestionRef {
	ref := l.Question(id)
	if ref.Question == nil {
		l.EachQuestion(func(p *lens.Pillar, q *lens.Question) {
			if ref.Question == nil && q.Choice(id) != nil {
				ref = lens.QuestionRef{Pillar: p, Question: q}
			}
		})
	}
	return ref
}

func (a *app) lensValidateCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check lens files (walens YAML or custom-lens JSON) against the format and the WA Tool's limits",
		Long: `Check each lens file and list every problem with its file, line and path. Exit 0 when all are valid,
1 when any is invalid, 2 when a file cannot be read.`,
		Example: "  walens lens validate my-lens.yaml\n  walens lens validate lenses/*.json --format json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			type result struct {
				File      string         `json:"file"`
				Valid     bool           `json:"valid"`
				ID        string         `json:"id,omitempty"`
				Questions int            `json:"questions,omitempty"`
				Practices int            `json:"choices,omitempty"`
				Problems  []diag.Problem `json:"problems"`
			}
			var results []result
			invalid, unreadable := 0, 0
			for _, f := range args {
				res := result{File: f, Problems: []diag.Problem{}}
				l, warnings, err := lens.LoadFile(f, lens.Options{})
				var list diag.List
				switch {
				case err == nil:
					res.Valid = true
					res.ID = l.ID
					res.Questions, res.Practices = l.Counts()
					res.Problems = append(res.Problems, warnings...)
				case errors.As(err, &list):
					invalid++
					res.Problems = append(res.Problems, list...)
				default:
					unreadable++
					res.Problems = append(res.Problems, diag.Problem{File: f, Message: err.Error()})
				}
				results = append(results, res)
			}
			if format == "json" {
				if err := writeJSON(a.io.Stdout, results); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					if r.Valid {
						fmt.Fprintf(a.io.Stdout, "ok   %s: lens %s, %d questions, %d best practices\n", r.File, r.ID, r.Questions, r.Practices)
					} else {
						fmt.Fprintf(a.io.Stdout, "FAIL %s\n", r.File)
					}
					for _, p := range r.Problems {
						fmt.Fprintf(a.io.Stdout, "  %s\n", p)
					}
				}
			}
			switch {
			case unreadable > 0:
				return &exitError{code: ExitInvalid}
			case invalid > 0:
				return &exitError{code: ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func (a *app) lensImportCommand() *cobra.Command {
	var id, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a custom lens (WA Tool JSON or walens YAML) into a walens lens file",
		Long: `Read a lens in the AWS Well-Architected Tool custom-lens JSON format (or the walens format), check it,
and write it as a walens YAML lens file that a workload can list under lenses:. The conversion is
lossless: "walens lens export" gives back the same custom-lens JSON.`,
		Example: `  walens lens import custom-lens-sagemaker-autogluon-v1.0.json
  walens lens import my-lens.json --id sagemaker-autogluon --out lenses/autogluon.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, warnings, err := lens.LoadFile(args[0], lens.Options{ID: id})
			if err != nil {
				return err
			}
			for _, w := range warnings {
				fmt.Fprintf(a.io.Stderr, "walens: %s\n", w)
			}
			if _, err := a.catalog.Get(l.ID); err == nil {
				return usageError("lens id %q is taken by a built-in lens; choose another with --id", l.ID)
			}
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "# Imported by walens from %s. Format: docs/lens-format.md\n", args[0])
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(l); err != nil {
				return fmt.Errorf("encode lens: %w", err)
			}
			if err := enc.Close(); err != nil {
				return fmt.Errorf("encode lens: %w", err)
			}
			if out == "" {
				out = l.ID + ".lens.yaml"
			}
			if force {
				err = atomicfile.WriteFile(out, buf.Bytes(), 0o644)
			} else {
				err = atomicfile.CreateNew(out, buf.Bytes(), 0o644)
			}
			if errors.Is(err, atomicfile.ErrExists) {
				return usageError("%s already exists; use --force to replace it or --out to choose another file", out)
			}
			if err != nil {
				return err
			}
			q, p := l.Counts()
			fmt.Fprintf(a.io.Stdout, "imported lens %s (%s): %d %ss, %d questions, %d choices -> %s\n", l.ID, l.Name, len(l.Pillars), l.GroupName(), q, p, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "lens ID (default: derived from the file name)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (default: ID.lens.yaml)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing output file")
	return cmd
}

func (a *app) lensExportCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export LENS",
		Short: "Write a lens as AWS Well-Architected Tool custom-lens JSON",
		Long: `Write a built-in lens or a lens file as custom-lens JSON (schemaVersion 2021-11-01) that the WA Tool's
ImportLens accepts. It fails if the lens breaks a WA Tool limit, including the 500 KB size limit.
walens-only fields (AWS best-practice IDs, risk levels, phases, dimensions) are not part of that format.`,
		Example: `  walens lens export generative-ai --out genai-lens.json
  aws wellarchitected import-lens --json-string file://genai-lens.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := a.resolveLens(args[0])
			if err != nil {
				return err
			}
			data, err := lens.Export(l)
			if err != nil {
				return err
			}
			o := a.openOutput(out)
			if _, err := o.w.Write(data); err != nil {
				return err
			}
			return o.close(a.io.Stderr)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (default: standard output)")
	return cmd
}
