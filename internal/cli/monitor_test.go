package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func monitorData(rows int, shift float64) string {
	var b strings.Builder
	b.WriteString("amount,channel\n")
	for i := range rows {
		// A deterministic spread: amount cycles through 0..99, channel through three values.
		fmt.Fprintf(&b, "%.1f,%s\n", float64(i%100)+shift, []string{"web", "app", "store"}[i%3])
	}
	return b.String()
}

func TestMonitorCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("train.csv", monitorData(3000, 0))
	write("same.csv", monitorData(1500, 0))
	write("shifted.csv", monitorData(1500, 40))
	write("ragged.csv", monitorData(1500, 0)+"2\n")

	r := run(t, dir, "", "monitor", "baseline", "--data", "train.csv", "--out", "base")
	expect(t, r, ExitOK, "Profiled 3000 records", "amount", "Fractional", "Wrote base/statistics.json, base/constraints.json")

	r = run(t, dir, "", "monitor", "baseline", "--data", "train.csv", "--out", "base2", "--format", "json")
	var summary struct {
		Rows     int
		Features []struct{ Name, InferredType string } `json:"features"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &summary); err != nil || summary.Rows != 3000 || len(summary.Features) != 2 {
		t.Errorf("baseline JSON %q: %v", r.stdout, err)
	}

	expect(t, run(t, dir, "", "monitor", "run", "--baseline", "base", "--data", "same.csv", "--out", "run-same"), ExitOK, "CLEAN", "Violations (0)")
	r = run(t, dir, "", "monitor", "run", "--baseline", "base", "--data", "shifted.csv", "--out", "run-shift")
	expect(t, r, ExitFailed, "VIOLATIONS", "amount", "baseline_drift_check")
	for _, f := range []string{"constraint_violations.json", "statistics.json", "drift_report.json", "report.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, "run-shift", f)); err != nil {
			t.Errorf("run folder lacks %s", f)
		}
	}
	r = run(t, dir, "", "monitor", "run", "--baseline", "base", "--data", "shifted.csv", "--format", "json")
	var rep struct {
		Status string
		Drift  struct {
			Share float64 `json:"drift_share"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Status != "violations" || rep.Drift.Share == 0 {
		t.Errorf("run JSON: %v %+v", err, rep)
	}
	// Standard input.
	expect(t, run(t, dir, monitorData(500, 0), "monitor", "run", "--baseline", "base", "--data", "-", "--data-format", "csv"), ExitOK, "CLEAN")

	// Skipped records: within the limit the result is incomplete (exit 1); beyond it, bad input (exit 2).
	expect(t, run(t, dir, "", "monitor", "run", "--baseline", "base", "--data", "ragged.csv", "--max-skipped", "1"), ExitFailed, "INCOMPLETE", "ragged.csv:1502: has 1 fields where the file has 2")
	expect(t, run(t, dir, "", "monitor", "run", "--baseline", "base", "--data", "ragged.csv"), ExitInvalid, "1 records could not be read (first: ragged.csv:1502")

	bad := []struct {
		args []string
		want string
	}{
		{[]string{"monitor", "run", "--data", "same.csv"}, "--baseline is required"},
		{[]string{"monitor", "run", "--baseline", "base"}, "--data is required"},
		{[]string{"monitor", "run", "--baseline", "nowhere", "--data", "same.csv"}, "holds neither statistics.json nor constraints.json"},
		{[]string{"monitor", "run", "--baseline", "base", "--data", "missing.csv"}, "missing.csv"},
		{[]string{"monitor", "run", "--baseline", "base", "--data", "same.csv", "--data-format", "parquett"}, `did you mean "parquet"?`},
		{[]string{"monitor", "run", "--baseline", "base", "--data", "same.csv", "--drift-test", "kss"}, `did you mean "ks"?`},
		{[]string{"monitor", "run", "--baseline", "base", "--data", "same.csv", "--facet", "channel"}, "needs both --facet and --facet-value"},
		{[]string{"monitor", "baseline", "--data", "train.csv"}, "--out is required"},
		{[]string{"monitor", "baseline", "--data", "train.csv", "--out", "x", "--target", "nope"}, `the data has no column "nope"`},
		{[]string{"monitor", "baseline", "--data", "train.csv", "--out", "x", "--problem-type", "Regresion"}, `did you mean "Regression"?`},
		{[]string{"monitor", "serve"}, "--config is required"},
	}
	for _, b := range bad {
		expect(t, run(t, dir, "", b.args...), ExitInvalid, b.want)
	}
	expect(t, run(t, dir, "", "monitor", "run", "--help"), ExitOK, "Exit status: 0 clean, 1 violations", "walens monitor run --baseline baseline/")
}

func TestMonitorServeOnce(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "train.csv"), []byte(monitorData(2000, 0)), 0o644)
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "now.csv"), []byte(monitorData(800, 40)), 0o644)
	expect(t, run(t, dir, "", "monitor", "baseline", "--data", "train.csv", "--out", "base"), ExitOK)
	os.WriteFile(filepath.Join(dir, "monitor.yaml"), []byte(`
schedules:
  - name: daily
    cron: "0 6 * * *"
    baseline: base
    data: [data]
    out: runs
`), 0o644)
	r := run(t, dir, "", "monitor", "serve", "--config", "monitor.yaml", "--once")
	expect(t, r, ExitFailed, "run finished", "schedule=daily", "status=violations")
	if _, err := os.Stat(filepath.Join(dir, "runs", "2026-11-23T10-00Z", "report.html")); err != nil {
		t.Errorf("no dated run folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("schedules:\n  - name: x\n    cron: '0 25 * * *'\n"), 0o644)
	expect(t, run(t, dir, "", "monitor", "serve", "--config", "bad.yaml"), ExitInvalid, "bad.yaml:3:5: schedules[0].cron:", "hours field: 25 is out of range 0-23")
}
