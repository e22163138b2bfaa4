package guard

import (
	"sort"
	"time"
)

// AuditRecord is what walens keeps of one guardrail decision: which guardrail, what it did and why, and how
// much text it read, but never the text or the matched values, so the audit log does not become a second copy
// of the sensitive data the guardrail protects.
type AuditRecord struct {
	Time        time.Time      `json:"time"`
	GuardrailID string         `json:"guardrailId"`
	Version     string         `json:"version"`
	Source      Source         `json:"source"`
	Action      string         `json:"action"`
	Blocked     bool           `json:"blocked"`
	Findings    []AuditFinding `json:"findings,omitempty"`
	Characters  int            `json:"characters"`
	LatencyMS   int64          `json:"latencyMs"`
}

// AuditFinding counts the findings of one kind: the policy, the type (a PII type, a content filter, a topic's
// name, a regex's name, PROFANITY or CUSTOM_WORD) and the action taken.
type AuditFinding struct {
	Policy string `json:"policy"`
	Type   string `json:"type"`
	Action string `json:"action"`
	Count  int    `json:"count"`
}

// Audit makes the audit record of a response.
func (e *Engine) Audit(now time.Time, src Source, r *Response) AuditRecord {
	rec := AuditRecord{Time: now.UTC(), GuardrailID: e.ID(), Version: e.Version(), Source: src, Action: r.Action, Blocked: r.Blocked}
	if r.Coverage != nil && r.Coverage.TextCharacters != nil {
		rec.Characters = r.Coverage.TextCharacters.Guarded
	}
	counts := map[AuditFinding]int{}
	add := func(policy, typ, action string) { counts[AuditFinding{Policy: policy, Type: typ, Action: action}]++ }
	for _, a := range r.Assessments {
		if a.InvocationMetrics != nil {
			rec.LatencyMS = a.InvocationMetrics.GuardrailProcessingLatency
		}
		if p := a.ContentPolicy; p != nil {
			for _, f := range p.Filters {
				if f.Detected {
					add("contentPolicy", f.Type, f.Action)
				}
			}
		}
		if p := a.TopicPolicy; p != nil {
			for _, f := range p.Topics {
				if f.Detected {
					add("topicPolicy", f.Name, f.Action)
				}
			}
		}
		if p := a.WordPolicy; p != nil {
			for _, f := range p.CustomWords {
				add("wordPolicy", "CUSTOM_WORD", f.Action)
			}
			for _, f := range p.ManagedWordLists {
				add("wordPolicy", f.Type, f.Action)
			}
		}
		if p := a.SensitiveInformationPolicy; p != nil {
			for _, f := range p.PiiEntities {
				add("sensitiveInformationPolicy", f.Type, f.Action)
			}
			for _, f := range p.Regexes {
				add("sensitiveInformationPolicy", f.Name, f.Action)
			}
		}
		if p := a.ContextualGroundingPolicy; p != nil {
			for _, f := range p.Filters {
				if f.Detected {
					add("contextualGroundingPolicy", f.Type, f.Action)
				}
			}
		}
	}
	for k, n := range counts {
		k.Count = n
		rec.Findings = append(rec.Findings, k)
	}
	sort.Slice(rec.Findings, func(i, j int) bool {
		a, b := rec.Findings[i], rec.Findings[j]
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Action < b.Action
	})
	return rec
}

// ID is the guardrail's identifier: guardrailId, or the name when the policy has none.
func (e *Engine) ID() string {
	if e.policy.GuardrailID != "" {
		return e.policy.GuardrailID
	}
	return e.policy.Name
}

// Version is the policy's version, DRAFT when it has none.
func (e *Engine) Version() string {
	if e.policy.Version != "" {
		return e.policy.Version
	}
	return "DRAFT"
}
