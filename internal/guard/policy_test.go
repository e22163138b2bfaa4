package guard

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/walens/walens/internal/guard/pii"
)

// TestEnumsMatchSDK checks walens' enumerations against the AWS SDK, which carries Bedrock's exact names.
func TestEnumsMatchSDK(t *testing.T) {
	same := func(name string, ours []string, sdk []string) {
		t.Helper()
		a, b := slices.Clone(ours), slices.Clone(sdk)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s: walens %v, SDK %v", name, a, b)
		}
	}
	var piiTypes, sdkPII []string
	for _, x := range pii.Types {
		piiTypes = append(piiTypes, string(x))
	}
	for _, x := range types.GuardrailPiiEntityType("").Values() {
		sdkPII = append(sdkPII, string(x))
	}
	same("PII entity types", piiTypes, sdkPII)
	var sdkContent, sdkStrength, sdkQual, sdkGround []string
	for _, x := range types.GuardrailContentFilterType("").Values() {
		sdkContent = append(sdkContent, string(x))
	}
	for _, x := range types.GuardrailContentFilterStrength("").Values() {
		sdkStrength = append(sdkStrength, string(x))
	}
	for _, x := range types.GuardrailContentQualifier("").Values() {
		sdkQual = append(sdkQual, string(x))
	}
	for _, x := range types.GuardrailContextualGroundingFilterType("").Values() {
		sdkGround = append(sdkGround, string(x))
	}
	same("content filter types", ContentTypes, sdkContent)
	same("strengths", Strengths, sdkStrength)
	same("qualifiers", []string{QualifierGroundingSource, QualifierQuery, QualifierGuardContent}, sdkQual)
	same("grounding filter types", groundingTypes, sdkGround)
}

func TestValidate(t *testing.T) {
	valid := func() *Policy {
		return &Policy{Name: "ok", BlockedInputMessaging: "no", BlockedOutputsMessaging: "no",
			WordPolicyConfig: &WordPolicy{ManagedWordListsConfig: []ManagedWordList{{Type: "PROFANITY"}}}}
	}
	tests := []struct {
		name   string
		change func(*Policy)
		want   string
	}{
		{"valid", func(*Policy) {}, ""},
		{"no policy", func(p *Policy) { p.WordPolicyConfig = nil }, "configures no policy"},
		{"long name", func(p *Policy) { p.Name = strings.Repeat("a", 51) }, "name: must be 1-50"},
		{"version", func(p *Policy) { p.Version = "v2" }, "version: must be DRAFT or a positive number"},
		{"topics", func(p *Policy) {
			p.TopicPolicyConfig = &TopicPolicy{TopicsConfig: []Topic{{Name: "x", Definition: strings.Repeat("d", 201), Examples: []string{"1", "2", "3", "4", "5", "6"}}}}
		}, "definition: must be 1-200 characters"},
		{"standard tier allows long definitions", func(p *Policy) {
			p.TopicPolicyConfig = &TopicPolicy{TierConfig: &TierConfig{TierName: "STANDARD"}, TopicsConfig: []Topic{{Name: "x", Definition: strings.Repeat("d", 900)}}}
		}, ""},
		{"duplicate pii", func(p *Policy) {
			p.SensitiveInformationPolicyConfig = &SensitivePolicy{PiiEntitiesConfig: []PIIEntity{{Type: "EMAIL", Action: "BLOCK"}, {Type: "EMAIL", Action: "BLOCK"}}}
		}, "EMAIL is configured twice"},
		{"directional pii actions need no action", func(p *Policy) {
			p.SensitiveInformationPolicyConfig = &SensitivePolicy{PiiEntitiesConfig: []PIIEntity{{Type: "EMAIL", InputAction: "BLOCK", OutputAction: "NONE"}}}
		}, ""},
		{"grounding threshold", func(p *Policy) {
			p.ContextualGroundingPolicyConfig = &GroundingPolicy{FiltersConfig: []GroundingFilter{{Type: "GROUNDING", Threshold: 1}}}
		}, "threshold: must be between 0 and 0.99"},
		{"automated reasoning", func(p *Policy) { p.AutomatedReasoningPolicyConfig = &AutomatedPolicy{} }, "not supported by walens"},
		{"limit", func(p *Policy) { p.Walens = &Settings{MaxTextBytes: MaxMaxTextBytes + 1} }, "walens.maxTextBytes"},
		{"too many regexes", func(p *Policy) {
			p.SensitiveInformationPolicyConfig = &SensitivePolicy{}
			for range 11 {
				p.SensitiveInformationPolicyConfig.RegexesConfig = append(p.SensitiveInformationPolicyConfig.RegexesConfig, Regex{Name: "r", Pattern: "a", Action: "BLOCK"})
			}
		}, "at most 10 patterns"},
	}
	for _, tt := range tests {
		p := valid()
		tt.change(p)
		got := p.Validate().Error()
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s: problems %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"name: a\nblockedInputMessaging: x\nblockedOutputsMessaging: y\nwordPolicyConfig: {wordsConfig: [{text: z}]}\n",
		"{}", "name: [", "sensitiveInformationPolicyConfig: {regexesConfig: [{name: r, pattern: '(?=x)', action: BLOCK}]}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data, "fuzz.yaml")
		if err != nil {
			return
		}
		if _, err := New(p, Options{}); err != nil {
			t.Fatalf("a policy that validates does not compile: %v", err)
		}
	})
}
