package review

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/walens/walens/internal/lens"
)

// TemplateOptions fill in the workload template.
type TemplateOptions struct {
	Name        string
	Description string
	Environment string
	Owner       string
	Regions     []string
	Lenses      []*lens.Lens
	LensRefs    []string // how the workload names each lens: an ID, or a file path as the user gave it
	Builtins    []string // IDs of the built-in lenses, listed in a comment
}

var workloadTemplate = template.Must(template.New("walens.yaml").Funcs(template.FuncMap{
	"q":    quote,
	"list": func(xs []string) string { return "[" + strings.Join(xs, ", ") + "]" },
}).Parse(`# walens workload file: a Well-Architected review kept as code.
# Reference: docs/workload-file.md. Print the risk summary with: walens review {{.Dir}}
format: walens-workload/v1

workload:
  # A short name, 3-100 characters.
  name: {{q .Name}}
  # What the workload does and for whom (at most 250 characters).
  description: {{q .Description}}
  # PRODUCTION or PREPRODUCTION.
  environment: {{.Environment}}
  # The AWS Regions the workload runs in.
  regions: {{list .Regions}}
  # Who owns this review: a team or a person.
  owner: {{q .Owner}}
  # Lenses to review against: built-in IDs ({{.BuiltinList}})
  # or paths to custom lens files (walens YAML, or WA Tool custom-lens JSON), relative to this file.
  lenses: {{list .LensIDs}}
  # Pillars (or focus areas) in order of importance. Improvement plans put them first.
  # This lens set has: {{.PillarList}}
  pillarPriorities: {{list .Priorities}}

# Answers, per lens and question. Fill them in with: walens review answer {{.Dir}}
# or by hand, for example:
#
#   answers:
#     {{.ExampleLens}}:
#       {{.ExampleQuestion}}:
#         # Practices in place: choice IDs, AWS best-practice IDs or aliases.
#         selected: [{{.ExampleChoice}}]
#         # A status per choice, when one needs a reason or notes.
#         choices:
#           {{.ExampleChoice2}}: {status: NOT_APPLICABLE, reason: ARCHITECTURE_CONSTRAINTS, notes: "why"}
#         notes: "What the team said, and where the evidence is."
#       {{.ExampleQuestion2}}:
#         # The whole question does not apply to this workload.
#         applicable: false
#         reason: OUT_OF_SCOPE
answers: {}
`))

func quote(s string) string {
	if s == "" {
		return `""`
	}
	return fmt.Sprintf("%q", s)
}

// Template renders a commented workload file for the given options.
func Template(dir string, o TemplateOptions) ([]byte, error) {
	if len(o.Lenses) == 0 {
		return nil, fmt.Errorf("workload template: choose at least one lens")
	}
	if o.Environment == "" {
		o.Environment = "PREPRODUCTION"
	}
	data := struct {
		TemplateOptions
		Dir, BuiltinList, PillarList                                                  string
		LensIDs, Priorities                                                           []string
		ExampleLens, ExampleQuestion, ExampleChoice, ExampleChoice2, ExampleQuestion2 string
	}{TemplateOptions: o, Dir: dir, BuiltinList: strings.Join(o.Builtins, ", ")}
	if data.Regions == nil {
		data.Regions = []string{}
	}
	var pillars []string
	seen := map[string]bool{}
	for i, l := range o.Lenses {
		ref := l.ID
		if i < len(o.LensRefs) && lens.IsPath(o.LensRefs[i]) {
			ref = o.LensRefs[i]
		}
		data.LensIDs = append(data.LensIDs, ref)
		for _, p := range l.Pillars {
			if !seen[p.ID] {
				seen[p.ID] = true
				pillars = append(pillars, p.ID)
			}
		}
	}
	data.PillarList = strings.Join(pillars, ", ")
	data.Priorities = []string{}
	for _, p := range []string{"security", "reliability"} {
		if seen[p] {
			data.Priorities = append(data.Priorities, p)
		}
	}
	l := o.Lenses[0]
	data.ExampleLens = l.ID
	var qs []*lens.Question
	l.EachQuestion(func(_ *lens.Pillar, q *lens.Question) { qs = append(qs, q) })
	data.ExampleQuestion, data.ExampleChoice, data.ExampleChoice2, data.ExampleQuestion2 = "q1", "q1_a", "q1_b", "q2"
	if len(qs) > 0 && len(qs[0].Choices) > 0 {
		q := qs[0]
		data.ExampleQuestion = q.ID
		data.ExampleChoice = q.Choices[0].ID
		data.ExampleChoice2 = q.Choices[min(1, len(q.Choices)-1)].ID
	}
	if len(qs) > 1 {
		data.ExampleQuestion2 = qs[len(qs)-1].ID
	}
	var buf bytes.Buffer
	if err := workloadTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("workload template: %w", err)
	}
	return buf.Bytes(), nil
}
