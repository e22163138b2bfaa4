package guard

// The types below are the ApplyGuardrail request and response documents of the Bedrock runtime API, with
// Bedrock's JSON names, so that Engine.Apply's result is what the HTTP API returns.

// Source says whether content is a model's input (the user's prompt) or its output.
type Source string

const (
	Input  Source = "INPUT"
	Output Source = "OUTPUT"
)

// Qualifiers mark the role of a content block for contextual grounding.
const (
	QualifierGroundingSource = "grounding_source"
	QualifierQuery           = "query"
	QualifierGuardContent    = "guard_content"
)

// Content is a block of text to check.
type Content struct {
	Text       string
	Qualifiers []string
}

// Actions of a response and of findings.
const (
	ActionNone        = "NONE"
	ActionIntervened  = "GUARDRAIL_INTERVENED"
	ActionBlocked     = "BLOCKED"
	ActionAnonymized  = "ANONYMIZED"
	OutputScopeFull   = "FULL"
	OutputScopeDetect = "INTERVENTIONS"
)

// Response is the outcome of applying a guardrail, shaped as Bedrock's ApplyGuardrail response.
type Response struct {
	Action       string          `json:"action"`
	ActionReason string          `json:"actionReason,omitempty"`
	Outputs      []OutputContent `json:"outputs"`
	Assessments  []Assessment    `json:"assessments"`
	Usage        Usage           `json:"usage"`
	Coverage     *Coverage       `json:"guardrailCoverage,omitempty"`

	// Blocked tells a caller (the gateway) to answer with Outputs[0].Text instead of passing the content on; when
	// the action is GUARDRAIL_INTERVENED and Blocked is false, the content was anonymised and Outputs hold the
	// anonymised text of each guarded block, to pass on instead of the original.
	Blocked bool `json:"-"`
}

// Intervened reports whether the guardrail blocked or changed the content.
func (r *Response) Intervened() bool { return r.Action == ActionIntervened }

// OutputContent is one output text.
type OutputContent struct {
	Text string `json:"text"`
}

// Assessment holds the findings of each policy.
type Assessment struct {
	TopicPolicy                *TopicAssessment     `json:"topicPolicy,omitempty"`
	ContentPolicy              *ContentAssessment   `json:"contentPolicy,omitempty"`
	WordPolicy                 *WordAssessment      `json:"wordPolicy,omitempty"`
	SensitiveInformationPolicy *SensitiveAssessment `json:"sensitiveInformationPolicy,omitempty"`
	ContextualGroundingPolicy  *GroundingAssessment `json:"contextualGroundingPolicy,omitempty"`
	InvocationMetrics          *InvocationMetrics   `json:"invocationMetrics,omitempty"`
}

type TopicAssessment struct {
	Topics []TopicFinding `json:"topics"`
}

type TopicFinding struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type ContentAssessment struct {
	Filters []ContentFinding `json:"filters"`
}

type ContentFinding struct {
	Type           string `json:"type"`
	Confidence     string `json:"confidence"`
	FilterStrength string `json:"filterStrength"`
	Action         string `json:"action"`
	Detected       bool   `json:"detected"`
}

type WordAssessment struct {
	CustomWords      []WordFinding        `json:"customWords"`
	ManagedWordLists []ManagedWordFinding `json:"managedWordLists"`
}

type WordFinding struct {
	Match    string `json:"match"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type ManagedWordFinding struct {
	Match    string `json:"match"`
	Type     string `json:"type"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type SensitiveAssessment struct {
	PiiEntities []PIIFinding   `json:"piiEntities"`
	Regexes     []RegexFinding `json:"regexes"`
}

type PIIFinding struct {
	Match    string `json:"match"`
	Type     string `json:"type"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type RegexFinding struct {
	Name     string `json:"name"`
	Match    string `json:"match"`
	Regex    string `json:"regex"`
	Action   string `json:"action"`
	Detected bool   `json:"detected"`
}

type GroundingAssessment struct {
	Filters []GroundingFinding `json:"filters"`
}

type GroundingFinding struct {
	Type      string  `json:"type"`
	Threshold float64 `json:"threshold"`
	Score     float64 `json:"score"`
	Action    string  `json:"action"`
	Detected  bool    `json:"detected"`
}

type InvocationMetrics struct {
	GuardrailProcessingLatency int64     `json:"guardrailProcessingLatency"`
	Usage                      *Usage    `json:"usage,omitempty"`
	GuardrailCoverage          *Coverage `json:"guardrailCoverage,omitempty"`
}

// Usage counts text units (up to 1,000 characters each) per policy, as Bedrock bills them. walens bills nothing;
// the numbers let users compare.
type Usage struct {
	TopicPolicyUnits                    int `json:"topicPolicyUnits"`
	ContentPolicyUnits                  int `json:"contentPolicyUnits"`
	WordPolicyUnits                     int `json:"wordPolicyUnits"`
	SensitiveInformationPolicyUnits     int `json:"sensitiveInformationPolicyUnits"`
	SensitiveInformationPolicyFreeUnits int `json:"sensitiveInformationPolicyFreeUnits"`
	ContextualGroundingPolicyUnits      int `json:"contextualGroundingPolicyUnits"`
}

type Coverage struct {
	TextCharacters *TextCoverage `json:"textCharacters,omitempty"`
}

type TextCoverage struct {
	Guarded int `json:"guarded"`
	Total   int `json:"total"`
}
