package review

import (
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/lenses"
)

// BenchmarkLoadCatalog measures parsing and validating all five built-in lenses, the fixed cost of a command that
// touches every lens.
func BenchmarkLoadCatalog(b *testing.B) {
	for b.Loop() {
		cat, err := lens.NewCatalog(lenses.FS)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cat.Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAndEvaluate measures loading the fraud-detection example (three lenses, 69 questions) and
// evaluating it with its plan, with the catalogue already parsed.
func BenchmarkLoadAndEvaluate(b *testing.B) {
	cat := catalog(b)
	path := filepath.Join("..", "..", "examples", "fraud-detection", DefaultFile)
	if _, err := Load(path, cat); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := Load(path, cat)
		if err != nil {
			b.Fatal(err)
		}
		BuildPlan(Evaluate(r))
	}
}
