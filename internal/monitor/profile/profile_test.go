package profile

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

func compute(t *testing.T, files []string, do dataset.Options, o Options) *Profile {
	t.Helper()
	src, err := dataset.Open(files, do)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p, err := Compute(context.Background(), src, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

// TestMatchesSageMakerBaseline profiles the CSV the SageMaker SDK's tests baseline and compares with the
// statistics.json the service produced for it.
func TestMatchesSageMakerBaseline(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sagemaker")
	p := compute(t, []string{filepath.Join(dir, "data_quality_baseline_dataset.csv")}, dataset.Options{}, Options{Workers: 3})
	want, err := sagemaker.ReadStatistics(filepath.Join(dir, "data_quality_statistics.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Statistics(0)
	if got.Dataset.ItemCount != want.Dataset.ItemCount {
		t.Fatalf("item count %v, want %v", got.Dataset.ItemCount, want.Dataset.ItemCount)
	}
	if len(got.Features) != len(want.Features) {
		t.Fatalf("%d features, want %d", len(got.Features), len(want.Features))
	}
	for i, w := range want.Features {
		g := got.Features[i]
		if g.Name != w.Name || g.InferredType != w.InferredType {
			t.Errorf("feature %d: %s %s, want %s %s", i, g.Name, g.InferredType, w.Name, w.InferredType)
			continue
		}
		gn, wn := g.Numerical, w.Numerical
		for _, f := range []struct {
			name string
			a, b sagemaker.Number
		}{{"mean", gn.Mean, wn.Mean}, {"sum", gn.Sum, wn.Sum}, {"std_dev", gn.StdDev, wn.StdDev}, {"min", gn.Min, wn.Min}, {"max", gn.Max, wn.Max},
			{"num_present", gn.Common.NumPresent, wn.Common.NumPresent}} {
			if !near(float64(f.a), float64(f.b), 1e-12) {
				t.Errorf("%s %s = %v, want %v", w.Name, f.name, f.a, f.b)
			}
		}
		gb, wb := gn.Distribution.KLL.Buckets, wn.Distribution.KLL.Buckets
		for j := range wb {
			if !near(float64(gb[j].LowerBound), float64(wb[j].LowerBound), 1e-12) || gb[j].Count != wb[j].Count {
				t.Errorf("%s bucket %d = %+v, want %+v", w.Name, j, gb[j], wb[j])
			}
		}
		// Below k items the sketch is the input itself, in input order, exactly as Deequ stores it.
		if !slices.Equal(gn.Distribution.KLL.Sketch.Data[0], wn.Distribution.KLL.Sketch.Data[0]) {
			t.Errorf("%s sketch level 0 differs from the service's", w.Name)
		}
	}
}

func TestTypesMissingAndNotes(t *testing.T) {
	path := writeFile(t, "d.csv", "a,b,c,d,e\n1,x,1.5,,NaN\n2,y,2,,3\n-3,x,N/A,,inf\n4,,4.25,,5\n")
	p := compute(t, []string{path}, dataset.Options{}, Options{})
	want := map[string]struct {
		typ     string
		present int64
	}{"a": {"Integral", 4}, "b": {"String", 3}, "c": {"String", 4}, "d": {"Unknown", 0}, "e": {"Integral", 2}}
	for name, w := range want {
		c, ok := p.Column(name)
		if !ok {
			t.Fatalf("no column %s", name)
		}
		if c.Type() != w.typ || c.Present() != w.present {
			t.Errorf("%s: %s with %d present, want %s with %d", name, c.Type(), c.Present(), w.typ, w.present)
		}
	}
	notes := strings.Join(p.Notes(), "\n")
	for _, s := range []string{`column c: mixes 3 numbers and 1 text values (first text at ` + path + `:4: "N/A")`, "column e: 2 NaN or infinite values counted as missing"} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}
	// With N/A declared missing, c is numeric.
	p = compute(t, []string{path}, dataset.Options{}, Options{NAValues: []string{"N/A"}})
	if c, _ := p.Column("c"); c.Type() != sagemaker.Fractional || c.Present() != 3 {
		t.Errorf("with --na-values N/A, c is %s with %d present", c.Type(), c.Present())
	}
}

func TestParallelResultDoesNotDependOnWorkers(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,y,z\n")
	for i := range 50_000 {
		b.WriteString(strings.Join([]string{itoa(i * 7919 % 10007), []string{"red", "green", "blue"}[i%3], itoa(i%13) + ".5"}, ","))
		b.WriteByte('\n')
	}
	path := writeFile(t, "big.csv", b.String())
	var first []byte
	for _, w := range []int{1, 2, 5} {
		p := compute(t, []string{path}, dataset.Options{ChunkBytes: 16 << 10}, Options{Workers: w})
		data, err := sagemaker.Marshal(p.Statistics(0))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = data
			continue
		}
		if string(data) != string(first) {
			t.Errorf("statistics with %d workers differ from those with 1", w)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestMatchesNumpy profiles a generated dataset and compares with numpy (testdata/reference/make_reference.py).
// Moments and ranges must agree to rounding; quantiles, read from a compacted sketch, to within the sketch's rank
// error; histogram counts, also from the sketch, to within that error times the row count.
func TestMatchesNumpy(t *testing.T) {
	dir := filepath.Join("..", "testdata", "reference")
	data, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	type describe struct {
		Count                    int64
		Mean, Sum, Std, Min, Max float64
		Quantiles                map[string]float64
		Histogram                []float64
	}
	var ref struct {
		Profile struct {
			Rows    int64
			A, B, C describe
			Colour  map[string]int64
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	// A small sketch (k=64) compacts on this input, so the quantile checks exercise the approximation.
	p := compute(t, []string{filepath.Join(dir, "profile.csv")}, dataset.Options{ChunkBytes: 32 << 10}, Options{SketchK: 64})
	if p.Rows != ref.Profile.Rows {
		t.Fatalf("rows %d, want %d", p.Rows, ref.Profile.Rows)
	}
	for name, want := range map[string]describe{"a": ref.Profile.A, "b": ref.Profile.B, "c": ref.Profile.C} {
		c, _ := p.Column(name)
		n, mean, std, sum, lo, hi := c.Numbers()
		if n != want.Count || c.Present() != want.Count {
			t.Errorf("%s: %d numbers, numpy has %d", name, n, want.Count)
		}
		for _, ch := range []struct {
			what      string
			got, want float64
		}{{"mean", mean, want.Mean}, {"sum", sum, want.Sum}, {"std", std, want.Std}, {"min", lo, want.Min}, {"max", hi, want.Max}} {
			if !near(ch.got, ch.want, 1e-9) {
				t.Errorf("%s %s = %.12g, numpy says %.12g", name, ch.what, ch.got, ch.want)
			}
		}
		cdf := c.Sketch().CDF()
		// Rank tolerance for k=64: a few percent; the k=2048 default is checked to 0.5% in the sketch package.
		const rankTol = 0.04
		for q, v := range want.Quantiles {
			// numpy's quantile v is exact: P(X < v) <= level <= P(X <= v). The sketch must agree within rankTol.
			level, _ := strconv.ParseFloat(q, 64)
			if level < cdf.Below(v)-rankTol || level > cdf.At(v)+rankTol {
				t.Errorf("%s quantile %s: numpy says %v, whose rank in the sketch is [%.4f, %.4f]", name, q, v, cdf.Below(v), cdf.At(v))
			}
		}
		buckets := Buckets(c.Sketch(), lo, hi)
		for i, b := range buckets {
			if math.Abs(float64(b.Count)-want.Histogram[i]) > rankTol*float64(n) {
				t.Errorf("%s bucket %d count %v, numpy says %v", name, i, b.Count, want.Histogram[i])
			}
		}
	}
	c, _ := p.Column("colour")
	cats, exact := c.Categories()
	if !exact || len(cats) != len(ref.Profile.Colour) {
		t.Fatalf("colour: %d categories (exact %v), want %d", len(cats), exact, len(ref.Profile.Colour))
	}
	for _, k := range cats {
		if k.Count != ref.Profile.Colour[k.Value] {
			t.Errorf("colour %s: %d, numpy says %d", k.Value, k.Count, ref.Profile.Colour[k.Value])
		}
	}
	if c, _ := p.Column("c"); math.Abs(c.Completeness()-float64(ref.Profile.C.Count)/float64(ref.Profile.Rows)) > 1e-12 {
		t.Errorf("c completeness %v", c.Completeness())
	}
}
