package profile

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/walens/walens/internal/monitor/dataset"
)

// benchCSV writes rows x 20 columns (14 numeric, 6 categorical), the shape bench/monitordata produces.
func benchCSV(b *testing.B, rows int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	buf := []byte("n0,n1,n2,n3,n4,n5,n6,n7,n8,n9,n10,n11,n12,n13,c0,c1,c2,c3,c4,c5\n")
	for range rows {
		for c := range 14 {
			if c%5 == 4 {
				buf = strconv.AppendInt(buf, int64(r.IntN(100)), 10)
			} else {
				buf = strconv.AppendFloat(buf, 50+10*r.NormFloat64(), 'f', 4, 64)
			}
			buf = append(buf, ',')
		}
		for c := range 6 {
			buf = fmt.Appendf(buf, "v%d_%d", c, r.IntN(3+c*40))
			if c < 5 {
				buf = append(buf, ',')
			}
		}
		buf = append(buf, '\n')
		if len(buf) > 1<<20 {
			f.Write(buf)
			buf = buf[:0]
		}
	}
	f.Write(buf)
	f.Close()
	st, _ := os.Stat(path)
	return path, st.Size()
}

// BenchmarkProfileCSV measures a full profiling pass (reading, parsing, statistics, sketches) over 200,000 rows
// of 20 columns. bench/monitor.sh runs the same work at 1,000,000 rows through the CLI.
func BenchmarkProfileCSV(b *testing.B) {
	path, size := benchCSV(b, 200_000)
	b.SetBytes(size)
	for b.Loop() {
		src, err := dataset.Open([]string{path}, dataset.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Compute(context.Background(), src, Options{}); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
}
