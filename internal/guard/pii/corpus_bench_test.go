package pii_test

import (
	"strings"
	"testing"

	"github.com/walens/walens/bench/guard/piicorpus"
	"github.com/walens/walens/internal/guard/pii"
)

// BenchmarkScanCorpus scans text dense with entities and hard negatives: the generated PII corpus, cut into
// pieces of about a kilobyte.
func BenchmarkScanCorpus(b *testing.B) {
	var texts []string
	var cur strings.Builder
	total := 0
	for _, ex := range piicorpus.Generate(4, 3) {
		cur.WriteString(ex.Text)
		cur.WriteString(" ")
		if cur.Len() >= 1024 {
			texts = append(texts, cur.String())
			total += cur.Len()
			cur.Reset()
		}
	}
	sc := pii.New()
	b.SetBytes(int64(total / len(texts)))
	i := 0
	for b.Loop() {
		sc.Scan(texts[i%len(texts)])
		i++
	}
}
