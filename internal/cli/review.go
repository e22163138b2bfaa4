package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/interview"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/report"
	"github.com/walens/walens/internal/review"
	"github.com/walens/walens/lenses"
)

// workloadFlag adds -f/--file to commands that take the workload file as a flag.
func workloadFlag(cmd *cobra.Command, target *string) {
	cmd.Flags().StringVarP(target, "file", "f", "", "workload file, or a directory holding walens.yaml (default ./walens.yaml)")
}

// workloadPath picks the workload file from a positional argument or -f, not both.
func workloadPath(args []string, flag string) (string, error) {
	if len(args) > 0 && flag != "" {
		return "", usageError("give the workload either as an argument or with --file, not both")
	}
	if len(args) > 0 {
		return review.FindFile(args[0]), nil
	}
	return review.FindFile(flag), nil
}

func (a *app) load(path string) (*review.Review, error) {
	r, err := review.Load(path, a.catalog)
	if err != nil {
		return nil, err
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(a.io.Stderr, "walens: %s\n", w)
	}
	return r, nil
}

// evaluate loads the workload named by a positional argument or -f, scans its evidence unless turned off, and
// evaluates it.
func (a *app) evaluate(ctx context.Context, args []string, file string, ev evidenceFlags) (*review.Review, *review.Result, error) {
	path, err := workloadPath(args, file)
	if err != nil {
		return nil, nil, err
	}
	r, err := a.load(path)
	if err != nil {
		return nil, nil, err
	}
	if ev.off {
		r.File.Evidence = nil
	}
	if err := a.attachEvidence(ctx, r, ev.paths); err != nil {
		return nil, nil, err
	}
	return r, review.Evaluate(r), nil
}

func (a *app) meta() report.Meta {
	return report.Meta{GeneratedAt: a.io.Now(), WalensVersion: a.io.Version}
}

// metaFor is meta for a report written to out ("" or "-" for standard output): links to evidence files are
// relative to the directory the report lands in.
func (a *app) metaFor(out string) report.Meta {
	m := a.meta()
	if out != "" && out != "-" {
		m.LinkBase = filepath.Dir(out)
	}
	return m
}

func (a *app) style(w io.Writer) report.Style {
	return report.Style{Color: a.useColor(w)}
}

func (a *app) reviewCommand() *cobra.Command {
	var file, format, out string
	var ev evidenceFlags
	cmd := &cobra.Command{
		Use:   "review [PATH]",
		Short: "Print the risk summary of a workload review, or write a full report",
		Long: `Evaluate the workload file's answers against its lenses and print the risk summary: questions at
HIGH, MEDIUM and no risk, not applicable and unanswered, per lens and per pillar (or focus area).

PATH is a workload file or a directory holding walens.yaml; it defaults to ./walens.yaml.

Formats: text (the terminal summary), markdown and html (full reports with every question and the
improvement plan; html is one self-contained file with charts), json (everything, for machines;
schema in docs/report-json.md).

Evidence: when the workload file has an evidence section, or --evidence names infrastructure code, walens
scans it first (see walens scan). A best practice the code shows in place answers questions nobody
answered; a person's answer always wins, and every disagreement is listed as a conflict.`,
		Example: `  walens review examples/rag-assistant
  walens review --format html --output review.html
  walens review --format json | jq '.totals'
  walens review services/fraud --evidence services/fraud/infra`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "markdown", "json", "html")); err != nil {
				return err
			}
			r, res, err := a.evaluate(cmd.Context(), args, file, ev)
			if err != nil {
				return err
			}
			plan := review.BuildPlan(res)
			o := a.openOutput(out)
			switch format {
			case "text":
				err = report.Summary(o.w, res, plan, a.style(o.w))
			case "markdown":
				err = report.Markdown(o.w, res, plan, a.metaFor(out))
			case "json":
				err = report.ReviewJSON(o.w, res, plan, r.Warnings, a.meta())
			case "html":
				err = report.HTML(o.w, res, plan, a.metaFor(out))
			}
			if err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			return o.close(a.io.Stderr)
		},
	}
	workloadFlag(cmd, &file)
	ev.add(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown, json or html")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.AddCommand(a.initCommand(), a.answerCommand(), a.planCommand(), a.milestoneCommand(), a.milestonesCommand(),
		a.diffCommand(), a.checkCommand())
	return cmd
}

func (a *app) initCommand() *cobra.Command {
	var o review.TemplateOptions
	var lensRefs []string
	var force bool
	cmd := &cobra.Command{
		Use:   "init [PATH]",
		Short: "Write a commented workload file to start a review",
		Long: `Write a workload file (walens.yaml) with the workload's facts and an empty answers section, with
comments that explain each field. PATH is the file or the directory to create it in (default: the
current directory). An existing file is never overwritten.`,
		Example: `  walens review init --name rag-assistant --lens generative-ai,responsible-ai
  walens review init services/fraud --name fraud-scoring --lens machine-learning --environment PRODUCTION`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := review.DefaultFile
			if len(args) == 1 {
				path = args[0]
				// A path that is not a YAML file name is a directory, existing or to be created.
				if st, err := os.Stat(path); (err == nil && st.IsDir()) || !hasYAMLExt(path) {
					path = filepath.Join(path, review.DefaultFile)
				}
			}
			if o.Name == "" {
				o.Name = filepath.Base(filepath.Dir(mustAbs(path)))
			}
			if len(lensRefs) == 0 {
				return usageError("choose the lenses to review against with --lens; built-in lenses are %s", strings.Join(a.catalog.BuiltinIDs(), ", "))
			}
			for _, ref := range lensRefs {
				l, _, err := a.catalog.Resolve(ref, filepath.Dir(path))
				if err != nil {
					return err
				}
				o.Lenses = append(o.Lenses, l)
				o.LensRefs = append(o.LensRefs, ref)
			}
			o.Builtins = a.catalog.BuiltinIDs()
			ref := filepath.Dir(path)
			if filepath.Base(path) != review.DefaultFile {
				ref = path
			}
			data, err := review.Template(ref, o)
			if err != nil {
				return err
			}
			// The template must load in a fresh process; a name or environment a user typed could make it invalid.
			fresh, err := lens.NewCatalog(lenses.FS)
			if err != nil {
				return err
			}
			if _, err := review.Parse(data, path, fresh); err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
			}
			if force {
				err = atomicfile.WriteFile(path, data, 0o644)
			} else {
				err = atomicfile.CreateNew(path, data, 0o644)
			}
			if errors.Is(err, atomicfile.ErrExists) {
				return &exitError{code: ExitInvalid, err: fmt.Errorf("%s already exists; walens will not overwrite it (use --force to replace it)", path)}
			}
			if err != nil {
				return err
			}
			next := filepath.Dir(path)
			if filepath.Base(path) != review.DefaultFile {
				next = path
			}
			fmt.Fprintf(a.io.Stdout, "wrote %s\nNext: walens review answer %s\n", path, next)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Name, "name", "", "workload name (default: the directory name)")
	cmd.Flags().StringVar(&o.Description, "description", "", "what the workload does")
	cmd.Flags().StringVar(&o.Environment, "environment", "PREPRODUCTION", "PRODUCTION or PREPRODUCTION")
	cmd.Flags().StringVar(&o.Owner, "owner", "", "team or person who owns the review")
	cmd.Flags().StringSliceVar(&o.Regions, "region", nil, "AWS Region the workload runs in (repeatable)")
	cmd.Flags().StringSliceVar(&lensRefs, "lens", nil, "lens ID or custom lens file (repeatable, or comma-separated)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing workload file")
	return cmd
}

func hasYAMLExt(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}

func (a *app) answerCommand() *cobra.Command {
	var file string
	var opts interview.Options
	cmd := &cobra.Command{
		Use:   "answer [PATH]",
		Short: "Answer the review's questions interactively",
		Long: `Walk through the unanswered questions one at a time. For each, type the numbers of the practices in
place (1,3-4), "na:2" for a practice that does not apply, 0 for none of these, n for a question that
does not apply, s to skip, ? for guidance, q to stop; text after # becomes the question's notes.
Every answer is saved to the workload file at once, so stopping keeps what was answered. Answers can
be piped in, one line per question.`,
		Example: `  walens review answer
  walens review answer examples/rag-assistant --lens generative-ai
  walens review answer --question GENSEC01 --question gensec02
  printf '1,2\n0\nn OUT_OF_SCOPE # no agents\n' | walens review answer`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.checkColorFlag(); err != nil {
				return err
			}
			path, err := workloadPath(args, file)
			if err != nil {
				return err
			}
			r, err := a.load(path)
			if err != nil {
				return err
			}
			opts.Color = a.useColor(a.io.Stdout)
			opts.Echo = !isTerminal(a.io.Stdin)
			save := func(r *review.Review) (*review.Review, error) { return r.Save(a.catalog) }
			sum, err := interview.Run(cmd.Context(), a.io.Stdin, a.io.Stdout, r, save, opts)
			if err != nil {
				return err
			}
			if sum.Asked > 0 {
				msg := fmt.Sprintf("%s saved, %d skipped", plural(sum.Answered, "answer", "answers"), sum.Skipped)
				if sum.Stopped != "" {
					msg += " (stopped: " + sum.Stopped + ")"
				}
				fmt.Fprintf(a.io.Stdout, "\n%s. Summary: walens review %s\n", msg, path)
			}
			return nil
		},
	}
	workloadFlag(cmd, &file)
	cmd.Flags().StringVar(&opts.Lens, "lens", "", "only questions of this lens")
	cmd.Flags().StringSliceVar(&opts.Questions, "question", nil, "only this question, answered or not (repeatable)")
	cmd.Flags().BoolVar(&opts.All, "all", false, "also go through questions already answered")
	return cmd
}

func (a *app) planCommand() *cobra.Command {
	var file, format, out string
	var ev evidenceFlags
	var limit int
	cmd := &cobra.Command{
		Use:   "plan [PATH]",
		Short: "Print the prioritised improvement plan",
		Long: `List every best practice not yet in place, most urgent first: practices whose absence is HIGH risk,
then MEDIUM, then LOW; within a level, the workload's pillarPriorities come first. Each item has its
action and a link to the AWS page.`,
		Example: `  walens review plan
  walens review plan examples/fraud-detection --limit 10
  walens review plan --format markdown --output PLAN.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "markdown", "json")); err != nil {
				return err
			}
			if limit < 0 {
				return usageError("--limit must be 0 (all) or more")
			}
			_, res, err := a.evaluate(cmd.Context(), args, file, ev)
			if err != nil {
				return err
			}
			plan := review.BuildPlan(res)
			o := a.openOutput(out)
			switch format {
			case "text":
				err = report.PlanText(o.w, res, plan, limit, a.style(o.w))
			case "markdown":
				err = report.PlanMarkdown(o.w, res, plan, limit)
			case "json":
				if limit > 0 && len(plan.Items) > limit {
					plan.Items = plan.Items[:limit]
				}
				err = report.PlanJSON(o.w, res, plan, a.meta())
			}
			if err != nil {
				return fmt.Errorf("write plan: %w", err)
			}
			return o.close(a.io.Stderr)
		},
	}
	workloadFlag(cmd, &file)
	ev.add(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().IntVar(&limit, "limit", 0, "show only the first N items (0: all)")
	return cmd
}

func (a *app) milestoneCommand() *cobra.Command {
	var file string
	var ev evidenceFlags
	cmd := &cobra.Command{
		Use:   "milestone NAME",
		Short: "Save an immutable snapshot of the review",
		Long: `Save the current answers, and the risks they evaluate to, as milestones/NAME.yaml next to the workload
file. Milestones are read-only and never overwritten; compare them with "walens review diff" and gate
CI on them with "walens review check --baseline".`,
		Example: `  walens review milestone 2026-q4-launch
  walens review milestone before-rag-rewrite -f services/assistant`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := review.CheckMilestoneName(args[0]); err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			r, res, err := a.evaluate(cmd.Context(), nil, file, ev)
			if err != nil {
				return err
			}
			m, err := review.Snapshot(r, res, args[0], a.io.Now(), a.io.Version)
			if err != nil {
				return err
			}
			path, err := m.Save(review.MilestoneDir(r.Path))
			if err != nil {
				return &exitError{code: ExitInvalid, err: err}
			}
			fmt.Fprintf(a.io.Stdout, "saved milestone %q to %s (high %d, medium %d, unanswered %d)\n", m.Name, path, res.Totals.High, res.Totals.Medium, res.Totals.Unanswered)
			return nil
		},
	}
	workloadFlag(cmd, &file)
	ev.add(cmd)
	return cmd
}

func (a *app) milestonesCommand() *cobra.Command {
	var file, format string
	cmd := &cobra.Command{
		Use:     "milestones",
		Short:   "List the review's milestones",
		Example: `  walens review milestones -f examples/fraud-detection`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			path := review.FindFile(file)
			ms, err := review.ListMilestones(path)
			if err != nil {
				return err
			}
			if format == "json" {
				type row struct {
					Name      string        `json:"name"`
					CreatedAt string        `json:"createdAt"`
					Path      string        `json:"path"`
					Totals    review.Counts `json:"totals"`
				}
				rows := []row{}
				for _, m := range ms {
					rows = append(rows, row{m.Name, m.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), m.Path, review.StateOfMilestone(m).Totals()})
				}
				return writeJSON(a.io.Stdout, rows)
			}
			if len(ms) == 0 {
				fmt.Fprintf(a.io.Stdout, "%s has no milestones yet (take one with: walens review milestone NAME)\n", path)
				return nil
			}
			for _, m := range ms {
				t := review.StateOfMilestone(m).Totals()
				fmt.Fprintf(a.io.Stdout, "%-24s %s  high %d, medium %d, unanswered %d\n", m.Name, m.CreatedAt.Format("2006-01-02 15:04 MST"), t.High, t.Medium, t.Unanswered)
			}
			return nil
		},
	}
	workloadFlag(cmd, &file)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// diffSides holds what a comparison needs from the workload: its working state, when it loads, and question
// titles for display. A comparison of two milestones still works when the working file does not load.
type diffSides struct {
	a       *app
	path    string
	working *review.Result
	loadErr error
}

func (a *app) diffSides(path string) *diffSides {
	d := &diffSides{a: a, path: path}
	r, err := a.load(path)
	if err != nil {
		d.loadErr = err
		return d
	}
	d.working = review.Evaluate(r)
	return d
}

// state resolves a side: a milestone name or file, or "working" for the current answers.
func (d *diffSides) state(ref string) (*review.State, error) {
	if strings.EqualFold(ref, review.Working) {
		if d.loadErr != nil {
			return nil, d.loadErr
		}
		return review.StateOf(review.Working, d.working), nil
	}
	m, err := review.FindMilestone(d.path, ref)
	if err != nil {
		return nil, err
	}
	return review.StateOfMilestone(m), nil
}

// describe labels a question from the working review, or from the catalogue for lenses no longer in it.
func (d *diffSides) describe(lensID, qid string) (string, string, string, bool) {
	if d.working != nil {
		if ref, title, pillar, ok := d.working.Describe(lensID, qid); ok {
			return ref, title, pillar, true
		}
	}
	l, err := d.a.catalog.Get(lensID)
	if err != nil {
		return "", "", "", false
	}
	ref := l.Question(qid)
	if ref.Question == nil {
		return "", "", "", false
	}
	return ref.Question.Ref, ref.Question.Title, ref.Pillar.ID, true
}

func (a *app) diffCommand() *cobra.Command {
	var file, format string
	cmd := &cobra.Command{
		Use:   "diff A [B]",
		Short: "Compare two milestones, or a milestone with the working answers",
		Long: `List the questions whose risk changed from A to B: regressed, new, resolved and improved risks, and
questions answered or no longer answered. A and B are milestone names (or milestone files); "working"
means the current answers in the workload file. B defaults to working.`,
		Example: `  walens review diff 2026-q3
  walens review diff 2026-q3 2026-q4 -f examples/fraud-detection
  walens review diff 2026-q3 working --format markdown`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "markdown", "json")); err != nil {
				return err
			}
			sides := a.diffSides(review.FindFile(file))
			to := review.Working
			if len(args) == 2 {
				to = args[1]
			}
			sa, err := sides.state(args[0])
			if err != nil {
				return err
			}
			sb, err := sides.state(to)
			if err != nil {
				return err
			}
			d := review.Compare(sa, sb, sides.describe)
			switch format {
			case "json":
				return report.DiffJSON(a.io.Stdout, d, a.meta())
			case "markdown":
				return report.DiffMarkdown(a.io.Stdout, d)
			}
			return report.DiffText(a.io.Stdout, d, a.style(a.io.Stdout))
		},
	}
	workloadFlag(cmd, &file)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	return cmd
}

func (a *app) checkCommand() *cobra.Command {
	var file, format, failOn, baseline string
	var failUnanswered, failConflict bool
	var ev evidenceFlags
	cmd := &cobra.Command{
		Use:   "check [PATH]",
		Short: "Fail (exit 1) when the review has risks at or above a level: a CI gate",
		Long: `Exit 0 when the review has no risk at or above --fail-on, and 1 when it has, listing each. With
--baseline, only risks that are new or worse than in that milestone fail the check, so a team can
adopt the gate without fixing every existing risk first. Exit 2 means the input was invalid.`,
		Example: `  walens review check --fail-on high
  walens review check --fail-on medium --baseline 2026-q3
  walens review check --fail-on high --fail-on-unanswered --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "json")); err != nil {
				return err
			}
			level := lens.Risk(strings.ToUpper(failOn))
			if level != lens.RiskHigh && level != lens.RiskMedium {
				return usageError("--fail-on must be high or medium, not %q", failOn)
			}
			r, res, err := a.evaluate(cmd.Context(), args, file, ev)
			if err != nil {
				return err
			}
			opts := review.CheckOptions{FailOn: level, FailOnUnanswered: failUnanswered, FailOnConflict: failConflict}
			if baseline != "" {
				m, err := review.FindMilestone(r.Path, baseline)
				if err != nil {
					return err
				}
				opts.Baseline = review.StateOfMilestone(m)
			}
			out, err := review.Check(res, opts)
			if err != nil {
				return err
			}
			if format == "json" {
				err = report.CheckJSON(a.io.Stdout, out, a.meta())
			} else {
				err = report.CheckText(a.io.Stdout, out, a.style(a.io.Stdout))
			}
			if err != nil {
				return err
			}
			if !out.Passed {
				return &exitError{code: ExitFailed}
			}
			return nil
		},
	}
	workloadFlag(cmd, &file)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&failOn, "fail-on", "high", "lowest risk that fails the check: high or medium")
	cmd.Flags().StringVar(&baseline, "baseline", "", "milestone to compare with: fail only on new or regressed risks")
	cmd.Flags().BoolVar(&failUnanswered, "fail-on-unanswered", false, "also fail when any question is unanswered")
	cmd.Flags().BoolVar(&failConflict, "fail-on-conflict", false, "also fail when an answer and the scanned evidence disagree")
	ev.add(cmd)
	return cmd
}
