// Command train fits the walens guardrail classifiers on the public datasets and writes the model that
// internal/guard/classify embeds. Run it from the repository root:
//
//	go run ./bench/guard/train
//
// It reads the datasets from $WALENS_SHARED/datasets or ../shared/datasets, trains on the train split (plus
// generated benign prompts of family A), calibrates the confidence thresholds on the validation split, and never
// looks at the test split. The same data gives the same model, byte for byte.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/walens/walens/bench/guard/dataset"
	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/guard/classify"
	"github.com/walens/walens/internal/guard/normalize"
)

// benignPerTemplate is how many prompts of each family-A template train the classifiers.
const benignPerTemplate = 20

func main() {
	out := flag.String("out", "internal/guard/classify/model.bin", "where to write the model")
	card := flag.String("card", "internal/guard/classify/MODEL.md", "where to write the model card")
	bits := flag.Int("bits", classify.DefaultTrainOptions.Bits, "log2 of the number of hash buckets")
	epochs := flag.Int("epochs", classify.DefaultTrainOptions.Epochs, "training passes")
	l2 := flag.Float64("l2", classify.DefaultTrainOptions.L2, "weight decay")
	flag.Parse()
	opts := classify.DefaultTrainOptions
	opts.Bits, opts.Epochs, opts.L2 = *bits, *epochs, *l2
	if err := run(*out, *card, opts); err != nil {
		slog.Error("train", "err", err)
		os.Exit(1)
	}
}

// Examples turns dataset items into classifier examples over every category, folding each text.
func examples(items []dataset.Item) []classify.Example {
	out := make([]classify.Example, len(items))
	for i, it := range items {
		labels := make([]int8, len(classify.Categories))
		for c, cat := range classify.Categories {
			l, ok := it.Labels[cat]
			if !ok {
				l = classify.Unknown
			}
			labels[c] = l
		}
		out[i] = classify.Example{Text: normalize.Fold(it.Text).S, Source: it.Source, Labels: labels}
	}
	return out
}

func run(out, card string, opts classify.TrainOptions) error {
	dir, err := dataset.Dir()
	if err != nil {
		return err
	}
	items, err := dataset.Load(dir)
	if err != nil {
		return err
	}
	items = append(items, dataset.BenignItems("a", benignPerTemplate, 1)...)
	items = append(items, dataset.PIIItems(40, 101)...)
	parts := map[dataset.Part][]dataset.Item{}
	counts := map[string]map[dataset.Part]int{}
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.Text] {
			continue
		}
		seen[it.Text] = true
		p := dataset.PartOf(it.Text)
		parts[p] = append(parts[p], it)
		if counts[it.Source] == nil {
			counts[it.Source] = map[dataset.Part]int{}
		}
		counts[it.Source][p]++
	}
	start := time.Now()
	train, val := examples(parts[dataset.Train]), examples(parts[dataset.Val])
	fm := classify.Train(classify.Categories, train, opts)
	m := fm.Quantize()
	scores := m.Calibrate(val)
	took := time.Since(start)

	var b strings.Builder
	fmt.Fprintf(&b, "# The walens guardrail classifier\n\nWritten by `go run ./bench/guard/train` (do not edit). ")
	fmt.Fprintf(&b, "Logistic regression per category over hashed word uni- and bigrams and character 3-5-grams of the folded text; ")
	fmt.Fprintf(&b, "2^%d buckets, int8 weights (%d KB). Trained on the train split for %d epochs (AdaGrad, seed %d) in %s; ", m.Bits, len(m.W)/1024, opts.Epochs, opts.Seed, took.Round(time.Second))
	fmt.Fprintf(&b, "thresholds calibrated on the validation split; the test split is never read here.\n\n")
	fmt.Fprintf(&b, "## Data (texts per split)\n\n| source | train | val | test |\n|---|--:|--:|--:|\n")
	srcs := make([]string, 0, len(counts))
	for s := range counts {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	for _, s := range srcs {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", s, counts[s][dataset.Train], counts[s][dataset.Val], counts[s][dataset.Test])
	}
	fmt.Fprintf(&b, "\n## Thresholds and validation AUC\n\nConfidence LOW, MEDIUM and HIGH start at these probabilities (validation false-positive targets %.1f%%, %.1f%%, %.1f%%).\n\n", 100*classify.FPRTargets[0], 100*classify.FPRTargets[1], 100*classify.FPRTargets[2])
	fmt.Fprintf(&b, "| category | LOW | MEDIUM | HIGH | validation AUC | positives | negatives |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for c, cat := range m.Categories {
		var pos, neg []float64
		for i, ex := range val {
			switch ex.Labels[c] {
			case classify.Positive:
				pos = append(pos, scores[i][c])
			case classify.Negative:
				neg = append(neg, scores[i][c])
			}
		}
		t := m.Thresholds[c]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %.3f | %d | %d |\n", cat, t[0], t[1], t[2], classify.AUC(pos, neg), len(pos), len(neg))
	}
	data, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(card, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Print(b.String())
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes) and %s\n", out, len(data), card)
	return nil
}
