package rules_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/rules"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/scan"
	"github.com/walens/walens/lenses"
)

// sources are the scanner's sources, as walens scan uses them: a new source is added in internal/scan, and the
// fixtures here run through it.
func sources() []evidence.Source { return scan.Sources() }

var idRE = regexp.MustCompile(`^WL-(SM|BR|AWS|WAL)-\d{3}$`)

func TestCatalogue(t *testing.T) {
	cat, err := lens.NewCatalog(lenses.FS)
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, id := range cat.BuiltinIDs() {
		l, err := cat.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		l.EachQuestion(func(_ *lens.Pillar, q *lens.Question) {
			for _, c := range q.Choices {
				if c.Ref != "" {
					refs[c.Ref] = true
				}
			}
		})
	}
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if !idRE.MatchString(r.ID) {
			t.Errorf("%s: ID does not look like WL-XX-nnn", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate ID", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Description == "" || r.Remediation == "" {
			t.Errorf("%s: title, description and remediation are all required", r.ID)
		}
		if r.Severity.Rank() == 0 {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if len(r.Types) == 0 {
			t.Errorf("%s: no resource types", r.ID)
		}
		if (r.Check == nil) == (r.CheckGraph == nil) {
			t.Errorf("%s: exactly one of Check and CheckGraph must be set", r.ID)
		}
		if len(r.Practices) == 0 {
			t.Errorf("%s: names no lens practice", r.ID)
		}
		for _, p := range r.Practices {
			if !refs[p.Ref] {
				t.Errorf("%s: practice %s is not a choice of any built-in lens", r.ID, p.Ref)
			}
		}
	}
}

// fixtureOptions are optional scan options for a rule's fixtures (testdata/RULE/options.json).
type fixtureOptions struct {
	PreferredRegions []string `json:"preferredRegions"`
	RequiredTags     []string `json:"requiredTags"`
	Region           string   `json:"region"`
}

func scanFixture(t *testing.T, rule *evidence.Rule, dir string) *evidence.Report {
	t.Helper()
	var fo fixtureOptions
	if data, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "options.json")); err == nil {
		if err := json.Unmarshal(data, &fo); err != nil {
			t.Fatal(err)
		}
	}
	s := &evidence.Scanner{Sources: sources(), Rules: []*evidence.Rule{rule},
		Options: evidence.Options{PreferredRegions: fo.PreferredRegions, RequiredTags: fo.RequiredTags, Region: fo.Region}}
	rep, err := s.Scan(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Problems.Errors(); len(errs) > 0 {
		t.Fatalf("fixture %s does not load cleanly:\n%v", dir, errs)
	}
	return rep
}

func count(rep *evidence.Report, rule string, s evidence.Status) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == rule && f.Status == s {
			n++
		}
	}
	return n
}

func describe(rep *evidence.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString("\n  " + string(f.Status) + " " + f.Pos.String() + " " + f.Resource + ": " + f.Message)
	}
	return b.String()
}

// TestFixtures runs every rule on its fixtures. Each rule has a positive fixture (testdata/RULE/pass: the rule must
// pass, with no failure and nothing unknown) and a negative one (testdata/RULE/fail: it must fail); further
// directories named pass-* and fail-* (pass-cfn, fail-plan, ...) hold the same cases in other sources.
func TestFixtures(t *testing.T) {
	for _, rule := range rules.All() {
		t.Run(rule.ID, func(t *testing.T) {
			base := filepath.Join("testdata", rule.ID)
			for _, kind := range []string{"pass", "fail"} {
				if _, err := os.Stat(filepath.Join(base, kind)); err != nil {
					t.Errorf("missing %s fixture: %s", kind, filepath.Join(base, kind))
				}
			}
			entries, _ := os.ReadDir(base)
			for _, e := range entries {
				kind, _, _ := strings.Cut(e.Name(), "-")
				if !e.IsDir() || (kind != "pass" && kind != "fail") {
					continue
				}
				dir := filepath.Join(base, e.Name())
				rep := scanFixture(t, rule, dir)
				if rep.Files == 0 {
					t.Errorf("%s: no file was read", dir)
				}
				pass, fail, unknown := count(rep, rule.ID, evidence.Pass), count(rep, rule.ID, evidence.Fail), count(rep, rule.ID, evidence.Undetermined)
				switch kind {
				case "pass":
					if pass == 0 || fail > 0 || unknown > 0 {
						t.Errorf("%s: want only passes, got %d pass, %d fail, %d unknown:%s", dir, pass, fail, unknown, describe(rep))
					}
				case "fail":
					if fail == 0 {
						t.Errorf("%s: want a failure, got %d pass, %d fail, %d unknown:%s", dir, pass, fail, unknown, describe(rep))
					}
				}
			}
		})
	}
}
