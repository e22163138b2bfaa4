package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/rules"
	"github.com/walens/walens/internal/report"
	"github.com/walens/walens/internal/review"
	"github.com/walens/walens/internal/scan"
)

// ExitPartial means a scan finished but could not read or parse some of its input, so its results may be
// incomplete. It outranks a failed gate: an incomplete scan cannot vouch for anything.
const ExitPartial = 3

// scanFlags are walens scan's settings flags.
type scanFlags struct{ scan.Settings }

func (s *scanFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&s.VarFiles, "var-file", nil, "Terraform variable file applied to every root module (repeatable)")
	f.StringArrayVar(&s.Vars, "var", nil, "Terraform variable as NAME=VALUE (repeatable)")
	f.StringArrayVar(&s.Parameters, "parameter", nil, "CloudFormation parameter as NAME=VALUE (repeatable)")
	f.StringVar(&s.Region, "region", "", "AWS Region assumed where the code does not say (CloudFormation)")
	f.StringArrayVar(&s.PreferredRegions, "preferred-region", nil, "Region AI resources should run in; enables WL-AWS-004 (repeatable)")
	f.StringArrayVar(&s.RequiredTags, "required-tag", nil, "cost-allocation tag key every AI resource must carry (repeatable)")
	f.StringArrayVar(&s.Exclude, "exclude", nil, "glob of paths not to scan, ** for any depth (repeatable)")
	f.StringVar(&s.Suppressions, "suppressions", "", "suppression list file (format walens-suppressions/v1)")
	f.StringVar(&s.MaxFileSize, "max-file-size", "32MiB", "skip files larger than this (bytes, or with KiB, MiB)")
	f.StringArrayVar(&s.Only, "rule", nil, "run only this rule (repeatable)")
	f.StringArrayVar(&s.Skip, "skip-rule", nil, "do not run this rule (repeatable)")
}

// scanError maps scan setup errors to exit codes: bad settings are usage errors, everything else bad input.
func scanError(err error) error {
	if errors.Is(err, scan.ErrUsage) {
		return usageError("%v", err)
	}
	return &exitError{code: ExitInvalid, err: err}
}

// scanProgress reports a scan's progress on a terminal, and nothing elsewhere.
func (a *app) scanProgress() func(done, total int) {
	if !isTerminal(a.io.Stderr) {
		return nil
	}
	return func(done, total int) {
		if done == total {
			fmt.Fprintf(a.io.Stderr, "\r\x1b[K")
			return
		}
		fmt.Fprintf(a.io.Stderr, "\rscanning: %d of %d units", done, total)
	}
}

func (a *app) scanCommand() *cobra.Command {
	var settings scanFlags
	var format, out, failOn string
	var showPassed, failUnknown bool
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Check Terraform and CloudFormation against the AI lenses' controls, with file and line as proof",
		Long: `Read Terraform (.tf, .tf.json, and plans from "terraform show -json") and CloudFormation (YAML or
JSON) under each PATH (default: the current directory), and run the evidence rules: endpoint data capture,
monitoring schedules, autoscaling, guardrail strength, invocation logging, private endpoints, encryption and
more. Each finding names the rule, the resource and the file and line.

Exit codes: 0 no failure at or above --fail-on; 1 failures at or above --fail-on; 2 bad usage or input;
3 some files could not be read or parsed, so results are partial.

Formats: text (for people), json (schema in docs/schemas/scan.schema.json), sarif (SARIF 2.1.0 for
GitHub code scanning), resources (what walens understood of each resource, for debugging).

Suppress a finding with a comment on the line above the resource or attribute,
  # walens:ignore WL-SM-015 batch-only endpoint; capture happens in the batch job
or in a suppression list (--suppressions) with a reason and an expiry date.`,
		Example: `  walens scan infra/
  walens scan infra/ --format sarif -o walens.sarif --fail-on high
  walens scan plan.json --preferred-region eu-north-1 --preferred-region eu-west-1
  walens scan . --exclude 'test/**' --var-file prod.tfvars --suppressions .walens-suppressions.yaml
  walens scan rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "json", "sarif", "resources")); err != nil {
				return err
			}
			min, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			for _, p := range args {
				if _, err := os.Stat(p); err != nil {
					return usageError("cannot scan %s: %v", p, errors.Unwrap(err))
				}
			}
			settings.Now = a.io.Now()
			sc, err := scan.New(settings.Settings)
			if err != nil {
				return scanError(err)
			}
			sc.Progress = a.scanProgress()
			rep, err := sc.Scan(cmd.Context(), args)
			if err != nil {
				return err
			}
			o := a.openOutput(out)
			switch format {
			case "text":
				err = report.ScanText(o.w, rep, report.ScanOptions{ShowPassed: showPassed, FailOn: min}, a.style(o.w))
			case "json":
				err = report.ScanJSON(o.w, rep, a.meta())
			case "sarif":
				err = report.SARIF(o.w, rep, ".", a.io.Version)
			case "resources":
				err = report.ResourcesJSON(o.w, rep)
			}
			if err != nil {
				return fmt.Errorf("write scan report: %w", err)
			}
			if err := o.close(a.io.Stderr); err != nil {
				return err
			}
			if rep.Partial {
				return &exitError{code: ExitPartial, err: fmt.Errorf("results are partial: %s could not be read or parsed",
					plural(len(rep.Problems.Errors()), "input", "inputs"))}
			}
			if min != "" {
				if gated := rep.Gate(min, failUnknown); len(gated) > 0 {
					return &exitError{code: ExitFailed, err: fmt.Errorf("%s at or above %s", plural(len(gated), "finding", "findings"), strings.ToLower(string(min)))}
				}
			}
			return nil
		},
	}
	settings.add(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, sarif or resources")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringVar(&failOn, "fail-on", "low", "lowest severity that fails the scan (exit 1): low, medium, high, critical or none")
	cmd.Flags().BoolVar(&failUnknown, "fail-on-unknown", false, "also fail when a rule cannot tell from the code")
	cmd.Flags().BoolVar(&showPassed, "show-passed", false, "list passing checks too (text format)")
	cmd.AddCommand(a.rulesCommand())
	return cmd
}

func parseFailOn(s string) (evidence.Severity, error) {
	if strings.EqualFold(s, "none") {
		return "", nil
	}
	sev, err := evidence.ParseSeverity(s)
	if err != nil {
		return "", usageError("--fail-on: %v, or none", err)
	}
	return sev, nil
}

func (a *app) rulesCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the evidence rules with their severities and lens practices",
		Example: `  walens scan rules
  walens scan rules --format json | jq '.[] | select(.severity == "HIGH") | .id'
  walens scan rules --format markdown > docs/rules.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := errors.Join(a.checkColorFlag(), checkFormat(format, "text", "json", "markdown")); err != nil {
				return err
			}
			all := rules.All()
			switch format {
			case "json":
				return writeJSON(a.io.Stdout, all)
			case "markdown":
				return report.RulesMarkdown(a.io.Stdout, all)
			}
			return report.RulesText(a.io.Stdout, all, a.style(a.io.Stdout))
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// evidenceFlags are the review commands' flags for evidence.
type evidenceFlags struct {
	paths []string
	off   bool
}

func (e *evidenceFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&e.paths, "evidence", nil, "also scan this infrastructure code for evidence (repeatable)")
	cmd.Flags().BoolVar(&e.off, "no-evidence", false, "ignore the workload file's evidence section")
}

// attachEvidence scans the code named by the workload's evidence section and by extra paths, and attaches the
// result to the review, reporting problems with the code on stderr.
func (a *app) attachEvidence(ctx context.Context, r *review.Review, extra []string) error {
	rep, err := scan.ForReview(ctx, r, extra, a.io.Now(), a.scanProgress())
	if err != nil {
		return scanError(err)
	}
	if rep == nil {
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(a.io.Stderr, "walens: evidence: %s\n", p)
	}
	if rep.Partial {
		fmt.Fprintf(a.io.Stderr, "walens: evidence is partial: some files could not be read or parsed\n")
	}
	r.Evidence = evidence.ForReview(rep)
	return nil
}
