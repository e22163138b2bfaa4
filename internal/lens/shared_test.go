package lens

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir locates the team's reference material (../shared next to the repository). Tests that need it skip when
// it is absent, so a fresh clone still passes.
func sharedDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv("WALENS_SHARED"); dir != "" {
		return dir
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "reference")); err != nil {
		t.Skipf("reference material not found at %s (set WALENS_SHARED to point at it); skipping", dir)
	}
	return dir
}
