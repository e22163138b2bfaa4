package lens

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/riskrule"
)

// Limits of the AWS Well-Architected Tool custom-lens format. walens applies them to every lens so that any lens it
// accepts can be exported to the WA Tool.
const (
	MaxPillars             = 10
	MaxQuestionsPerPillar  = 20
	MaxChoicesPerQuestion  = 15
	MaxRiskRules           = 3
	MaxTitle               = 128
	MaxName                = 128
	MaxText                = 2048
	MaxAdditionalResources = 10
	MaxAdditionalContent   = 5
	MaxExportBytes         = 500 * 1000 // the WA Tool rejects larger lens files
)

var (
	awsIDRE  = regexp.MustCompile(`^[A-Za-z0-9_]{3,128}$`)
	slugRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$`)
	levels   = []Level{LevelHigh, LevelMedium, LevelLow, LevelUnstated}
	ruleRisk = []RuleRisk{RuleNone, RuleMedium, RuleHigh}
)

// Validate checks the lens against the walens rules and the WA Tool's custom-lens limits. It parses every risk
// rule and remembers the result, so a lens that passes can be evaluated without parsing again. Problems carry
// document paths; the loader turns them into lines.
func (l *Lens) Validate() diag.List {
	var c diag.Collector
	v := validator{c: &c, l: l}
	v.lens()
	return c.List
}

type validator struct {
	c *diag.Collector
	l *Lens
	// IDs of the lens's phases and dimensions, for suggestions.
	phaseIDs, dimensionIDs []string
}

func (v *validator) text(path, field, s string, limit int, required bool) {
	n := utf8.RuneCountInString(s)
	switch {
	case required && strings.TrimSpace(s) == "":
		v.c.Errorf(diag.Key(path, field), "%s is required", field)
	case n > limit:
		v.c.Errorf(diag.Key(path, field), "%s is %d characters; the limit is %d", field, n, limit)
	}
}

func (v *validator) awsID(path, what, id string) {
	if !awsIDRE.MatchString(id) {
		if id == "" {
			v.c.Errorf(diag.Key(path, "id"), "%s id is required", what)
			return
		}
		v.c.Errorf(diag.Key(path, "id"), "%s id %q must be 3-128 characters of letters, digits and underscores", what, id)
	}
}

func (v *validator) link(path string, u string) {
	if u == "" {
		return
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		v.c.Errorf(diag.Key(path, "url"), "url %q must be an absolute http or https URL", u)
	}
}

func (v *validator) resource(path string, r *Resource) {
	if r == nil {
		return
	}
	v.text(path, "displayText", r.DisplayText, MaxText, false)
	v.link(path, r.URL)
}

func (v *validator) lens() {
	l := v.l
	if l.Format != Format {
		p := v.c.Errorf("format", "format is %q; a walens lens file must say format: %s", l.Format, Format)
		if l.Format == "" {
			p.Message = "format is required; a walens lens file must say format: " + Format
		}
	}
	if !slugRE.MatchString(l.ID) {
		v.c.Errorf("id", "lens id %q must be 2-64 lowercase letters, digits and hyphens, starting and ending with a letter or digit", l.ID)
	}
	v.text("", "name", l.Name, MaxName, true)
	v.text("", "description", l.Description, MaxText, true)
	if l.GroupLabel != "" && utf8.RuneCountInString(l.GroupLabel) > 32 {
		v.c.Errorf("groupLabel", "groupLabel is longer than 32 characters")
	}
	if l.URL != "" {
		v.link("", l.URL)
	}

	phases, phaseIDs := v.catalogue("phases", len(l.Phases), func(i int) (string, string) { return l.Phases[i].ID, l.Phases[i].Name })
	dims, dimensionIDs := v.catalogue("dimensions", len(l.Dimensions), func(i int) (string, string) { return l.Dimensions[i].ID, l.Dimensions[i].Name })
	v.phaseIDs, v.dimensionIDs = phaseIDs, dimensionIDs

	switch {
	case len(l.Pillars) == 0:
		v.c.Errorf("pillars", "a lens needs at least one %s", l.GroupName())
	case len(l.Pillars) > MaxPillars:
		v.c.Errorf("pillars", "the lens has %d %ss; the WA Tool allows at most %d", len(l.Pillars), l.GroupName(), MaxPillars)
	}
	pillarIDs := map[string]int{}
	questionIDs := map[string]string{} // id or alias -> path of the question that owns it
	for pi := range l.Pillars {
		p := &l.Pillars[pi]
		path := diag.Index("pillars", pi)
		v.awsID(path, l.GroupName(), p.ID)
		if prev, dup := pillarIDs[p.ID]; dup && p.ID != "" {
			v.c.Errorf(diag.Key(path, "id"), "%s id %q is also used by pillars[%d]", l.GroupName(), p.ID, prev)
		}
		pillarIDs[p.ID] = pi
		v.text(path, "name", p.Name, MaxName, true)
		v.text(path, "description", p.Description, MaxText, false)
		if len(p.Questions) > MaxQuestionsPerPillar {
			v.c.Errorf(diag.Key(path, "questions"), "%s %q has %d questions; the WA Tool allows at most %d", l.GroupName(), p.ID, len(p.Questions), MaxQuestionsPerPillar)
		}
		for qi := range p.Questions {
			v.question(diag.Index(diag.Key(path, "questions"), qi), &p.Questions[qi], questionIDs, phases, dims)
		}
	}
}

// catalogue checks a list of phases or dimensions and returns the set and the list of their IDs.
func (v *validator) catalogue(field string, n int, get func(int) (id, name string)) (map[string]bool, []string) {
	ids := map[string]bool{}
	var list []string
	for i := 0; i < n; i++ {
		id, name := get(i)
		path := diag.Index(field, i)
		if !slugRE.MatchString(id) {
			v.c.Errorf(diag.Key(path, "id"), "id %q must be lowercase letters, digits and hyphens", id)
		}
		if ids[id] {
			v.c.Errorf(diag.Key(path, "id"), "id %q is listed twice", id)
		}
		ids[id] = true
		list = append(list, id)
		v.text(path, "name", name, MaxName, true)
	}
	return ids, list
}

func (v *validator) claim(seen map[string]string, path, kind, name string) {
	if name == "" {
		return
	}
	if prev, dup := seen[name]; dup {
		v.c.Errorf(path, "%s %q is already used by %s", kind, name, prev)
		return
	}
	seen[name] = diag.Parent(path)
}

func (v *validator) question(path string, q *Question, questionIDs map[string]string, phases, dims map[string]bool) {
	v.awsID(path, "question", q.ID)
	v.claim(questionIDs, diag.Key(path, "id"), "question id", q.ID)
	if q.Ref != "" && q.Ref != q.ID {
		v.claim(questionIDs, diag.Key(path, "ref"), "question ref", q.Ref)
	}
	for i, a := range q.Aliases {
		v.claim(questionIDs, diag.Index(diag.Key(path, "aliases"), i), "question alias", a)
	}
	v.text(path, "title", q.Title, MaxTitle, true)
	v.text(path, "description", q.Description, MaxText, true)
	for i, ph := range q.Phases {
		if !phases[ph] {
			v.c.Errorf(diag.Index(diag.Key(path, "phases"), i), "phase %q is not defined in the lens's phases", ph).Suggest(ph, v.phaseIDs)
		}
	}
	if q.HelpfulResource != nil {
		v.resource(diag.Key(path, "helpfulResource"), q.HelpfulResource)
	}

	switch {
	case len(q.Choices) == 0:
		v.c.Errorf(diag.Key(path, "choices"), "question %q has no choices", q.ID)
	case len(q.Choices) > MaxChoicesPerQuestion:
		v.c.Errorf(diag.Key(path, "choices"), "question %q has %d choices; the WA Tool allows at most %d", q.ID, len(q.Choices), MaxChoicesPerQuestion)
	}
	choiceIDs := map[string]string{}
	var ids []string
	for ci := range q.Choices {
		c := &q.Choices[ci]
		cp := diag.Index(diag.Key(path, "choices"), ci)
		v.awsID(cp, "choice", c.ID)
		v.claim(choiceIDs, diag.Key(cp, "id"), "choice id", c.ID)
		if c.Ref != "" && c.Ref != c.ID {
			v.claim(choiceIDs, diag.Key(cp, "ref"), "choice ref", c.Ref)
		}
		for i, a := range c.Aliases {
			v.claim(choiceIDs, diag.Index(diag.Key(cp, "aliases"), i), "choice alias", a)
		}
		ids = append(ids, c.ID)
		v.text(cp, "title", c.Title, MaxTitle, true)
		if c.Risk != "" && !slices.Contains(levels, c.Risk) {
			v.c.Errorf(diag.Key(cp, "risk"), "risk %q must be one of HIGH, MEDIUM, LOW or UNSTATED", c.Risk)
		}
		for i, d := range c.Dimensions {
			if !dims[d] {
				v.c.Errorf(diag.Index(diag.Key(cp, "dimensions"), i), "dimension %q is not defined in the lens's dimensions", d).Suggest(d, v.dimensionIDs)
			}
		}
		v.resource(diag.Key(cp, "helpfulResource"), c.HelpfulResource)
		v.resource(diag.Key(cp, "improvementPlan"), c.ImprovementPlan)
		if !c.IsNone() && (c.ImprovementPlan == nil || strings.TrimSpace(c.ImprovementPlan.DisplayText) == "") {
			v.c.Errorf(diag.Key(cp, "improvementPlan"), "choice %q needs an improvement plan (only a \"None of these\" choice, whose id ends in _no, may omit it)", c.ID)
		}
		if len(c.AdditionalResources) > MaxAdditionalResources {
			v.c.Errorf(diag.Key(cp, "additionalResources"), "%d additional resources; the WA Tool allows at most %d", len(c.AdditionalResources), MaxAdditionalResources)
		}
		for ai, ar := range c.AdditionalResources {
			ap := diag.Index(diag.Key(cp, "additionalResources"), ai)
			if ar.Type != "HELPFUL_RESOURCE" && ar.Type != "IMPROVEMENT_PLAN" {
				v.c.Errorf(diag.Key(ap, "type"), "type %q must be HELPFUL_RESOURCE or IMPROVEMENT_PLAN", ar.Type)
			}
			if len(ar.Content) > MaxAdditionalContent {
				v.c.Errorf(diag.Key(ap, "content"), "%d entries; the WA Tool allows at most %d", len(ar.Content), MaxAdditionalContent)
			}
			for ri := range ar.Content {
				v.resource(diag.Index(diag.Key(ap, "content"), ri), &ar.Content[ri])
			}
		}
	}
	v.rules(path, q, ids)
}

func (v *validator) rules(path string, q *Question, choiceIDs []string) {
	rp := diag.Key(path, "riskRules")
	switch {
	case len(q.RiskRules) == 0:
		v.c.Errorf(rp, "question %q has no risk rules; it needs at least a default rule", q.ID)
		return
	case len(q.RiskRules) > MaxRiskRules:
		v.c.Errorf(rp, "question %q has %d risk rules; the WA Tool allows at most %d", q.ID, len(q.RiskRules), MaxRiskRules)
	}
	defaultAt := -1
	for i := range q.RiskRules {
		r := &q.RiskRules[i]
		p := diag.Index(rp, i)
		if !slices.Contains(ruleRisk, r.Risk) {
			v.c.Errorf(diag.Key(p, "risk"), "risk %q must be NO_RISK, MEDIUM_RISK or HIGH_RISK", r.Risk).Suggest(string(r.Risk), []string{"NO_RISK", "MEDIUM_RISK", "HIGH_RISK"})
		}
		e, err := riskrule.Parse(r.Condition)
		if err != nil {
			v.c.Errorf(diag.Key(p, "condition"), "condition %q does not parse: %v", r.Condition, err)
			continue
		}
		r.expr = e
		if riskrule.IsDefault(e) {
			if defaultAt >= 0 {
				v.c.Errorf(diag.Key(p, "condition"), "a second default rule; rules[%d] is already the default", defaultAt)
			}
			defaultAt = i
			continue
		}
		if defaultAt >= 0 {
			v.c.Warnf(diag.Key(p, "condition"), "this rule comes after the default rule, which always matches, so it never applies")
		}
		for _, id := range riskrule.Idents(e) {
			if !slices.Contains(choiceIDs, id) {
				hint := diag.Closest(id, choiceIDs)
				pr := v.c.Errorf(diag.Key(p, "condition"), "condition names %q, which is not a choice of question %q", id, q.ID)
				if hint != "" {
					pr.Hint = fmt.Sprintf("did you mean %q?", hint)
				} else if c := q.Choice(id); c != nil {
					pr.Hint = fmt.Sprintf("conditions use choice ids; write %q", c.ID)
				}
			}
		}
	}
	if defaultAt < 0 {
		v.c.Errorf(rp, "question %q has no rule with condition \"default\"; the WA Tool requires one", q.ID)
	}
}
