package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/report"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var testNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func fixtures(name string) string { return filepath.Join("testdata", "sagemaker", name) }

func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t testing.TB, o RunOptions) *report.Report {
	t.Helper()
	if o.Drift == (drift.Config{}) {
		o.Drift = drift.DefaultConfig()
	}
	o.Now = testNow
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func checks(r *report.Report) []string {
	var out []string
	for _, v := range r.Violations {
		out = append(out, v.FeatureName+v.MetricName+":"+v.ConstraintCheckType)
	}
	return out
}

// TestSageMakerBaselineDrivesRun uses the service's own statistics and constraints files, unchanged.
func TestSageMakerBaselineDrivesRun(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "good")
	os.MkdirAll(base, 0o755)
	for src, dst := range map[string]string{"data_quality_statistics.json": "statistics.json", "data_quality_constraints.json": "constraints.json"} {
		data, _ := os.ReadFile(fixtures(src))
		write(t, base, dst, string(data))
	}
	data := Data{Files: []string{fixtures("data_quality_baseline_dataset.csv")}}
	r := run(t, RunOptions{Data: data, Baseline: base, Out: filepath.Join(dir, "run")})
	if r.Status != report.StatusClean || len(r.Drift.Features) != 6 {
		t.Errorf("the baseline's own data: status %s, violations %v, %d features compared", r.Status, checks(r), len(r.Drift.Features))
	}
	// The SDK's "bad" constraints declare _c5 a String: its numbers fail the type check.
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	cons, _ := os.ReadFile(fixtures("data_quality_bad_constraints.json"))
	write(t, bad, "constraints.json", string(cons))
	r = run(t, RunOptions{Data: data, Baseline: bad})
	if got := strings.Join(checks(r), " "); got != "_c5:data_type_check" {
		t.Errorf("bad constraints gave %q", got)
	}
	// The written violations file reads back as the service's format.
	v, err := sagemaker.ReadViolations(filepath.Join(dir, "run", sagemaker.ViolationsFile))
	if err != nil || len(v.Violations) != 0 {
		t.Errorf("violations file: %v %v", v, err)
	}
}

// population draws rows from a fixed distribution; shift moves "amount" by half a standard deviation and
// changes the mix of "channel".
func population(r *rand.Rand, rows int, shift bool) string {
	var b strings.Builder
	b.WriteString("amount,age,score,items,latency,channel,country,flag\n")
	for range rows {
		amount := 100 + 20*r.NormFloat64()
		channels := []float64{0.5, 0.3, 0.2}
		if shift {
			amount += 10
			channels = []float64{0.35, 0.35, 0.3}
		}
		u, ch := r.Float64(), "web"
		if u > channels[0] {
			ch = "app"
		}
		if u > channels[0]+channels[1] {
			ch = "store"
		}
		fmt.Fprintf(&b, "%.3f,%d,%.4f,%d,%.2f,%s,%s,%d\n", amount, 18+r.IntN(60), r.Float64(), r.IntN(5), r.ExpFloat64()*40,
			ch, []string{"FR", "DE", "NO", "IT", "ES", "PL"}[r.IntN(6)], r.IntN(2))
	}
	return b.String()
}

// TestFalseAlarmsAndDetection measures the false-alarm rate over 100 fresh samples of the baseline's
// distribution, and the detection rate over 100 shifted samples. The rates are logged (go test -v) and recorded
// in docs/monitor.md.
func TestFalseAlarmsAndDetection(t *testing.T) {
	n := 100
	if testing.Short() || raceEnabled {
		n = 10 // the race detector makes each run several times slower; the full count runs without it
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(5, 6))
	train := write(t, dir, "train.csv", population(r, 20_000, false))
	if _, err := Baseline(context.Background(), BaselineOptions{Data: Data{Files: []string{train}}, Out: filepath.Join(dir, "base")}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{500, 5000} {
		// The samples are drawn in order from one seeded generator, then checked concurrently: the counts do
		// not depend on the order the runs finish in.
		type sample struct{ same, shifted string }
		samples := make([]sample, n)
		for i := range samples {
			samples[i] = sample{
				write(t, dir, fmt.Sprintf("same-%d-%d.csv", size, i), population(r, size, false)),
				write(t, dir, fmt.Sprintf("shifted-%d-%d.csv", size, i), population(r, size, true)),
			}
		}
		type outcome struct{ same, shifted *report.Report }
		outcomes := make([]outcome, n)
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					// t.Fatal must not be called off the test's goroutine: errors are recorded, and the
					// counting below fails on the missing reports.
					o := RunOptions{Data: Data{Files: []string{samples[i].same}, Workers: 1}, Baseline: filepath.Join(dir, "base"),
						Drift: drift.DefaultConfig(), Now: testNow}
					var err error
					if outcomes[i].same, err = Run(context.Background(), o); err != nil {
						t.Error(err)
					}
					o.Data.Files = []string{samples[i].shifted}
					if outcomes[i].shifted, err = Run(context.Background(), o); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		var falseDataset, falseAny, falseFeature, detected, detectedAmount, detectedChannel int
		features := 0
		for _, o := range outcomes {
			if o.same == nil || o.shifted == nil {
				t.FailNow()
			}
			rep := o.same
			features = len(rep.Drift.Features)
			if rep.Drift.Drifted {
				falseDataset++
			}
			if len(rep.Violations) > 0 {
				falseAny++
			}
			falseFeature += len(rep.DriftedFeatures())
			rep = o.shifted
			if rep.Failed() {
				detected++
			}
			for _, f := range rep.DriftedFeatures() {
				switch f {
				case "amount":
					detectedAmount++
				case "channel":
					detectedChannel++
				}
			}
		}
		featureRate := float64(falseFeature) / float64(n*features)
		t.Logf("%d-row samples, %d runs each: resampled: dataset drift %d%%, any violation %d%%, feature-level false alarms %.1f%%; shifted: flagged %d%%, amount %d%%, channel %d%%",
			size, n, 100*falseDataset/n, 100*falseAny/n, 100*featureRate, 100*detected/n, 100*detectedAmount/n, 100*detectedChannel/n)
		if falseDataset > n/20 || featureRate > 0.1 {
			t.Errorf("%d rows: too many false alarms: dataset %d/%d, features %.1f%%", size, falseDataset, n, 100*featureRate)
		}
		// The amount shift (half a standard deviation) must always be caught. The channel shift is smaller (a
		// Jensen-Shannon distance near its 0.1 threshold), so it is only logged.
		if detectedAmount < n*9/10 || detected < n*9/10 {
			t.Errorf("%d rows: shifts missed: runs flagged %d/%d, amount %d/%d", size, detected, n, detectedAmount, n)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	train := write(t, dir, "train.csv", "a,b,c\n"+strings.Repeat("1,x,0.5\n2,y,1.5\n3,x,2.5\n", 10))
	if _, err := Baseline(context.Background(), BaselineOptions{Data: Data{Files: []string{train}}, Out: filepath.Join(dir, "base")}); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base")
	cases := []struct {
		name, content string
		maxSkipped    int64
		err           string
		checks        string
		status        string
	}{
		{name: "empty file", content: "", err: "holds no records"},
		{name: "header only", content: "a,b,c\n", err: "holds no records"},
		{name: "ragged rows beyond the limit", content: "a,b,c\n1,x,2\n1,2\n", err: "1 records could not be read (first: "},
		{name: "ragged rows within the limit", content: "a,b,c\n1,x,2\n1,2\n", maxSkipped: 5, status: report.StatusIncomplete},
		{name: "features that do not match", content: "a,d,c\n1,x,2\n", checks: "b:missing_column_check d:extra_column_check"},
		{name: "mixed types and negatives", content: "a,b,c\n1,x,-1\nfoo,y,2\n", checks: "a:data_type_check c:data_type_check"},
		{name: "NaN and infinity are missing values", content: "a,b,c\n1,x,NaN\n2,y,inf\n", checks: "c:completeness_check"},
		{name: "new category", content: "a,b,c\n1,z,2\n", checks: "b:categorical_values_check"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, t.TempDir(), "cur.csv", c.content)
			r, err := Run(context.Background(), RunOptions{Data: Data{Files: []string{path}, MaxSkipped: c.maxSkipped}, Baseline: base, Drift: drift.DefaultConfig()})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(checks(r), " ")
			// Drift checks depend on these tiny samples; only the named checks are asserted.
			for _, want := range strings.Fields(c.checks) {
				if !strings.Contains(got, want) {
					t.Errorf("violations %q lack %s", got, want)
				}
			}
			if c.status != "" && r.Status != c.status {
				t.Errorf("status %s, want %s", r.Status, c.status)
			}
			if !r.Failed() {
				t.Errorf("a run with problems passed")
			}
		})
	}
	headerless := write(t, dir, "headerless.csv", "1,x,2\n2,y,3\n")
	r, err := Run(context.Background(), RunOptions{Data: Data{Files: []string{headerless}}, Baseline: base, Drift: drift.DefaultConfig()})
	if err != nil || !strings.Contains(strings.Join(r.Notes, "\n"), "pass --columns a,b,c") {
		t.Errorf("headerless data: notes %q, err %v", r.Notes, err)
	}
	if _, err := Run(context.Background(), RunOptions{Data: Data{Files: []string{train}}, Baseline: filepath.Join(dir, "nowhere")}); err == nil {
		t.Error("a missing baseline was accepted")
	}
	_, err = Run(context.Background(), RunOptions{Data: Data{Files: []string{write(t, dir, "e.csv", "")}}, Baseline: base})
	if !errors.Is(err, ErrNoRows) {
		t.Errorf("an empty file: %v, want ErrNoRows", err)
	}
	write(t, base, "statistics.json", `{"version": 0, "dataset": {"item_count": 3}, "features": [{"name": "a", "inferred_type": "Integer"}]}`)
	_, err = Run(context.Background(), RunOptions{Data: Data{Files: []string{train}}, Baseline: base})
	if err == nil || !strings.Contains(err.Error(), `statistics.json:1:90: features[0].inferred_type: must be one of Integral, Fractional, String or Unknown, not "Integer"`) {
		t.Errorf("a bad statistics file: %v", err)
	}
}

func TestModelQualityAndBiasFromCaptures(t *testing.T) {
	dir := t.TempDir()
	// A model-quality baseline from the SDK's labelled CSV, then a run over the SDK's captures and ground truth.
	base := filepath.Join(dir, "base")
	_, err := Baseline(context.Background(), BaselineOptions{
		Data:    Data{Files: []string{fixtures("model_quality_baseline_dataset.csv")}},
		Out:     base,
		Columns: Columns{Target: "Label", Prediction: "Prediction"},
		Quality: QualityConfig{Options: qualityOptions("BinaryClassification"), Slack: 0.1},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, RunOptions{
		Data: Data{Files: []string{fixtures("capture.jsonl")},
			Dataset: dataset.Options{Columns: []string{"F1", "F2", "F3", "F4", "F5", "F6", "F7"}, Prediction: "Prediction"}},
		Baseline: base, GroundTruth: []string{fixtures("ground_truth.jsonl")},
		Columns: Columns{Prediction: "Prediction"},
	})
	if r.Quality == nil || r.Quality.Problem != "BinaryClassification" || r.Quality.Items == 0 {
		t.Fatalf("quality %+v", r.Quality)
	}
	for _, m := range []string{"accuracy", "precision", "recall", "f1", "auc"} {
		if v, ok := r.Quality.Metrics[m]; !ok || math.IsNaN(v) {
			t.Errorf("metric %s missing", m)
		}
	}
	// Without labels, the same baseline checks data quality only, and says why model quality was left out.
	plain := run(t, RunOptions{Data: Data{Files: []string{fixtures("model_quality_baseline_dataset.csv")}}, Baseline: base})
	if plain.Quality != nil || !strings.Contains(strings.Join(plain.Notes, "\n"), "model quality not checked") {
		t.Errorf("a run without labels: quality %+v, notes %q", plain.Quality, plain.Notes)
	}
	// The facet needs a column in the data: F7 below 13 is the "sensitive" group.
	_, err = Run(context.Background(), RunOptions{Data: Data{Files: []string{fixtures("model_quality_baseline_dataset.csv")}}, Baseline: base,
		Columns: Columns{Target: "Label", Prediction: "Prediction"}, Drift: drift.DefaultConfig(),
		Bias: &biasOpts})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGoldenReports(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(11, 12))
	train := write(t, dir, "train.csv", population(r, 3000, false))
	base := filepath.Join(dir, "base")
	if _, err := Baseline(context.Background(), BaselineOptions{Data: Data{Files: []string{train}}, Out: base}); err != nil {
		t.Fatal(err)
	}
	cur := write(t, dir, "current.csv", population(r, 800, true))
	rep := run(t, RunOptions{Data: Data{Files: []string{cur}, Workers: 2}, Baseline: base, Version: "test"})
	// Paths differ per machine; the golden files show names only.
	rep.Baseline, rep.Files = "base", []string{"current.csv"}
	var text, js bytes.Buffer
	if err := report.Text(&text, rep); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	html, err := report.HTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"run.txt": text.Bytes(), "run.json": js.Bytes(), "run.html": html} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/monitor -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (run go test ./internal/monitor -update if the change is intended)", name)
		}
	}
	if strings.Contains(string(html), "<script") || strings.Contains(string(html), "http://") || strings.Contains(string(html), "https://") {
		t.Error("the HTML report refers to something outside itself")
	}
	if !strings.Contains(string(html), "<svg") {
		t.Error("the HTML report has no plot")
	}
}

var biasOpts = quality.BiasOptions{Facet: "F7", Values: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}, MinGroup: 10}

func qualityOptions(problem string) quality.Options { return quality.Options{Problem: problem} }
