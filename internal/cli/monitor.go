package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/walens/walens/internal/monitor"
	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/report"
	"github.com/walens/walens/internal/monitor/service"
)

func (a *app) monitorCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "monitor",
		Short: "Baselines, drift, data-quality, model-quality and bias checks on inference data",
		Long: `Monitor a deployed model's data. "baseline" profiles training data into statistics.json and
constraints.json (the SageMaker Model Monitor formats, so existing baselines work too); "run" checks a
batch of current data or captured traffic against a baseline and writes constraint_violations.json, a
drift report and an HTML report; "serve" runs checks on cron schedules, exports Prometheus metrics and
sends alerts. See docs/monitor.md.`,
	}
	cmd.AddCommand(a.monitorBaselineCommand(), a.monitorRunCommand(), a.monitorServeCommand())
	return cmd
}

// dataFlags are the input options shared by baseline and run.
type dataFlags struct {
	data       []string
	format     string
	header     string
	columns    []string
	naValues   []string
	maxSkipped int64
	maxLine    int
	workers    int
}

func (d *dataFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&d.data, "data", nil, "input file, glob, folder (searched recursively, e.g. hourly capture folders) or - for standard input; repeatable")
	f.StringVar(&d.format, "data-format", "", "input format: csv, jsonl, parquet or capture (default: from the file name and content)")
	f.StringVar(&d.header, "header", "auto", "whether CSV files start with a header row: auto, yes or no")
	f.StringSliceVar(&d.columns, "columns", nil, "names for the columns of headerless CSV and capture payloads, in order (default _c0, _c1, ...)")
	f.StringSliceVar(&d.naValues, "na-values", nil, "values that mean missing, besides empty ones (e.g. NA,N/A,?)")
	f.Int64Var(&d.maxSkipped, "max-skipped", 0, "unreadable records to tolerate (reported with file and line) before giving up")
	f.IntVar(&d.maxLine, "max-line-bytes", dataset.DefaultMaxLine, "longest record accepted; longer ones are skipped and reported")
	f.IntVar(&d.workers, "workers", 0, "parallel workers (default: the number of CPUs)")
}

func (d *dataFlags) options(a *app, prediction string) (monitor.Data, error) {
	if len(d.data) == 0 {
		return monitor.Data{}, usageError("--data is required")
	}
	if d.format != "" && !slices.Contains(dataset.Formats, d.format) {
		return monitor.Data{}, choiceError("--data-format", d.format, dataset.Formats)
	}
	if !slices.Contains([]string{"auto", "yes", "no"}, d.header) {
		return monitor.Data{}, usageError("--header must be auto, yes or no, not %q", d.header)
	}
	if d.maxSkipped < 0 || d.maxLine <= 0 || d.workers < 0 {
		return monitor.Data{}, usageError("--max-skipped, --max-line-bytes and --workers cannot be negative")
	}
	return monitor.Data{
		Files: d.data,
		Dataset: dataset.Options{
			Format: dataset.Format(d.format), Header: dataset.Header(d.header), Columns: d.columns,
			Prediction: prediction, MaxLine: d.maxLine, Stdin: a.io.Stdin,
		},
		NAValues: d.naValues, Workers: d.workers, MaxSkipped: d.maxSkipped,
		Progress: a.progress("records"),
	}, nil
}

// progress returns a callback that shows a running count on standard error when it is a terminal, at most a few
// times a second; nil otherwise, so pipes and CI logs stay clean.
func (a *app) progress(what string) func(int64) {
	if !isTerminal(a.io.Stderr) {
		return nil
	}
	var last time.Time
	return func(n int64) {
		if now := a.io.Now(); now.Sub(last) > 200*time.Millisecond {
			last = now
			fmt.Fprintf(a.io.Stderr, "\r  %d %s…", n, what)
		}
	}
}

func (a *app) endProgress() {
	if isTerminal(a.io.Stderr) {
		fmt.Fprint(a.io.Stderr, "\r\033[K")
	}
}

// inputError maps data and baseline problems to exit code 2.
func inputError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return &exitError{code: ExitInvalid, err: errors.New("interrupted")}
	}
	return &exitError{code: ExitInvalid, err: err}
}

type qualityFlags struct {
	problem   string
	positive  string
	threshold float64
}

func (q *qualityFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&q.problem, "problem-type", "", "model-quality problem: BinaryClassification, MulticlassClassification or Regression")
	f.StringVar(&q.positive, "positive-label", "1", "the positive class of binary classification")
	f.Float64Var(&q.threshold, "probability-threshold", 0.5, "a binary score at or above this is a positive prediction")
}

func (q *qualityFlags) options() (quality.Options, error) {
	if q.problem != "" && !slices.Contains(quality.ProblemTypes, q.problem) {
		return quality.Options{}, choiceError("--problem-type", q.problem, quality.ProblemTypes)
	}
	if !(q.threshold > 0 && q.threshold < 1) {
		return quality.Options{}, usageError("--probability-threshold must be between 0 and 1")
	}
	return quality.Options{Problem: q.problem, PositiveLabel: q.positive, Threshold: q.threshold}, nil
}

func (a *app) monitorBaselineCommand() *cobra.Command {
	var d dataFlags
	var q qualityFlags
	var out, format, target, prediction string
	var exclude []string
	var slack float64
	var maxDomain int
	cmd := &cobra.Command{
		Use:   "baseline --data FILE... --out DIR",
		Short: "Profile training data into a baseline: statistics.json and constraints.json",
		Long: `Profile a dataset in one streaming pass and write statistics.json and constraints.json in the
SageMaker Model Monitor formats: per feature the inferred type (Integral, Fractional, String),
completeness, mean, sum, standard deviation, min, max, a KLL quantile sketch and histogram buckets for
numbers, distinct count and category counts for strings; and suggested constraints (completeness,
non-negativity, domains of low-cardinality strings, and the default monitoring configuration).

The target column (--target) is left out of the data-quality features. With --problem-type, the
target and prediction columns also give a model-quality baseline in DIR/model_quality/.

Memory stays constant whatever the size of the input: --data - reads a stream.`,
		Example: `  walens monitor baseline --data train.csv --out baseline/
  walens monitor baseline --data 'train/*.parquet' --target label --prediction score \
      --problem-type BinaryClassification --out baseline/
  zcat train.csv.gz | walens monitor baseline --data - --data-format csv --out baseline/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if out == "" {
				return usageError("--out is required")
			}
			data, err := d.options(a, "")
			if err != nil {
				return err
			}
			qo, err := q.options()
			if err != nil {
				return err
			}
			if slack < 0 {
				return usageError("--quality-slack cannot be negative")
			}
			res, err := monitor.Baseline(cmd.Context(), monitor.BaselineOptions{
				Data: data, Out: out, MaxDomain: maxDomain,
				Columns: monitor.Columns{Target: target, Prediction: prediction, Exclude: exclude},
				Quality: monitor.QualityConfig{Options: qo, Slack: slack},
			})
			a.endProgress()
			if err != nil {
				return inputError(err)
			}
			if format == "json" {
				return writeJSON(a.io.Stdout, baselineSummary(res))
			}
			return writeBaselineText(a.io.Stdout, res)
		},
	}
	d.add(cmd)
	q.add(cmd)
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "folder to write statistics.json and constraints.json to (created if needed)")
	f.StringVar(&target, "target", "", "the label column: left out of the data-quality features, used for the model-quality baseline")
	f.StringVar(&prediction, "prediction", "", "the model's prediction column, for the model-quality baseline")
	f.StringSliceVar(&exclude, "exclude", nil, "columns to leave out of the baseline")
	f.Float64Var(&slack, "quality-slack", 0.1, "how much worse than the baseline a model-quality metric may get, as a fraction of its value (0 is SageMaker's choice)")
	f.IntVar(&maxDomain, "max-domain", 100, "most distinct values a string feature may have to get a domain constraint")
	f.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

type baselineFeature struct {
	Name         string  `json:"name"`
	Type         string  `json:"inferred_type"`
	Completeness float64 `json:"completeness"`
}

func baselineSummary(res *monitor.BaselineResult) any {
	var features []baselineFeature
	for _, f := range res.Constraints.Features {
		features = append(features, baselineFeature{f.Name, f.InferredType, float64(*f.Completeness)})
	}
	return struct {
		Rows     int64             `json:"rows"`
		Skipped  int64             `json:"skipped"`
		Skips    []dataset.Skip    `json:"skips,omitempty"`
		Files    []string          `json:"files"`
		Features []baselineFeature `json:"features"`
		Notes    []string          `json:"notes,omitempty"`
		Written  []string          `json:"written"`
	}{res.Rows, res.Skipped, res.Skips, res.Files, features, res.Notes, res.Written}
}

func writeBaselineText(w io.Writer, res *monitor.BaselineResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Profiled %d records from %d file(s)", res.Rows, len(res.Files))
	if res.Skipped > 0 {
		fmt.Fprintf(&b, "; skipped %d unreadable records", res.Skipped)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "  %-28s %-11s %12s\n", "FEATURE", "TYPE", "COMPLETENESS")
	for _, f := range res.Constraints.Features {
		fmt.Fprintf(&b, "  %-28s %-11s %11.1f%%\n", f.Name, f.InferredType, 100*float64(*f.Completeness))
	}
	for _, s := range res.Skips {
		fmt.Fprintf(&b, "\nskipped %s", s)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "\nnote: %s", n)
	}
	if len(res.Skips)+len(res.Notes) > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nWrote %s\n", strings.Join(res.Written, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

func (a *app) monitorRunCommand() *cobra.Command {
	var d dataFlags
	var q qualityFlags
	var baseline, qualityBaseline, out, format, target, prediction, facet, driftTest string
	var groundTruth, facetValues, exclude []string
	cfg := drift.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "run --baseline DIR --data FILE... [--out DIR]",
		Short: "Check current data against a baseline: violations, drift, model quality and bias",
		Long: `Check a batch of current data (CSV, JSON Lines, Parquet or SageMaker data-capture files) against a
baseline made by "walens monitor baseline" or by SageMaker Model Monitor. Writes, in --out:
  constraint_violations.json  data_type_check, completeness_check, baseline_drift_check,
                              missing_column_check, extra_column_check, categorical_values_check,
                              and model-quality and bias violations
  statistics.json             the current data's statistics
  drift_report.json           per feature: every test's statistic, threshold and verdict, and the
                              deciding test; the dataset-level drift share
  report.json, report.html    everything, the HTML with plots of each drifted feature

The deciding drift test depends on the type and the baseline size: Kolmogorov-Smirnov (numbers) and
chi-squared (categories) p-values up to 1000 baseline values, normalised Wasserstein and Jensen-Shannon
distances above. SageMaker's own distance, PSI and the others are always reported.

Model quality needs labels: a --target column in the data, or --ground-truth files joined to captured
predictions by event ID. Bias needs --facet and --facet-value.

Exit status: 0 clean, 1 violations or dataset drift (or records skipped: a partial result is never
reported as clean), 2 bad input.`,
		Example: `  walens monitor run --baseline baseline/ --data current.csv --out runs/today
  walens monitor run --baseline baseline/ --data captures/my-endpoint/2026/11/30/ --columns age,income,city \
      --prediction prediction --out runs/2026-11-30
  walens monitor run --baseline baseline/ --data captures/ --ground-truth labels/ --prediction prediction \
      --problem-type BinaryClassification --facet sex --facet-value female --out runs/quality
  walens monitor run --baseline baseline/ --data current.parquet --format json | jq '.drift.drift_share'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if baseline == "" {
				return usageError("--baseline is required")
			}
			pred := prediction
			if pred == "" && len(groundTruth) > 0 {
				pred = "prediction"
			}
			data, err := d.options(a, pred)
			if err != nil {
				return err
			}
			qo, err := q.options()
			if err != nil {
				return err
			}
			if driftTest != "" {
				if !slices.Contains(drift.Tests, driftTest) {
					return choiceError("--drift-test", driftTest, drift.Tests)
				}
				cfg.Force = driftTest
			}
			if !(cfg.DatasetShare > 0 && cfg.DatasetShare <= 1) {
				return usageError("--drift-share must be in (0, 1]")
			}
			var bias *quality.BiasOptions
			if facet != "" || len(facetValues) > 0 {
				if facet == "" || len(facetValues) == 0 {
					return usageError("bias needs both --facet and --facet-value")
				}
				bias = &quality.BiasOptions{Facet: facet, Values: facetValues}
			}
			r, err := monitor.Run(cmd.Context(), monitor.RunOptions{
				Data: data, Baseline: baseline, QualityBaseline: qualityBaseline, Out: out, Drift: cfg,
				Columns:     monitor.Columns{Target: target, Prediction: pred, Exclude: exclude},
				GroundTruth: groundTruth, Quality: monitor.QualityConfig{Options: qo}, Bias: bias,
				Now: a.io.Now(), Version: a.io.Version,
			})
			a.endProgress()
			if err != nil {
				return inputError(err)
			}
			if format == "json" {
				err = writeJSON(a.io.Stdout, r)
			} else {
				err = report.Text(a.io.Stdout, r)
			}
			if err != nil {
				return err
			}
			if r.Failed() {
				return &exitError{code: ExitFailed}
			}
			return nil
		},
	}
	d.add(cmd)
	q.add(cmd)
	f := cmd.Flags()
	f.StringVar(&baseline, "baseline", "", "folder holding statistics.json and constraints.json")
	f.StringVar(&qualityBaseline, "quality-baseline", "", "folder holding the model-quality statistics.json and constraints.json (default BASELINE/model_quality)")
	f.StringVar(&out, "out", "", "folder to write the run's files to (created if needed); without it nothing is written")
	f.StringVar(&target, "target", "", "the label column in the data, for model quality")
	f.StringVar(&prediction, "prediction", "", "the prediction column; capture files put the endpoint output there (default \"prediction\" with --ground-truth)")
	f.StringArrayVar(&groundTruth, "ground-truth", nil, "ground-truth JSON Lines files, globs or folders, joined by event ID")
	f.StringSliceVar(&exclude, "exclude", nil, "columns to ignore")
	f.StringVar(&facet, "facet", "", "column holding the sensitive attribute, for bias metrics")
	f.StringSliceVar(&facetValues, "facet-value", nil, "values of --facet that make up the sensitive group")
	f.StringVar(&driftTest, "drift-test", "", "force one deciding test: "+strings.Join(drift.Tests, ", "))
	f.Float64Var(&cfg.DatasetShare, "drift-share", cfg.DatasetShare, "share of drifted features at which the dataset drifts")
	f.Float64Var(&cfg.SmallSample, "small-sample", cfg.SmallSample, "baseline size up to which p-value tests decide")
	f.StringVar(&format, "format", "text", "output format: text or json (the report.json document)")
	return cmd
}

func (a *app) monitorServeCommand() *cobra.Command {
	var config string
	var once bool
	cmd := &cobra.Command{
		Use:   "serve --config monitor.yaml",
		Short: "Run monitoring schedules: cron, dated run folders, Prometheus metrics, alerts, retraining",
		Long: `Run the schedules of a configuration file until interrupted. Each schedule has a cron expression
(the AWS form cron(0 * * * ? *) or the standard five fields), a baseline and capture locations; every
run writes its files to a dated folder, updates Prometheus metrics (served on the configured listen
address at /metrics), and on violations sends webhooks (JSON or Slack) and, when the policy says so,
runs a retraining command or webhook. Failed runs are retried and reported; runs missed while walens
was stopped are caught up from the state file. See docs/monitor.md for the file format.`,
		Example: `  walens monitor serve --config monitor.yaml
  walens monitor serve --config monitor.yaml --once     # run every schedule once now, then exit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if config == "" {
				return usageError("--config is required")
			}
			cfg, err := service.LoadConfig(config)
			if err != nil {
				return inputError(err)
			}
			logger := slog.New(slog.NewTextHandler(a.io.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			svc, err := service.New(cfg, service.Options{Logger: logger, Version: a.io.Version, Workers: runtime.GOMAXPROCS(0),
				Clock: ioClock{a.io.Now}, Getenv: a.io.Getenv})
			if err != nil {
				return inputError(err)
			}
			if once {
				failed, err := svc.RunOnce(cmd.Context())
				if err != nil {
					return inputError(err)
				}
				if failed {
					return &exitError{code: ExitFailed}
				}
				return nil
			}
			if err := svc.Serve(cmd.Context()); err != nil && !errors.Is(err, context.Canceled) {
				return &exitError{code: ExitInvalid, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&config, "config", "", "the monitoring configuration file (YAML)")
	cmd.Flags().BoolVar(&once, "once", false, "run every schedule once now and exit: 0 clean, 1 violations or failures")
	return cmd
}

// ioClock is the command's clock (real time, or the tests' fixed time) with real timers.
type ioClock struct{ now func() time.Time }

func (c ioClock) Now() time.Time                         { return c.now() }
func (c ioClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
