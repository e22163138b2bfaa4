// Package lens holds the model of a Well-Architected lens (pillars or focus areas, questions, best-practice choices
// and risk rules), loads it from the walens YAML format or the AWS Well-Architected Tool custom-lens JSON format,
// validates it, and exports it back to custom-lens JSON.
package lens

import (
	"fmt"
	"slices"
	"strings"

	"github.com/walens/walens/internal/riskrule"
)

// Format is the value of the format field in a walens lens file.
const Format = "walens-lens/v1"

// AWSSchemaVersion is the only schemaVersion the AWS Well-Architected Tool accepts for custom lenses.
const AWSSchemaVersion = "2021-11-01"

// Lens is a set of questions grouped by pillar (or, for the Responsible AI lens, by focus area).
type Lens struct {
	Format      string      `yaml:"format" json:"format"`
	ID          string      `yaml:"id" json:"id"`
	Name        string      `yaml:"name" json:"name"`
	Version     string      `yaml:"version,omitempty" json:"version,omitempty"`
	WAToolAlias string      `yaml:"watoolAlias,omitempty" json:"watoolAlias,omitempty"`
	URL         string      `yaml:"url,omitempty" json:"url,omitempty"`
	GroupLabel  string      `yaml:"groupLabel,omitempty" json:"groupLabel,omitempty"`
	Description string      `yaml:"description" json:"description"`
	Phases      []Phase     `yaml:"phases,omitempty" json:"phases,omitempty"`
	Dimensions  []Dimension `yaml:"dimensions,omitempty" json:"dimensions,omitempty"`
	Pillars     []Pillar    `yaml:"pillars" json:"pillars"`

	// Source says where the lens came from: "builtin" or a file path. It is not part of the file.
	Source string `yaml:"-" json:"-"`
}

// Phase is a lifecycle stage (ML: business goal ... monitoring; GenAI: scoping ... continuous improvement).
type Phase struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Dimension is a cross-cutting concern that best practices address, such as the responsible-AI dimensions.
type Dimension struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Pillar groups questions. For lenses organised by focus area, each focus area is a pillar.
type Pillar struct {
	ID          string     `yaml:"id" json:"id"`
	Name        string     `yaml:"name" json:"name"`
	Description string     `yaml:"description,omitempty" json:"description,omitempty"`
	Questions   []Question `yaml:"questions" json:"questions"`
}

// Question is one review question with its choices and the rules that turn the selected choices into a risk.
type Question struct {
	ID              string     `yaml:"id" json:"id"`
	Ref             string     `yaml:"ref,omitempty" json:"ref,omitempty"` // the AWS question ID, e.g. GENSEC01
	Aliases         []string   `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Title           string     `yaml:"title" json:"title"`
	Description     string     `yaml:"description" json:"description"`
	Phases          []string   `yaml:"phases,omitempty" json:"phases,omitempty"`
	HelpfulResource *Resource  `yaml:"helpfulResource,omitempty" json:"helpfulResource,omitempty"`
	Choices         []Choice   `yaml:"choices" json:"choices"`
	RiskRules       []RiskRule `yaml:"riskRules" json:"riskRules"`
}

// Choice is one answer option: a best practice, or the "None of these" option.
type Choice struct {
	ID                  string               `yaml:"id" json:"id"`
	Ref                 string               `yaml:"ref,omitempty" json:"ref,omitempty"` // the AWS best-practice ID, e.g. GENSEC01-BP02
	Aliases             []string             `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Title               string               `yaml:"title" json:"title"`
	Risk                Level                `yaml:"risk,omitempty" json:"risk,omitempty"`
	Dimensions          []string             `yaml:"dimensions,omitempty" json:"dimensions,omitempty"`
	HelpfulResource     *Resource            `yaml:"helpfulResource,omitempty" json:"helpfulResource,omitempty"`
	ImprovementPlan     *Resource            `yaml:"improvementPlan,omitempty" json:"improvementPlan,omitempty"`
	AdditionalResources []AdditionalResource `yaml:"additionalResources,omitempty" json:"additionalResources,omitempty"`
}

// Resource is a text with an optional link, as in the custom-lens format.
type Resource struct {
	DisplayText string `yaml:"displayText" json:"displayText"`
	URL         string `yaml:"url,omitempty" json:"url,omitempty"`
}

// AdditionalResource lists extra links of one kind for a choice.
type AdditionalResource struct {
	Type    string     `yaml:"type" json:"type"` // HELPFUL_RESOURCE or IMPROVEMENT_PLAN
	Content []Resource `yaml:"content" json:"content"`
}

// RiskRule maps a condition over choice IDs to a risk. Rules are tried in order; the first that matches wins.
type RiskRule struct {
	Condition string   `yaml:"condition" json:"condition"`
	Risk      RuleRisk `yaml:"risk" json:"risk"`

	expr riskrule.Expr // set by Index; nil until the lens is validated
}

// RuleRisk is the risk a rule assigns, spelled as in the custom-lens format.
type RuleRisk string

const (
	RuleHigh   RuleRisk = "HIGH_RISK"
	RuleMedium RuleRisk = "MEDIUM_RISK"
	RuleNone   RuleRisk = "NO_RISK"
)

// Risk is the risk of an answered (or unanswered) question, spelled as in the WA Tool's API.
type Risk string

const (
	RiskUnanswered    Risk = "UNANSWERED"
	RiskHigh          Risk = "HIGH"
	RiskMedium        Risk = "MEDIUM"
	RiskNone          Risk = "NONE"
	RiskNotApplicable Risk = "NOT_APPLICABLE"
)

// Risks lists the question risks in the order reports show them.
var Risks = []Risk{RiskHigh, RiskMedium, RiskNone, RiskNotApplicable, RiskUnanswered}

// Severity orders risks for comparisons: a larger number is worse. Unanswered and not applicable rank as no risk.
func (r Risk) Severity() int {
	switch r {
	case RiskHigh:
		return 2
	case RiskMedium:
		return 1
	default:
		return 0
	}
}

// Risk converts a rule's risk to a question risk.
func (r RuleRisk) Risk() Risk {
	switch r {
	case RuleHigh:
		return RiskHigh
	case RuleMedium:
		return RiskMedium
	default:
		return RiskNone
	}
}

// Level is how much risk a workload carries when it does not follow a best practice, as each AWS lens states it.
type Level string

const (
	LevelHigh     Level = "HIGH"
	LevelMedium   Level = "MEDIUM"
	LevelLow      Level = "LOW"
	LevelUnstated Level = "UNSTATED" // the AWS page gives no level; walens rules treat it as MEDIUM
)

// Rank orders levels for sorting: HIGH first, LOW last.
func (l Level) Rank() int {
	switch l {
	case LevelHigh:
		return 0
	case LevelMedium, LevelUnstated, "":
		return 1
	default:
		return 2
	}
}

// IsNone reports whether the choice is the "None of these" option, which by the custom-lens convention has an ID
// ending in "_no".
func (c *Choice) IsNone() bool { return strings.HasSuffix(c.ID, "_no") }

// Guidance is the choice's helpful text, or "".
func (c *Choice) Guidance() string {
	if c.HelpfulResource == nil {
		return ""
	}
	return c.HelpfulResource.DisplayText
}

// Action is the choice's improvement-plan text, or "".
func (c *Choice) Action() string {
	if c.ImprovementPlan == nil {
		return ""
	}
	return c.ImprovementPlan.DisplayText
}

// Link is the best URL for reading more about the choice.
func (c *Choice) Link() string {
	switch {
	case c.ImprovementPlan != nil && c.ImprovementPlan.URL != "":
		return c.ImprovementPlan.URL
	case c.HelpfulResource != nil:
		return c.HelpfulResource.URL
	}
	return ""
}

// Label is the ID a person knows the choice by: the AWS best-practice ID when there is one.
func (c *Choice) Label() string {
	if c.Ref != "" {
		return c.Ref
	}
	return c.ID
}

// Label is the ID a person knows the question by: the AWS question ID when there is one.
func (q *Question) Label() string {
	if q.Ref != "" {
		return q.Ref
	}
	return q.ID
}

// Choice returns the choice with the given ID or alias, or nil.
func (q *Question) Choice(id string) *Choice {
	for i := range q.Choices {
		c := &q.Choices[i]
		if c.ID == id || c.Ref == id || slices.Contains(c.Aliases, id) {
			return c
		}
	}
	for i := range q.Choices {
		if strings.EqualFold(q.Choices[i].ID, id) {
			return &q.Choices[i]
		}
	}
	return nil
}

// ChoiceNames lists every ID and alias a choice of q can be named by, for suggestions.
func (q *Question) ChoiceNames() []string {
	var out []string
	for _, c := range q.Choices {
		out = append(out, c.ID)
		if c.Ref != "" {
			out = append(out, c.Ref)
		}
		out = append(out, c.Aliases...)
	}
	return out
}

// NoneChoice returns the "None of these" choice, or nil when the question has none.
func (q *Question) NoneChoice() *Choice {
	for i := range q.Choices {
		if q.Choices[i].IsNone() {
			return &q.Choices[i]
		}
	}
	return nil
}

// Evaluate returns the risk of the question given which choices count as done. The first rule whose condition
// holds decides. A question whose rules never match (possible only in lenses that failed validation) is HIGH,
// the conservative reading.
func (q *Question) Evaluate(done func(choiceID string) bool) Risk {
	for i := range q.RiskRules {
		r := &q.RiskRules[i]
		e := r.expr
		if e == nil {
			var err error
			if e, err = riskrule.Parse(r.Condition); err != nil {
				continue
			}
		}
		if e.Eval(done) {
			return r.Risk.Risk()
		}
	}
	return RiskHigh
}

// Expr returns the parsed condition of the rule, parsing it if Index has not.
func (r *RiskRule) Expr() (riskrule.Expr, error) {
	if r.expr != nil {
		return r.expr, nil
	}
	return riskrule.Parse(r.Condition)
}

// QuestionRef locates a question inside a lens.
type QuestionRef struct {
	Pillar   *Pillar
	Question *Question
}

// Question returns the question with the given ID, AWS ID or alias, or nil.
func (l *Lens) Question(id string) QuestionRef {
	var fold QuestionRef
	for pi := range l.Pillars {
		p := &l.Pillars[pi]
		for qi := range p.Questions {
			q := &p.Questions[qi]
			if q.ID == id || q.Ref == id || slices.Contains(q.Aliases, id) {
				return QuestionRef{p, q}
			}
			if fold.Question == nil && strings.EqualFold(q.ID, id) {
				fold = QuestionRef{p, q}
			}
		}
	}
	return fold
}

// QuestionNames lists every ID and alias a question can be named by, for suggestions.
func (l *Lens) QuestionNames() []string {
	var out []string
	l.EachQuestion(func(_ *Pillar, q *Question) {
		out = append(out, q.ID)
		if q.Ref != "" {
			out = append(out, q.Ref)
		}
		out = append(out, q.Aliases...)
	})
	return out
}

// EachQuestion calls fn for every question in lens order.
func (l *Lens) EachQuestion(fn func(p *Pillar, q *Question)) {
	for pi := range l.Pillars {
		p := &l.Pillars[pi]
		for qi := range p.Questions {
			fn(p, &p.Questions[qi])
		}
	}
}

// Counts returns the number of questions and of best-practice choices (not counting "None of these").
func (l *Lens) Counts() (questions, practices int) {
	l.EachQuestion(func(_ *Pillar, q *Question) {
		questions++
		for _, c := range q.Choices {
			if !c.IsNone() {
				practices++
			}
		}
	})
	return questions, practices
}

// Pillar returns the pillar with the given ID, or nil.
func (l *Lens) Pillar(id string) *Pillar {
	for i := range l.Pillars {
		if l.Pillars[i].ID == id {
			return &l.Pillars[i]
		}
	}
	return nil
}

// Phase returns the phase with the given ID, or nil.
func (l *Lens) Phase(id string) *Phase {
	for i := range l.Phases {
		if l.Phases[i].ID == id {
			return &l.Phases[i]
		}
	}
	return nil
}

// Dimension returns the dimension with the given ID, or nil.
func (l *Lens) Dimension(id string) *Dimension {
	for i := range l.Dimensions {
		if l.Dimensions[i].ID == id {
			return &l.Dimensions[i]
		}
	}
	return nil
}

// GroupName is what the lens calls its top-level groups: "pillar" unless the lens says otherwise.
func (l *Lens) GroupName() string {
	if l.GroupLabel != "" {
		return l.GroupLabel
	}
	return "pillar"
}

func (l *Lens) String() string { return fmt.Sprintf("%s (%s)", l.ID, l.Name) }
