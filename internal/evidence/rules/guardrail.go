package rules

import (
	"fmt"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

const guardrail = "aws_bedrock_guardrail"

// harmfulCategories are the content filter types other than prompt attacks.
var harmfulCategories = []string{"HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"}

func guardrailRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-BR-003",
			Title:    "Bedrock guardrails block prompt attacks at HIGH strength",
			Severity: evidence.SeverityHigh,
			Description: "Prompt injection and jailbreaks are the most common attack on generative AI applications. The " +
				"guardrail's prompt-attack filter at HIGH catches the largest share; lower strengths let more through.",
			Remediation: "In content_policy_config, add filters_config { type = \"PROMPT_ATTACK\", input_strength = \"HIGH\", " +
				"output_strength = \"NONE\" } (ContentPolicyConfig.FiltersConfig). Tag untrusted input so the filter " +
				"evaluates it.",
			Types:     []string{guardrail},
			Practices: []evidence.Practice{p("GENSEC04-BP02"), s("RAISP03-BP02"), p("AGENTSEC08-BP01")},
			Equivalents: evidence.Equivalents{
				Prowler: []string{"bedrock_guardrail_prompt_attack_filter_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				f, status := filter(r, "PROMPT_ATTACK")
				switch status {
				case evidence.Undetermined:
					c.Unknown(r, r.Attr("content_policy_config"), "the content filters are not known statically: %s", filterWhy(r))
				case evidence.Fail:
					c.Fail(r, r.Attr("content_policy_config").Or(nil), "the guardrail has no PROMPT_ATTACK filter")
				default:
					in := filterLeg(f, "input")
					switch {
					case in.unknown != nil:
						c.Unknown(r, in.unknown, "the prompt-attack filter on input is not known statically: %s", in.unknown.Reason())
					case in.strength == "HIGH":
						c.Pass(r, in.at, "prompt attacks are filtered at HIGH strength")
					default:
						c.Fail(r, in.at, "the prompt-attack filter on input is %s; it should block at HIGH", in.describe())
					}
				}
			},
		},
		{
			ID:       "WL-BR-004",
			Title:    "Bedrock guardrails block or mask sensitive information",
			Severity: evidence.SeverityHigh,
			Description: "Without a sensitive-information policy, personal data typed by users or retrieved from documents " +
				"passes to the model and back to users unchanged.",
			Remediation: "Add sensitive_information_policy_config (SensitiveInformationPolicyConfig) with pii_entities_config " +
				"for the PII types the workload handles (ANONYMIZE or BLOCK) and regexes_config for internal identifiers.",
			Types:     []string{guardrail},
			Practices: []evidence.Practice{s("RAISP03-BP01"), p("AGENTSEC08-BP02"), p("GENSEC02-BP01"), p("MLSEC03-BP03")},
			Equivalents: evidence.Equivalents{
				Prowler: []string{"bedrock_guardrail_sensitive_information_filter_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				pol := r.Attr("sensitive_information_policy_config")
				if pol.IsUnknown() {
					c.Unknown(r, pol, "the sensitive-information policy is not known statically: %s", pol.Reason())
					return
				}
				// An entity or pattern counts when it blocks or masks in at least one direction; one whose action is
				// NONE (or whose evaluation is disabled both ways) only reports detections in the trace.
				n, detectOnly := 0, 0
				var unknown *evidence.Value
				for _, key := range []string{"pii_entities_config", "regexes_config"} {
					for _, e := range pol.Get(key).Items() {
						if e.IsUnknown() {
							c.Unknown(r, e, "the sensitive-information policy is not known statically: %s", e.Reason())
							return
						}
						acts, u := sensitiveActs(e)
						switch {
						case acts:
							n++
						case u != nil:
							if unknown == nil {
								unknown = u
							}
						default:
							detectOnly++
						}
					}
				}
				switch {
				case n > 0:
					c.Pass(r, pol, "the guardrail blocks or masks %d sensitive-information types or patterns", n)
				case unknown != nil:
					c.Unknown(r, unknown, "the sensitive-information actions are not known statically: %s", unknown.Reason())
				case detectOnly > 0:
					c.Fail(r, pol, "the sensitive-information policy only detects: none of its %d entities or patterns blocks or masks (action NONE or evaluation disabled)", detectOnly)
				default:
					c.Fail(r, pol.Or(nil), "the guardrail has no sensitive-information (PII) policy")
				}
			},
		},
		{
			ID:       "WL-BR-005",
			Title:    "Bedrock guardrails check answers for grounding and relevance",
			Severity: evidence.SeverityMedium,
			Description: "Contextual grounding checks compare a model's answer with the retrieved sources and the question, " +
				"and block answers that are unsupported or off-topic: the guardrail against hallucination in RAG " +
				"applications.",
			Remediation: "Add contextual_grounding_policy_config with filters_config of type GROUNDING and RELEVANCE, each with " +
				"a threshold above 0 (0.7 is a common start), and pass the grounding source with each request.",
			Types:     []string{guardrail},
			Practices: []evidence.Practice{s("RAISP03-BP04"), p("AGENTREL05-BP03")},
			Equivalents: evidence.Equivalents{
				Prowler: []string{"bedrock_guardrail_contextual_grounding_filter_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				pol := r.Attr("contextual_grounding_policy_config")
				if pol.IsUnknown() {
					c.Unknown(r, pol, "the contextual grounding policy is not known statically: %s", pol.Reason())
					return
				}
				have := map[string]float64{}
				for _, f := range pol.Get("filters_config").Items() {
					if f.IsUnknown() {
						c.Unknown(r, f, "a grounding filter is not known statically: %s", f.Reason())
						return
					}
					th := f.Get("threshold")
					if th.IsUnknown() {
						c.Unknown(r, th, "a grounding threshold is not known statically: %s", th.Reason())
						return
					}
					// A filter that is disabled, or set to detect only (action NONE), checks nothing.
					if off, u := groundingOff(f); u != nil {
						c.Unknown(r, u, "whether a grounding filter acts is not known statically: %s", u.Reason())
						return
					} else if off {
						continue
					}
					n, _ := th.Num()
					have[strings.ToUpper(f.Get("type").Str())] = n
				}
				var missing []string
				for _, t := range []string{"GROUNDING", "RELEVANCE"} {
					if have[t] <= 0 {
						missing = append(missing, t)
					}
				}
				if len(missing) > 0 {
					c.Fail(r, pol.Or(nil), "the guardrail does not check %s", strings.Join(missing, " or "))
					return
				}
				c.Pass(r, pol, "answers are checked for grounding (%.2f) and relevance (%.2f)", have["GROUNDING"], have["RELEVANCE"])
			},
		},
		{
			ID:       "WL-BR-006",
			Title:    "Bedrock guardrails filter harmful content at MEDIUM strength or more, both ways",
			Severity: evidence.SeverityMedium,
			Description: "Hate, insults, sexual content, violence and misconduct filters catch harmful requests and harmful " +
				"answers. A category left out, or set to NONE or LOW in either direction, lets that content through.",
			Remediation: "In content_policy_config, add filters_config for HATE, INSULTS, SEXUAL, VIOLENCE and MISCONDUCT with " +
				"input_strength and output_strength of MEDIUM or HIGH.",
			Types:     []string{guardrail},
			Practices: []evidence.Practice{s("RAISP03-BP03"), p("GENSEC02-BP01")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				var weak []string
				for _, cat := range harmfulCategories {
					f, status := filter(r, cat)
					switch status {
					case evidence.Undetermined:
						c.Unknown(r, r.Attr("content_policy_config"), "the content filters are not known statically: %s", filterWhy(r))
						return
					case evidence.Fail:
						weak = append(weak, cat+" (missing)")
						continue
					}
					for _, dir := range []string{"input", "output"} {
						l := filterLeg(f, dir)
						if l.unknown != nil {
							c.Unknown(r, l.unknown, "the %s filter on %s is not known statically: %s", cat, dir, l.unknown.Reason())
							return
						}
						if strengthRank(l.strength) < strengthRank("MEDIUM") {
							weak = append(weak, fmt.Sprintf("%s %s %s", cat, dir, l.describe()))
						}
					}
				}
				if len(weak) > 0 {
					c.Fail(r, r.Attr("content_policy_config").Or(nil), "weak or missing content filters: %s", strings.Join(weak, ", "))
					return
				}
				c.Pass(r, r.Attr("content_policy_config"), "all five harmful-content categories are filtered at MEDIUM or more both ways")
			},
		},
		{
			ID:       "WL-BR-007",
			Title:    "Bedrock guardrails are encrypted with a customer managed KMS key",
			Severity: evidence.SeverityLow,
			Description: "A guardrail's configuration includes denied topics, word lists and regular expressions that can " +
				"reveal what the organisation considers sensitive.",
			Remediation: "Set kms_key_arn (KmsKeyArn) on the guardrail.",
			Types:       []string{guardrail},
			Practices:   []evidence.Practice{p("MLSEC02-BP01")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "guardrail encryption", "kms_key_arn")
			},
		},
	}
}

// filter finds the content filter of a type in a guardrail. It returns Fail when there is none, and Undetermined
// when some filters cannot be read (a dynamic block over an unknown list, say), since the missing one may be there.
func filter(r *evidence.Resource, typ string) (*evidence.Value, evidence.Status) {
	pol := r.Attr("content_policy_config")
	if pol.IsUnknown() {
		return nil, evidence.Undetermined
	}
	unknown := false
	for _, f := range pol.Get("filters_config").Items() {
		t := f.Get("type")
		if f.IsUnknown() || t.IsUnknown() {
			unknown = true
			continue
		}
		if strings.EqualFold(t.Str(), typ) {
			return f, evidence.Pass
		}
	}
	if unknown {
		return nil, evidence.Undetermined
	}
	return nil, evidence.Fail
}

// leg is how a content filter treats one direction, input or output.
type leg struct {
	at       *evidence.Value // where to report: the strength, or the setting that overrides it
	raw      string          // the strength as written
	strength string          // the effective strength: NONE when the filter is disabled or only detects
	why      string          // why the effective strength differs from the written one
	unknown  *evidence.Value // set when a value that decides the outcome is not known statically
}

// filterLeg reads one direction of a content filter. Besides the strength, the guardrail API can disable a filter
// for a direction (input_enabled = false) or put it in detect mode (input_action = "NONE"), where it only reports
// what it found in the trace: either way nothing is blocked, whatever the strength says.
func filterLeg(f *evidence.Value, dir string) leg {
	st := f.Get(dir + "_strength")
	l := leg{at: st.Or(f), raw: strings.ToUpper(st.Str()), strength: strings.ToUpper(st.Str())}
	if st.IsUnknown() {
		l.unknown = st
		return l
	}
	en := f.Get(dir + "_enabled")
	if en.IsUnknown() {
		l.unknown = en
		return l
	}
	if b, ok := en.Bool(); ok && !b {
		l.at, l.strength, l.why = en, "NONE", dir+"_enabled is false"
		return l
	}
	act := f.Get(dir + "_action")
	if act.IsUnknown() {
		l.unknown = act
		return l
	}
	if strings.EqualFold(act.Str(), "NONE") {
		l.at, l.strength, l.why = act, "NONE", dir+"_action is NONE (detect only)"
	}
	return l
}

// describe says what the leg does, for messages: "MEDIUM", "not set", "HIGH, but input_action is NONE (detect only)".
func (l leg) describe() string {
	s := l.raw
	if s == "" {
		s = "not set"
	}
	if l.why != "" {
		return s + ", but " + l.why
	}
	return s
}

// sensitiveActs reports whether a PII entity or regex of a guardrail blocks or masks what it finds in at least one
// direction. action applies to both directions unless input_action or output_action overrides it, and
// input_enabled or output_enabled = false turns a direction off. The second result is a value that decides the
// outcome but is not known statically.
func sensitiveActs(e *evidence.Value) (bool, *evidence.Value) {
	var unknown *evidence.Value
	for _, dir := range []string{"input", "output"} {
		en := e.Get(dir + "_enabled")
		if en.IsUnknown() {
			unknown = en
			continue
		}
		if b, ok := en.Bool(); ok && !b {
			continue
		}
		act := e.Get(dir + "_action")
		if act.IsNull() {
			act = e.Get("action")
		}
		if act.IsUnknown() {
			unknown = act
			continue
		}
		switch strings.ToUpper(act.Str()) {
		case "BLOCK", "ANONYMIZE":
			return true, nil
		}
	}
	return false, unknown
}

// groundingOff reports whether a contextual grounding filter is disabled (enabled = false) or only detects
// (action = "NONE").
func groundingOff(f *evidence.Value) (bool, *evidence.Value) {
	en, act := f.Get("enabled"), f.Get("action")
	switch {
	case en.IsUnknown():
		return false, en
	case act.IsUnknown():
		return false, act
	}
	if b, ok := en.Bool(); ok && !b {
		return true, nil
	}
	return strings.EqualFold(act.Str(), "NONE"), nil
}

// filterWhy explains why a guardrail's filters are unknown.
func filterWhy(r *evidence.Resource) string {
	pol := r.Attr("content_policy_config")
	if pol.IsUnknown() {
		return pol.Reason()
	}
	for _, f := range pol.Get("filters_config").Items() {
		if f.IsUnknown() {
			return f.Reason()
		}
		if t := f.Get("type"); t.IsUnknown() {
			return t.Reason()
		}
	}
	return "they could not be read"
}
