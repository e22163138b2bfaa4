package scan

import (
	"context"
	"testing"

	"github.com/walens/walens/internal/scan/corpus"
)

// benchScan scans a generated corpus once per iteration and reports files and resources per second.
func benchScan(b *testing.B, size corpus.Size) {
	dir := b.TempDir()
	st, err := corpus.Generate(dir, size)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sc, err := New(Settings{})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := sc.Scan(context.Background(), []string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Partial || rep.Files != st.Files() {
			b.Fatalf("scanned %d of %d files, partial %v: %v", rep.Files, st.Files(), rep.Partial, rep.Problems)
		}
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(st.Files())/secs, "files/s")
	b.ReportMetric(float64(st.Resources())/secs, "resources/s")
}

// BenchmarkScanSmall is a tenth of the target corpus, quick enough to run often.
func BenchmarkScanSmall(b *testing.B) {
	benchScan(b, corpus.Size{TerraformFiles: 100, FilesPerModule: 10, ResourcesPerFile: 10, Templates: 20, ResourcesPerStack: 10})
}

// BenchmarkScanFull is the target corpus: 1,000 Terraform files with 10,000 resources and 200 templates.
func BenchmarkScanFull(b *testing.B) {
	benchScan(b, corpus.Full)
}
