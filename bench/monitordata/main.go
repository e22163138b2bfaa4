// Command monitordata writes a synthetic tabular dataset as CSV for the monitor benchmarks: 14 numeric columns
// of several shapes (normal, log-normal, uniform, exponential, integer counts) and 6 categorical ones (from 3 to
// 200 categories), deterministic for a given seed.
//
//	go run ./bench/monitordata -rows 1000000 > /tmp/monitor-1m.csv
//	go run ./bench/monitordata -bytes 10000000000 | walens monitor baseline --data - --data-format csv --out /tmp/b
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	rows := flag.Int64("rows", 1_000_000, "rows to write (ignored when -bytes is set)")
	size := flag.Int64("bytes", 0, "write rows until about this many bytes")
	seed := flag.Uint64("seed", 1, "random seed")
	shift := flag.Float64("shift", 0, "add this many standard deviations to the first numeric column")
	flag.Parse()
	if err := write(*rows, *size, *seed, *shift); err != nil {
		fmt.Fprintln(os.Stderr, "monitordata:", err)
		os.Exit(1)
	}
}

func write(rows, size int64, seed uint64, shift float64) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	header := ""
	for i := range 14 {
		header += fmt.Sprintf("num%02d,", i)
	}
	header += "cat_a,cat_b,cat_c,cat_d,cat_e,cat_f\n"
	w.WriteString(header)
	written := int64(len(header))
	cats := [6][]string{}
	for i, n := range []int{3, 5, 12, 30, 80, 200} {
		for j := range n {
			cats[i] = append(cats[i], fmt.Sprintf("v%d_%d", i, j))
		}
	}
	buf := make([]byte, 0, 512)
	for i := int64(0); size > 0 && written < size || size == 0 && i < rows; i++ {
		buf = buf[:0]
		for c := range 14 {
			var v float64
			switch c % 5 {
			case 0:
				v = 50 + 10*r.NormFloat64()
				if c == 0 {
					v += 10 * shift
				}
			case 1:
				v = math.Exp(1 + 0.5*r.NormFloat64())
			case 2:
				v = r.Float64() * 1000
			case 3:
				v = r.ExpFloat64() * 3
			case 4:
				buf = strconv.AppendInt(buf, int64(r.IntN(100)), 10)
				buf = append(buf, ',')
				continue
			}
			buf = strconv.AppendFloat(buf, v, 'f', 4, 64)
			buf = append(buf, ',')
		}
		for c := range 6 {
			// Skewed category frequencies: low indexes are more common.
			n := len(cats[c])
			k := int(float64(n) * r.Float64() * r.Float64())
			buf = append(buf, cats[c][k]...)
			if c < 5 {
				buf = append(buf, ',')
			}
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
		written += int64(len(buf))
	}
	return w.Flush()
}
