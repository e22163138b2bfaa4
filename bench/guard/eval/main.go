// Command eval measures the walens guardrail detectors and writes bench/guard/results.md, the tables published in
// docs/guardrails.md. Run it from the repository root:
//
//	go run ./bench/guard/eval
//
// It needs the shared datasets ($WALENS_SHARED/datasets or ../shared/datasets) and says so and exits when they
// are absent. Classifiers are measured on the test split, which neither training nor calibration reads, on the
// generated benign prompts of family B, which nothing trains on, and across datasets (trained on one source,
// tested on another). PII is measured on a generated labelled corpus and on the public Presidio sample.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/walens/walens/bench/guard/dataset"
	"github.com/walens/walens/bench/guard/piicorpus"
	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/guard/classify"
	"github.com/walens/walens/internal/guard/grounding"
	"github.com/walens/walens/internal/guard/normalize"
	"github.com/walens/walens/internal/guard/pii"
	"github.com/walens/walens/internal/guard/topic"
	"github.com/walens/walens/internal/guard/words"
)

func main() {
	out := flag.String("out", "bench/guard/results.md", "where to write the results")
	skipCross := flag.Bool("skip-cross", false, "skip the cross-dataset training runs")
	flag.Parse()
	dir, err := dataset.Dir()
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "eval: the shared datasets are not available (%v); nothing to measure\n", err)
		os.Exit(0)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Guardrail evaluation results\n\nWritten by `go run ./bench/guard/eval` on %s (%s, %d CPUs, %s). Do not edit; rerun.\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	steps := []func(*strings.Builder, string) error{
		piiSection, presidioSection, classifierSection, topicSection, groundingSection, latencySection,
	}
	for _, step := range steps {
		if err := step(&b, dir); err != nil {
			slog.Error("eval", "err", err)
			os.Exit(1)
		}
	}
	if !*skipCross {
		if err := crossSection(&b, dir); err != nil {
			slog.Error("eval", "err", err)
			os.Exit(1)
		}
	}
	if err := atomicfile.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		slog.Error("eval", "err", err)
		os.Exit(1)
	}
	fmt.Print(b.String())
}

// prf holds span-level counts for one entity type.
type prf struct{ tp, fp, fn int }

func (c prf) p() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c prf) r() float64 { return ratio(c.tp, c.tp+c.fn) }
func (c prf) f1() float64 {
	p, r := c.p(), c.r()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

type span struct {
	typ        pii.Type
	start, end int
}

// score matches predicted spans to gold spans: a prediction is a true positive when it has the gold span's type
// and overlaps it; each gold span is matched at most once.
func score(counts map[pii.Type]*prf, gold, pred []span, types map[pii.Type]bool) {
	used := make([]bool, len(gold))
	for _, p := range pred {
		if !types[p.typ] {
			continue
		}
		hit := false
		for i, g := range gold {
			if !used[i] && g.typ == p.typ && p.start < g.end && g.start < p.end {
				used[i], hit = true, true
				break
			}
		}
		c := counts[p.typ]
		if hit {
			c.tp++
		} else {
			c.fp++
		}
	}
	for i, g := range gold {
		if !used[i] && types[g.typ] {
			counts[g.typ].fn++
		}
	}
}

func scanSpans(sc *pii.Scanner, text string) []span {
	c := normalize.Canonical(text)
	var out []span
	for _, f := range sc.Scan(c.S) {
		s, e := c.Orig(f.Start, f.End)
		out = append(out, span{f.Type, s, e})
	}
	return out
}

func piiSection(b *strings.Builder, dir string) error {
	corpus := piicorpus.Generate(200, 2026)
	sc := pii.New()
	counts := map[pii.Type]*prf{}
	all := map[pii.Type]bool{}
	for _, t := range pii.Types {
		counts[t] = &prf{}
		all[t] = true
	}
	negFlagged, negs := 0, 0
	for _, ex := range corpus {
		var gold []span
		for _, s := range ex.Spans {
			gold = append(gold, span{s.Type, s.Start, s.End})
		}
		pred := scanSpans(sc, ex.Text)
		score(counts, gold, pred, all)
		if ex.Kind == "negative" {
			negs++
			if len(pred) > 0 {
				negFlagged++
			}
		}
	}
	structured := map[pii.Type]bool{}
	for _, t := range pii.Structured {
		structured[t] = true
	}
	fmt.Fprintf(b, "## PII: generated corpus\n\n%d sentences: 200 per entity type (valid check digits; context words in some sentences, not in others) and %d hard negatives (order, tracking and invoice numbers, timestamps, versions, prices, hashes, UUIDs, Luhn-failing numbers), from `bench/guard/piicorpus` with seed 2026 (the detector was tuned on seed 7; this seed was not looked at before publishing). A prediction counts when its type matches a labelled span it overlaps.\n\n",
		len(corpus), negs)
	fmt.Fprintf(b, "| entity type | structured | precision | recall | F1 |\n|---|:-:|--:|--:|--:|\n")
	var sAll, uAll prf
	for _, t := range pii.Types {
		c := counts[t]
		mark := ""
		if structured[t] {
			mark = "yes"
			sAll.tp, sAll.fp, sAll.fn = sAll.tp+c.tp, sAll.fp+c.fp, sAll.fn+c.fn
		} else {
			uAll.tp, uAll.fp, uAll.fn = uAll.tp+c.tp, uAll.fp+c.fp, uAll.fn+c.fn
		}
		fmt.Fprintf(b, "| %s | %s | %.3f | %.3f | %.3f |\n", t, mark, c.p(), c.r(), c.f1())
	}
	fmt.Fprintf(b, "| **structured types, micro-averaged** | | **%.3f** | **%.3f** | **%.3f** |\n", sAll.p(), sAll.r(), sAll.f1())
	fmt.Fprintf(b, "| context-dependent types, micro-averaged | | %.3f | %.3f | %.3f |\n\n", uAll.p(), uAll.r(), uAll.f1())
	fmt.Fprintf(b, "Hard-negative sentences with any finding: %d of %d (%.1f%%).\n\n", negFlagged, negs, 100*float64(negFlagged)/float64(negs))

	// Benign prompts: the generated evaluation family and deepset's benign prompts.
	benign := dataset.Benign("b", 10, 11)
	items, err := dataset.Load(dir)
	if err != nil {
		return err
	}
	var deepsetBenign []string
	for _, it := range items {
		if it.Source == dataset.Deepset && it.Labels[classify.PromptAttack] == classify.Negative {
			deepsetBenign = append(deepsetBenign, it.Text)
		}
	}
	for _, set := range []struct {
		name  string
		texts []string
	}{{"generated benign prompts, family B", unique(benign)}, {"generated benign prompts, family C", unique(dataset.Benign("c", 10, 13))}, {"deepset benign prompts (train file, all)", deepsetBenign}} {
		anyN, structN := 0, 0
		byType := map[pii.Type]int{}
		for _, t := range set.texts {
			pred := scanSpans(sc, t)
			if len(pred) > 0 {
				anyN++
			}
			s := false
			for _, p := range pred {
				byType[p.typ]++
				s = s || structured[p.typ]
			}
			if s {
				structN++
			}
		}
		fmt.Fprintf(b, "Benign prompts flagged, %s: %d of %d with any entity (%.2f%%), %d with a structured entity (%.2f%%)%s.\n\n",
			set.name, anyN, len(set.texts), 100*float64(anyN)/float64(len(set.texts)), structN, 100*float64(structN)/float64(len(set.texts)), typeList(byType))
	}
	return nil
}

func typeList(m map[pii.Type]int) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for t, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(parts)
	return "; findings by type: " + strings.Join(parts, ", ")
}

func unique(ts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// presidioTypes maps the Presidio sample's entity names to Bedrock's; its other entities (places, organisations,
// dates, titles, nationalities, zip codes) have no Bedrock type.
var presidioTypes = map[string]pii.Type{
	"CREDIT_CARD": pii.CardNumber, "EMAIL_ADDRESS": pii.Email, "PHONE_NUMBER": pii.Phone, "IBAN_CODE": pii.IBAN,
	"US_SSN": pii.USSocialSecurity, "IP_ADDRESS": pii.IPAddress, "PERSON": pii.Name, "STREET_ADDRESS": pii.Address,
	"AGE": pii.Age, "US_DRIVER_LICENSE": pii.DriverID, "DOMAIN_NAME": pii.URL,
}

func presidioSection(b *strings.Builder, dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "pii", "presidio_synth_dataset_v2.json"))
	if err != nil {
		return err
	}
	var rows []struct {
		FullText string `json:"full_text"`
		Spans    []struct {
			Type  string `json:"entity_type"`
			Start int    `json:"start_position"`
			End   int    `json:"end_position"`
		}
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		return fmt.Errorf("presidio: %w", err)
	}
	sc := pii.New()
	counts := map[pii.Type]*prf{}
	types := map[pii.Type]bool{}
	for _, t := range presidioTypes {
		counts[t] = &prf{}
		types[t] = true
	}
	for _, r := range rows {
		// Offsets count characters; convert them to bytes.
		byteAt := make([]int, 0, len(r.FullText)+1)
		for i := range r.FullText {
			byteAt = append(byteAt, i)
		}
		byteAt = append(byteAt, len(r.FullText))
		var gold []span
		for _, s := range r.Spans {
			t, ok := presidioTypes[s.Type]
			if !ok || s.Start < 0 || s.End >= len(byteAt) || s.Start >= s.End {
				continue
			}
			gold = append(gold, span{t, byteAt[s.Start], byteAt[s.End]})
		}
		score(counts, gold, scanSpans(sc, r.FullText), types)
	}
	fmt.Fprintf(b, "## PII: the Presidio synthetic sample\n\nThe %d sentences of microsoft/presidio-research's `synth_dataset_v2` (MIT), written by others, with their entity names mapped to Bedrock's. Nothing in walens was tuned on it beyond a first look at its formats. Its names and street addresses come from many countries and rarely follow an introduction, which the context-based NAME and ADDRESS detectors need.\n\n", len(rows))
	fmt.Fprintf(b, "| Presidio entity | Bedrock type | labelled | precision | recall | F1 |\n|---|---|--:|--:|--:|--:|\n")
	names := make([]string, 0, len(presidioTypes))
	for n := range presidioTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := counts[presidioTypes[n]]
		fmt.Fprintf(b, "| %s | %s | %d | %.3f | %.3f | %.3f |\n", n, presidioTypes[n], c.tp+c.fn, c.p(), c.r(), c.f1())
	}
	b.WriteString("\n")
	return nil
}

type labelled struct {
	folded string
	labels []int8
	source string
}

func toLabelled(items []dataset.Item) []labelled {
	out := make([]labelled, len(items))
	for i, it := range items {
		ls := make([]int8, len(classify.Categories))
		for c, cat := range classify.Categories {
			l, ok := it.Labels[cat]
			if !ok {
				l = classify.Unknown
			}
			ls[c] = l
		}
		out[i] = labelled{normalize.Fold(it.Text).S, ls, it.Source}
	}
	return out
}

func classifierSection(b *strings.Builder, dir string) error {
	m, err := classify.Default()
	if err != nil {
		return err
	}
	items, err := dataset.Load(dir)
	if err != nil {
		return err
	}
	var test []dataset.Item
	for _, it := range items {
		if dataset.PartOf(it.Text) == dataset.Test {
			test = append(test, it)
		}
	}
	tl := toLabelled(test)
	benign := unique(dataset.Benign("b", 10, 11))
	benignScores := make([][]float64, len(benign))
	for i, t := range benign {
		benignScores[i] = m.Scores(normalize.Fold(t).S)
	}
	final := unique(dataset.Benign("c", 10, 13))
	finalScores := make([][]float64, len(final))
	for i, t := range final {
		finalScores[i] = m.Scores(normalize.Fold(t).S)
	}
	scores := make([][]float64, len(tl))
	for i, x := range tl {
		scores[i] = m.Scores(x.folded)
	}
	fmt.Fprintf(b, "## Content filters and prompt attack: held-out test split\n\nThe embedded model, on the 15%% test split of the public datasets (never used for training or threshold calibration; %d texts), and on generated benign prompts never trained on: %d of family B (looked at during development) and %d of family C (never looked at), up to ten per template. AUC is the area under the ROC curve; TPR at 1%% FPR is the share of positives caught at the threshold that flags 1%% of the test negatives. Each strength column gives the share blocked by a filter of that strength: test positives / test negatives / benign B / benign C.\n\n", len(tl), len(benign), len(final))
	fmt.Fprintf(b, "| category | test positives | test negatives | AUC | TPR at 1%% FPR | HIGH strength | MEDIUM strength | LOW strength |\n|---|--:|--:|--:|--:|---|---|---|\n")
	for c, cat := range m.Categories {
		var pos, neg []float64
		var posConf, negConf []classify.Confidence
		for i, x := range tl {
			switch x.labels[c] {
			case classify.Positive:
				pos = append(pos, scores[i][c])
				posConf = append(posConf, m.Confidence(c, scores[i][c]))
			case classify.Negative:
				neg = append(neg, scores[i][c])
				negConf = append(negConf, m.Confidence(c, scores[i][c]))
			}
		}
		var benConf, finConf []classify.Confidence
		for _, s := range benignScores {
			benConf = append(benConf, m.Confidence(c, s[c]))
		}
		for _, s := range finalScores {
			finConf = append(finConf, m.Confidence(c, s[c]))
		}
		strength := func(min classify.Confidence) string {
			return fmt.Sprintf("%s / %s / %s / %s", pct(atLeast(posConf, min)), pct(atLeast(negConf, min)), pct(atLeast(benConf, min)), pct(atLeast(finConf, min)))
		}
		fmt.Fprintf(b, "| %s | %d | %d | %.3f | %s | %s | %s | %s |\n", cat, len(pos), len(neg), classify.AUC(pos, neg), pct(classify.TPRAtFPR(pos, neg, 0.01)),
			strength(classify.Low), strength(classify.Medium), strength(classify.High))
	}
	// Prompt attack by source.
	pa := m.Index(classify.PromptAttack)
	fmt.Fprintf(b, "\nPROMPT_ATTACK on the test split by source (negatives: every test negative):\n\n| positives from | n | AUC | TPR at 1%% FPR |\n|---|--:|--:|--:|\n")
	var neg []float64
	bySource := map[string][]float64{}
	for i, x := range tl {
		switch x.labels[pa] {
		case classify.Negative:
			neg = append(neg, scores[i][pa])
		case classify.Positive:
			bySource[x.source] = append(bySource[x.source], scores[i][pa])
		}
	}
	for _, s := range sortedKeys(bySource) {
		fmt.Fprintf(b, "| %s | %d | %.3f | %s |\n", s, len(bySource[s]), classify.AUC(bySource[s], neg), pct(classify.TPRAtFPR(bySource[s], neg, 0.01)))
	}
	var benPA []float64
	for _, s := range benignScores {
		benPA = append(benPA, s[pa])
	}
	var finPA []float64
	for _, s := range finalScores {
		finPA = append(finPA, s[pa])
	}
	fmt.Fprintf(b, "| (all positives against benign family B only) | %d | %.3f | %s |\n", len(allValues(bySource)), classify.AUC(allValues(bySource), benPA), pct(classify.TPRAtFPR(allValues(bySource), benPA, 0.01)))
	fmt.Fprintf(b, "| (all positives against benign family C only) | %d | %.3f | %s |\n\n", len(allValues(bySource)), classify.AUC(allValues(bySource), finPA), pct(classify.TPRAtFPR(allValues(bySource), finPA, 0.01)))
	return nil
}

func allValues(m map[string][]float64) []float64 {
	var out []float64
	for _, k := range sortedKeys(m) {
		out = append(out, m[k]...)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func atLeast(cs []classify.Confidence, min classify.Confidence) float64 {
	if len(cs) == 0 {
		return math.NaN()
	}
	n := 0
	for _, c := range cs {
		if c >= min {
			n++
		}
	}
	return float64(n) / float64(len(cs))
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// crossSection trains models on one source and tests them on another.
func crossSection(b *strings.Builder, dir string) error {
	items, err := dataset.Load(dir)
	if err != nil {
		return err
	}
	benignA := append(dataset.BenignItems("a", 20, 1), dataset.PIIItems(40, 101)...)
	benignB := dataset.BenignItems("b", 10, 11)
	from := func(srcs ...string) []dataset.Item {
		var out []dataset.Item
		for _, it := range items {
			if slices.Contains(srcs, it.Source) {
				out = append(out, it)
			}
		}
		return out
	}
	jail := []string{dataset.InTheWild, dataset.GarakDAN, dataset.GarakTAP, dataset.SysPrompt}
	type run struct {
		name        string
		cat         classify.Category
		train, test []dataset.Item
	}
	runs := []run{
		{"train: deepset + benign A; test: jailbreak sets vs benign B and Do-Not-Answer", classify.PromptAttack,
			append(from(dataset.Deepset), benignA...), append(append(from(jail...), benignB...), from(dataset.DoNotAnswer)...)},
		{"train: jailbreak sets + Do-Not-Answer + Davidson + benign A; test: deepset (all)", classify.PromptAttack,
			append(append(append(from(jail...), from(dataset.DoNotAnswer)...), from(dataset.Davidson)...), benignA...), from(dataset.Deepset)},
		{"train: Davidson + benign A; test: Do-Not-Answer + benign B", classify.Hate,
			append(from(dataset.Davidson), benignA...), append(from(dataset.DoNotAnswer), benignB...)},
		{"train: Do-Not-Answer + benign A; test: Davidson", classify.Hate,
			append(from(dataset.DoNotAnswer), benignA...), from(dataset.Davidson)},
		{"train: Davidson + benign A; test: Do-Not-Answer + benign B", classify.Insults,
			append(from(dataset.Davidson), benignA...), append(from(dataset.DoNotAnswer), benignB...)},
		{"train: Do-Not-Answer + benign A; test: Davidson", classify.Insults,
			append(from(dataset.DoNotAnswer), benignA...), from(dataset.Davidson)},
	}
	fmt.Fprintf(b, "## Cross-dataset results\n\nA model of the same design trained on one source and tested on another, with no data of the test source in training. These numbers say more about how the classifiers behave on traffic unlike their training data than the in-distribution table does.\n\n")
	fmt.Fprintf(b, "| category | setting | test positives | test negatives | AUC | TPR at 1%% FPR |\n|---|---|--:|--:|--:|--:|\n")
	for _, r := range runs {
		c := slices.Index(classify.Categories, r.cat)
		train := toLabelled(r.train)
		ex := make([]classify.Example, len(train))
		for i, x := range train {
			ex[i] = classify.Example{Text: x.folded, Source: x.source, Labels: x.labels}
		}
		m := classify.Train(classify.Categories, ex, classify.DefaultTrainOptions).Quantize()
		var pos, neg []float64
		for _, x := range toLabelled(r.test) {
			switch x.labels[c] {
			case classify.Positive:
				pos = append(pos, m.Scores(x.folded)[c])
			case classify.Negative:
				neg = append(neg, m.Scores(x.folded)[c])
			}
		}
		fmt.Fprintf(b, "| %s | %s | %d | %d | %.3f | %s |\n", r.cat, r.name, len(pos), len(neg), classify.AUC(pos, neg), pct(classify.TPRAtFPR(pos, neg, 0.01)))
	}
	b.WriteString("\n")
	return nil
}

// adviceTopics are denied topics a bank or a clinic might configure, written by the walens authors in the way
// Bedrock's documentation suggests (a definition and a few example phrases).
var adviceTopics = []topic.Topic{
	{Name: "Financial advice", Definition: "Recommendations on investing, saving, retirement, taxes or what to do with money, stocks, funds or property.",
		Examples: []string{"Should I invest my savings in stocks or bonds?", "What should I do with my inheritance?", "Is now a good time to buy a house?", "How should I plan for retirement?"}},
	{Name: "Medical advice", Definition: "Diagnosis, treatment, medication or dosage recommendations for a person's health condition or symptoms.",
		Examples: []string{"What medication should I take for my headache?", "Do I have an infection if my wound is red?", "How much ibuprofen can I take?", "What should I do about my chest pain?"}},
	{Name: "Legal advice", Definition: "Guidance on a person's legal rights, lawsuits, contracts, court cases or what to do in a legal dispute.",
		Examples: []string{"Can I sue my landlord for not returning my deposit?", "Do I need a lawyer for my divorce?", "Is my employment contract legally binding?", "What are my rights if I get arrested?"}},
}

var adviceIntent = map[string]int{"S002fin": 0, "S002med": 1, "S002legal": 2}

func topicSection(b *strings.Builder, dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "harmful", "donotanswer_misinformation_harms.jsonl"))
	if err != nil {
		return err
	}
	extra, err := os.ReadFile(filepath.Join(dir, "harmful", "donotanswer_human_chatbox.jsonl"))
	if err != nil {
		return err
	}
	det := topic.New(adviceTopics, topic.Options{Threshold: guard.DefaultTopicThreshold})
	type row struct {
		text  string
		topic int // -1 when the prompt is about none of the topics
	}
	var rows []row
	for _, line := range strings.Split(string(data)+"\n"+string(extra), "\n") {
		var r struct {
			Prompt  string
			Intents []string
		}
		if json.Unmarshal([]byte(line), &r) != nil {
			continue
		}
		t := -1
		for _, in := range r.Intents {
			if k, ok := adviceIntent[in]; ok {
				t = k
			}
		}
		rows = append(rows, row{r.Prompt, t})
	}
	for _, t := range unique(dataset.Benign("b", 10, 11)) {
		rows = append(rows, row{t, -1})
	}
	fmt.Fprintf(b, "## Denied topics: lexical matcher\n\nThree topics (financial, medical and legal advice; definitions and four examples each, in `bench/guard/eval`) against Do-Not-Answer's professional-advice prompts (their `S002fin`, `S002med` and `S002legal` tags are the positives of each topic; the other prompts of those two files and the generated benign family B are negatives). Threshold %.2f, the default; no embedding model.\n\n", guard.DefaultTopicThreshold)
	fmt.Fprintf(b, "| topic | positives | negatives | AUC | recall at the default threshold | false-positive rate |\n|---|--:|--:|--:|--:|--:|\n")
	scores := make([][]float64, len(rows))
	for i, r := range rows {
		scores[i] = det.Scores(normalize.Fold(r.text).S)
	}
	for ti, tp := range adviceTopics {
		var pos, neg []float64
		for i, r := range rows {
			if r.topic == ti {
				pos = append(pos, scores[i][ti])
			} else if r.topic == -1 {
				neg = append(neg, scores[i][ti])
			}
		}
		fmt.Fprintf(b, "| %s | %d | %d | %.3f | %s | %s |\n", tp.Name, len(pos), len(neg), classify.AUC(pos, neg), pct(share(pos, guard.DefaultTopicThreshold)), pct(share(neg, guard.DefaultTopicThreshold)))

	}
	b.WriteString("\n")
	return nil
}

func share(xs []float64, t float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	n := 0
	for _, x := range xs {
		if x >= t {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

// groundingCases builds a synthetic set: product facts as the source, a question, and answers that restate the
// facts, change a number, add a claim the source does not make, or answer another question.
func groundingCases() (grounded, ungrounded, relevant, irrelevant []grounding.Request) {
	products := []struct{ name, price, warranty, days, color string }{
		{"Acme X200 blender", "129", "12", "3", "red"}, {"Nimbus desk lamp", "45", "24", "5", "white"},
		{"Vega running shoes", "89", "6", "2", "blue"}, {"Orbit coffee grinder", "59", "18", "4", "black"},
		{"Helio phone case", "19", "3", "1", "green"}, {"Terra backpack", "75", "36", "7", "grey"},
	}
	for _, p := range products {
		src := fmt.Sprintf("The %s costs $%s. It comes with a %s-month warranty and ships within %s business days. It is available in %s.", p.name, p.price, p.warranty, p.days, p.color)
		add := func(q, good, bad, other string) {
			grounded = append(grounded, grounding.Request{Source: src, Query: q, Response: good})
			ungrounded = append(ungrounded, grounding.Request{Source: src, Query: q, Response: bad})
			relevant = append(relevant, grounding.Request{Source: src, Query: q, Response: good})
			irrelevant = append(irrelevant, grounding.Request{Source: src, Query: q, Response: other})
		}
		add("How long is the warranty on the "+p.name+"?", fmt.Sprintf("The %s has a %s-month warranty.", p.name, p.warranty),
			fmt.Sprintf("The %s has a %d-month warranty.", p.name, 2*atoi(p.warranty)+12), fmt.Sprintf("It is available in %s.", p.color))
		add("How much does the "+p.name+" cost?", fmt.Sprintf("It costs $%s.", p.price),
			fmt.Sprintf("It costs $%d.", atoi(p.price)+30), fmt.Sprintf("It ships within %s business days.", p.days))
		add("How fast does the "+p.name+" ship?", fmt.Sprintf("It ships within %s business days.", p.days),
			"It ships the same day with free express delivery and includes a lifetime guarantee.", "Our stores open at nine on weekdays.")
		add("What colors does the "+p.name+" come in?", fmt.Sprintf("The %s is available in %s.", p.name, p.color),
			fmt.Sprintf("The %s is available in purple, orange and silver.", p.name), fmt.Sprintf("The warranty lasts %s months.", p.warranty))
	}
	return
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func groundingSection(b *strings.Builder, _ string) error {
	g, u, r, ir := groundingCases()
	j := grounding.Lexical{}
	sc := func(rs []grounding.Request, rel bool) []float64 {
		var out []float64
		for _, x := range rs {
			s, _ := j.Score(context.Background(), x)
			if rel {
				out = append(out, s.Relevance)
			} else {
				out = append(out, s.Grounding)
			}
		}
		return out
	}
	gs, us := sc(g, false), sc(u, false)
	rs, irs := sc(r, true), sc(ir, true)
	fmt.Fprintf(b, "## Contextual grounding: lexical judge\n\nA synthetic set written for this evaluation (`groundingCases` in `bench/guard/eval`): %d answers restating a product's facts against %d that change a number or claim what the source does not say; %d relevant answers against %d that answer another question. It is small and regular, so read it as a sanity check of the lexical judge, not as its accuracy on real answers.\n\n", len(g), len(u), len(r), len(ir))
	fmt.Fprintf(b, "| filter | AUC | share flagged at threshold 0.6 / 0.3: good answers | bad answers |\n|---|--:|--:|--:|\n")
	fmt.Fprintf(b, "| GROUNDING | %.3f | %s | %s |\n", classify.AUC(gs, us), pct(1-share(gs, 0.6)), pct(1-share(us, 0.6)))
	fmt.Fprintf(b, "| RELEVANCE | %.3f | %s | %s |\n\n", classify.AUC(rs, irs), pct(1-share(rs, 0.3)), pct(1-share(irs, 0.3)))
	return nil
}

// latencySection times each detector on texts of about a kilobyte and reports microseconds per kilobyte.
func latencySection(b *strings.Builder, dir string) error {
	items, err := dataset.Load(dir)
	if err != nil {
		return err
	}
	var texts []string
	var cur strings.Builder
	add := func(t string) {
		cur.WriteString(t)
		cur.WriteString(" ")
		if cur.Len() >= 1024 {
			s := cur.String()
			cut := strings.LastIndexByte(s[:1024], ' ')
			if cut < 512 {
				cut = 1024
				for !utf8.RuneStart(s[cut]) {
					cut--
				}
			}
			texts = append(texts, s[:cut])
			cur.Reset()
		}
	}
	corpus := piicorpus.Generate(10, 3)
	benign := dataset.Benign("b", 10, 5)
	for i := 0; len(texts) < 300 && i < 5000; i++ {
		add(benign[i%len(benign)])
		add(corpus[i%len(corpus)].Text)
		if i%7 == 0 {
			add(items[(i*31)%len(items)].Text)
		}
	}
	policy, err := guard.LoadPolicy("internal/guard/testdata/support.yaml")
	if err != nil {
		return err
	}
	eng, err := guard.New(policy, guard.Options{})
	if err != nil {
		return err
	}
	m, err := classify.Default()
	if err != nil {
		return err
	}
	sc := pii.New()
	_, prof := words.Profanity()
	det := topic.New(adviceTopics, topic.Options{Threshold: guard.DefaultTopicThreshold})
	type detector struct {
		name string
		kind string
		fn   func(string)
	}
	ds := []detector{
		{"normalisation (canonical, folded, decoded views)", "deterministic", func(t string) {
			c := normalize.Canonical(t)
			normalize.FoldCanonical(c)
			normalize.Decode(c)
		}},
		{"PII, all 31 types (on the canonical view)", "deterministic", func(t string) { sc.Scan(normalize.Canonical(t).S) }},
		{"PII scanner alone", "deterministic", func(t string) { sc.Scan(t) }},
		{"managed profanity list (on the folded view)", "deterministic", func(t string) { prof.Find(normalize.Fold(t), false) }},
		{"denied topics, lexical, 3 topics", "deterministic", func(t string) { det.Scores(normalize.Fold(t).S) }},
		{"classifiers, all six categories (on the folded view)", "learned", func(t string) { m.Scores(normalize.Fold(t).S) }},
		{"whole engine: the support policy of internal/guard/testdata, INPUT", "all", func(t string) {
			if _, err := eng.Apply(context.Background(), guard.Input, []guard.Content{{Text: t}}, guard.ApplyOptions{}); err != nil {
				panic(err)
			}
		}},
	}
	fmt.Fprintf(b, "## Latency per kilobyte\n\n%d texts of 0.5-1 KB mixing ordinary prompts, PII sentences and dataset texts; each detector runs over each text 20 times on one goroutine; figures are microseconds per kilobyte of input (time / (bytes / 1024)), p50 and p99 over all calls, on %s with %d CPUs shared with other work.\n\n", len(texts), runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintf(b, "| detector | kind | p50 µs/KB | p99 µs/KB |\n|---|---|--:|--:|\n")
	for _, d := range ds {
		var per []float64
		for range 20 {
			for _, t := range texts {
				start := time.Now()
				d.fn(t)
				el := time.Since(start)
				per = append(per, float64(el.Nanoseconds())/1000/(float64(len(t))/1024))
			}
		}
		sort.Float64s(per)
		fmt.Fprintf(b, "| %s | %s | %.1f | %.1f |\n", d.name, d.kind, per[len(per)/2], per[len(per)*99/100])
	}
	b.WriteString("\n")
	return nil
}
