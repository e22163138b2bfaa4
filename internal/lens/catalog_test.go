package lens

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/walens/walens/lenses"
)

func builtinLenses(t testing.TB) []*Lens {
	t.Helper()
	cat, err := NewCatalog(lenses.FS)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := cat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// The counts the foundation issue fixes for each lens; see docs/lenses.md.
var wantCounts = map[string][2]int{
	"machine-learning":  {35, 105},
	"generative-ai":     {29, 51},
	"responsible-ai":    {28, 98},
	"sustainability-ai": {6, 20},
	"agentic-ai":        {41, 150},
}

func TestBuiltinCounts(t *testing.T) {
	got := map[string]bool{}
	for _, l := range builtinLenses(t) {
		got[l.ID] = true
		want, ok := wantCounts[l.ID]
		if !ok {
			t.Errorf("unexpected built-in lens %s", l.ID)
			continue
		}
		q, p := l.Counts()
		if q != want[0] || p != want[1] {
			t.Errorf("%s: %d questions and %d best practices, want %d and %d", l.ID, q, p, want[0], want[1])
		}
	}
	for id := range wantCounts {
		if !got[id] {
			t.Errorf("built-in lens %s missing", id)
		}
	}
}

// TestBuiltinMatchesReference compares every best practice's ID, title, risk level and URL with the reference
// catalogue gathered from the AWS lens pages.
func TestBuiltinMatchesReference(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "lenses", "aws-ai-lenses-catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	type bp struct {
		ID, Title, Source string
		Risk              *string
	}
	var ref map[string][]struct {
		ID            string
		Title         string
		Pillar        *string
		BestPractices []bp `json:"best_practices"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	levels := map[string]Level{"High": LevelHigh, "Medium": LevelMedium, "Low": LevelLow}
	byRef := map[string]*Choice{}
	questionRefs := map[string]map[string]bool{}
	for _, l := range builtinLenses(t) {
		questionRefs[l.ID] = map[string]bool{}
		l.EachQuestion(func(_ *Pillar, q *Question) {
			questionRefs[l.ID][q.Ref] = true
			for i := range q.Choices {
				if c := &q.Choices[i]; c.Ref != "" {
					byRef[l.ID+"/"+c.Ref] = c
				}
			}
		})
	}
	// sustainability-ai draws its choices from the ML and GenAI lenses.
	susFrom := map[string]bool{}
	for lensID, qs := range ref {
		for _, q := range qs {
			if !questionRefs[lensID][q.ID] {
				t.Errorf("%s: question %s missing", lensID, q.ID)
			}
			for _, b := range q.BestPractices {
				want := LevelUnstated
				if b.Risk != nil {
					want = levels[*b.Risk]
				}
				lensIDs := []string{lensID}
				if strings.Contains(b.ID, "SUS") && (lensID == "machine-learning" || lensID == "generative-ai") {
					lensIDs = append(lensIDs, "sustainability-ai")
					susFrom[b.ID] = true
				}
				for _, lid := range lensIDs {
					c := byRef[lid+"/"+b.ID]
					if c == nil {
						t.Errorf("%s: best practice %s missing", lid, b.ID)
						continue
					}
					if c.Title != b.Title {
						t.Errorf("%s %s: title %q, reference %q", lid, b.ID, c.Title, b.Title)
					}
					if c.Risk != want {
						t.Errorf("%s %s: risk %s, reference %s", lid, b.ID, c.Risk, want)
					}
					if c.Link() != b.Source || c.HelpfulResource == nil || c.HelpfulResource.URL != b.Source {
						t.Errorf("%s %s: url %q, reference %q", lid, b.ID, c.Link(), b.Source)
					}
				}
			}
		}
	}
	if len(susFrom) != 20 {
		t.Errorf("sustainability practices in ML and GenAI lenses: %d, want 20", len(susFrom))
	}
}

var howRE = regexp.MustCompile(`^How .+\?$`)

// TestBuiltinProse checks the text a reviewer reads: every question worded as a "How ...?" question with a
// description, every practice with guidance and an improvement plan, and a "None of these" choice per question.
func TestBuiltinProse(t *testing.T) {
	for _, l := range builtinLenses(t) {
		titles := map[string]string{}
		if strings.Contains(l.Description, "TODO") || len(l.Description) < 100 {
			t.Errorf("%s: lens description missing or too short", l.ID)
		}
		for _, p := range l.Phases {
			if len(p.Description) < 20 || strings.Contains(p.Description, "TODO") {
				t.Errorf("%s: phase %s has no description", l.ID, p.ID)
			}
		}
		l.EachQuestion(func(p *Pillar, q *Question) {
			where := l.ID + "/" + q.ID
			if !howRE.MatchString(q.Title) {
				t.Errorf("%s: title %q is not a \"How ...?\" question", where, q.Title)
			}
			if prev, dup := titles[q.Title]; dup {
				t.Errorf("%s: same title as %s", where, prev)
			}
			titles[q.Title] = where
			if len(q.Description) < 80 || strings.Contains(q.Description, "TODO") {
				t.Errorf("%s: description missing or too short", where)
			}
			if len(l.Phases) > 0 && len(q.Phases) == 0 {
				t.Errorf("%s: no lifecycle phase", where)
			}
			if q.NoneChoice() == nil {
				t.Errorf("%s: no \"None of these\" choice", where)
			}
			for i := range q.Choices {
				c := &q.Choices[i]
				if c.IsNone() {
					continue
				}
				if len(c.Guidance()) < 80 || strings.Contains(c.Guidance(), "TODO") {
					t.Errorf("%s/%s: guidance missing or too short", where, c.ID)
				}
				if len(c.Action()) < 100 || strings.Contains(c.Action(), "TODO") {
					t.Errorf("%s/%s: improvement plan missing or too short", where, c.ID)
				}
				if c.Ref == "" || c.Risk == "" {
					t.Errorf("%s/%s: missing ref or risk", where, c.ID)
				}
				if len(l.Dimensions) > 0 && len(c.Dimensions) == 0 {
					t.Errorf("%s/%s: no dimension", where, c.ID)
				}
			}
		})
	}
}

// expectedRisk is the walens rule policy for built-in lenses: any missing HIGH practice makes the question HIGH;
// otherwise any missing MEDIUM (or unstated) practice makes it MEDIUM; LOW practices never raise the risk, unless
// a question has nothing but LOW practices.
func expectedRisk(q *Question, done func(string) bool) Risk {
	var high, med, low bool
	var onlyLow = true
	for _, c := range q.Choices {
		if c.IsNone() {
			continue
		}
		if c.Risk != LevelLow {
			onlyLow = false
		}
		if done(c.ID) {
			continue
		}
		switch c.Risk {
		case LevelHigh:
			high = true
		case LevelLow:
			low = true
		default:
			med = true
		}
	}
	switch {
	case high:
		return RiskHigh
	case med, onlyLow && low:
		return RiskMedium
	}
	return RiskNone
}

// TestBuiltinRulesFollowLevels evaluates every question's rules for every combination of its choices.
func TestBuiltinRulesFollowLevels(t *testing.T) {
	for _, l := range builtinLenses(t) {
		l.EachQuestion(func(_ *Pillar, q *Question) {
			var ids []string
			for _, c := range q.Choices {
				if !c.IsNone() {
					ids = append(ids, c.ID)
				}
			}
			for mask := 0; mask < 1<<len(ids); mask++ {
				done := func(id string) bool {
					for i, x := range ids {
						if x == id {
							return mask&(1<<i) != 0
						}
					}
					return false
				}
				if got, want := q.Evaluate(done), expectedRisk(q, done); got != want {
					t.Errorf("%s/%s with %b: rules give %s, levels give %s", l.ID, q.ID, mask, got, want)
					return
				}
			}
		})
	}
}

func TestMachineLearningLegacyAliases(t *testing.T) {
	var ml *Lens
	for _, l := range builtinLenses(t) {
		if l.ID == "machine-learning" {
			ml = l
		}
	}
	legacy := regexp.MustCompile(`^ML(OE|SEC|REL|PER|COST|SUS)-\d\d$`)
	seen := map[string]bool{}
	ml.EachQuestion(func(_ *Pillar, q *Question) {
		for _, c := range q.Choices {
			if c.IsNone() {
				continue
			}
			n := 0
			for _, a := range c.Aliases {
				if legacy.MatchString(a) {
					n++
					seen[a] = true
				}
			}
			if n != 1 {
				t.Errorf("%s: %d legacy aliases, want 1", c.Ref, n)
			}
		}
	})
	if len(seen) != 105 {
		t.Errorf("%d distinct legacy IDs, want 105", len(seen))
	}
	if ref := ml.Question("mlsec03"); ref.Question == nil || ref.Question.Choice("MLSEC-04") == nil || ref.Question.Choice("MLSEC-04").ID != "mlsec03_bp02" {
		t.Error("MLSEC-04 does not resolve to mlsec03_bp02")
	}
}
