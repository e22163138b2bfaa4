package lens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/walens/walens/internal/diag"
)

// The aws* types mirror the custom-lens JSON format field for field, in the order the WA Tool documents them, so
// that export writes exactly that format and import rejects anything else.
type awsLens struct {
	SchemaVersion string      `json:"schemaVersion"`
	Name          string      `json:"name"`
	Description   string      `json:"description"`
	Pillars       []awsPillar `json:"pillars"`
}

type awsPillar struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Questions []awsQuestion `json:"questions"`
}

type awsQuestion struct {
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	Description     string      `json:"description"`
	HelpfulResource *Resource   `json:"helpfulResource,omitempty"`
	Choices         []awsChoice `json:"choices"`
	RiskRules       []awsRule   `json:"riskRules"`
}

type awsChoice struct {
	ID                  string               `json:"id"`
	Title               string               `json:"title"`
	HelpfulResource     *Resource            `json:"helpfulResource,omitempty"`
	ImprovementPlan     *Resource            `json:"improvementPlan,omitempty"`
	AdditionalResources []AdditionalResource `json:"additionalResources,omitempty"`
}

type awsRule struct {
	Condition string   `json:"condition"`
	Risk      RuleRisk `json:"risk"`
}

func parseAWS(data []byte, name string, opts Options) (*Lens, diag.Positions, error) {
	pos := diag.JSONPositions(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a awsLens
	if err := dec.Decode(&a); err != nil {
		return nil, pos, diag.List{awsDecodeProblem(data, err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, pos, diag.List{{Message: "unexpected data after the lens object"}}
	}
	var c diag.Collector
	if a.SchemaVersion != AWSSchemaVersion {
		c.Errorf("schemaVersion", "schemaVersion is %q; the WA Tool accepts only %q", a.SchemaVersion, AWSSchemaVersion)
	}
	if len(c.List) > 0 {
		return nil, pos, c.List
	}
	id := opts.ID
	if id == "" {
		id = SlugFromName(name)
	}
	l := &Lens{Format: Format, ID: id, Name: a.Name, Description: a.Description, Pillars: make([]Pillar, len(a.Pillars))}
	for pi, ap := range a.Pillars {
		p := Pillar{ID: ap.ID, Name: ap.Name, Questions: make([]Question, len(ap.Questions))}
		for qi, aq := range ap.Questions {
			q := Question{ID: aq.ID, Title: aq.Title, Description: aq.Description, HelpfulResource: aq.HelpfulResource,
				Choices: make([]Choice, len(aq.Choices)), RiskRules: make([]RiskRule, len(aq.RiskRules))}
			for ci, ac := range aq.Choices {
				q.Choices[ci] = Choice{ID: ac.ID, Title: ac.Title, HelpfulResource: ac.HelpfulResource,
					ImprovementPlan: ac.ImprovementPlan, AdditionalResources: ac.AdditionalResources}
			}
			for ri, ar := range aq.RiskRules {
				q.RiskRules[ri] = RiskRule{Condition: ar.Condition, Risk: ar.Risk}
			}
			p.Questions[qi] = q
		}
		l.Pillars[pi] = p
	}
	return l, pos, nil
}

func awsDecodeProblem(data []byte, err error) diag.Problem {
	p := diag.JSONError(data, err)
	// DisallowUnknownFields reports `json: unknown field "x"` without an offset; name the field plainly.
	const prefix = "json: unknown field "
	if msg := err.Error(); len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		field := msg[len(prefix):]
		p.Message = fmt.Sprintf("unknown field %s; the custom-lens format has no such field", field)
	}
	return p
}

// Export writes the lens as AWS Well-Architected Tool custom-lens JSON. walens-only fields (IDs of the AWS best
// practices, risk levels, phases, dimensions, aliases) have no place in that format and are left out. It fails
// when the lens breaks a WA Tool limit, including the 500 KB size limit.
func Export(l *Lens) ([]byte, error) {
	if err := l.Validate().Err(); err != nil {
		return nil, fmt.Errorf("export lens %s: %w", l.ID, err)
	}
	a := awsLens{SchemaVersion: AWSSchemaVersion, Name: l.Name, Description: l.Description, Pillars: make([]awsPillar, len(l.Pillars))}
	for pi, p := range l.Pillars {
		ap := awsPillar{ID: p.ID, Name: p.Name, Questions: make([]awsQuestion, len(p.Questions))}
		for qi, q := range p.Questions {
			aq := awsQuestion{ID: q.ID, Title: q.Title, Description: q.Description, HelpfulResource: q.HelpfulResource,
				Choices: make([]awsChoice, len(q.Choices)), RiskRules: make([]awsRule, len(q.RiskRules))}
			for ci, c := range q.Choices {
				aq.Choices[ci] = awsChoice{ID: c.ID, Title: c.Title, HelpfulResource: c.HelpfulResource,
					ImprovementPlan: c.ImprovementPlan, AdditionalResources: c.AdditionalResources}
			}
			for ri, r := range q.RiskRules {
				aq.RiskRules[ri] = awsRule{Condition: r.Condition, Risk: r.Risk}
			}
			ap.Questions[qi] = aq
		}
		a.Pillars[pi] = ap
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("export lens %s: %w", l.ID, err)
	}
	if buf.Len() > MaxExportBytes {
		return nil, fmt.Errorf("export lens %s: the custom-lens JSON is %d bytes; the WA Tool accepts at most %d", l.ID, buf.Len(), MaxExportBytes)
	}
	return buf.Bytes(), nil
}
