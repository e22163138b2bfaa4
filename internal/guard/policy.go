// Package guard enforces guardrails with the concepts and names of Amazon Bedrock Guardrails, offline and in
// process: content filters (HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK), denied topics, word
// filters, sensitive-information filters (PII and regular expressions) and contextual grounding.
//
// A Policy is a guardrail version, written like a Bedrock CreateGuardrail request. An Engine compiles a policy
// and applies it to text: Engine.Apply for whole texts (the gateway's input and output stages, and the
// ApplyGuardrail API), Engine.NewStream for output that arrives in pieces. Handler serves the ApplyGuardrail API
// over HTTP. The detectors live in sub-packages: normalize, pii, classify, words, topic and grounding.
package guard

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/guard/pii"
	"github.com/walens/walens/internal/yamldoc"
)

// Policy is one version of a guardrail. Its fields are those of Bedrock's CreateGuardrail request, so a request
// body (JSON is YAML) loads as it is; guardrailId, version and the walens block are walens' additions.
type Policy struct {
	GuardrailID string `yaml:"guardrailId,omitempty" json:"guardrailId,omitempty"`
	// Version is a positive number ("1", "2", ...) or DRAFT, as in Bedrock.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`

	Name                    string `yaml:"name" json:"name"`
	Description             string `yaml:"description,omitempty" json:"description,omitempty"`
	BlockedInputMessaging   string `yaml:"blockedInputMessaging" json:"blockedInputMessaging"`
	BlockedOutputsMessaging string `yaml:"blockedOutputsMessaging" json:"blockedOutputsMessaging"`

	ContentPolicyConfig              *ContentPolicy     `yaml:"contentPolicyConfig,omitempty" json:"contentPolicyConfig,omitempty"`
	TopicPolicyConfig                *TopicPolicy       `yaml:"topicPolicyConfig,omitempty" json:"topicPolicyConfig,omitempty"`
	WordPolicyConfig                 *WordPolicy        `yaml:"wordPolicyConfig,omitempty" json:"wordPolicyConfig,omitempty"`
	SensitiveInformationPolicyConfig *SensitivePolicy   `yaml:"sensitiveInformationPolicyConfig,omitempty" json:"sensitiveInformationPolicyConfig,omitempty"`
	ContextualGroundingPolicyConfig  *GroundingPolicy   `yaml:"contextualGroundingPolicyConfig,omitempty" json:"contextualGroundingPolicyConfig,omitempty"`
	AutomatedReasoningPolicyConfig   *AutomatedPolicy   `yaml:"automatedReasoningPolicyConfig,omitempty" json:"automatedReasoningPolicyConfig,omitempty"`
	CrossRegionConfig                *CrossRegionConfig `yaml:"crossRegionConfig,omitempty" json:"crossRegionConfig,omitempty"`

	// Accepted so that CreateGuardrail requests load unchanged; walens has no use for them.
	KmsKeyID           string `yaml:"kmsKeyId,omitempty" json:"kmsKeyId,omitempty"`
	Tags               []Tag  `yaml:"tags,omitempty" json:"tags,omitempty"`
	ClientRequestToken string `yaml:"clientRequestToken,omitempty" json:"clientRequestToken,omitempty"`

	Walens *Settings `yaml:"walens,omitempty" json:"walens,omitempty"`
}

// ContentPolicy is contentPolicyConfig.
type ContentPolicy struct {
	FiltersConfig []ContentFilter `yaml:"filtersConfig" json:"filtersConfig"`
	TierConfig    *TierConfig     `yaml:"tierConfig,omitempty" json:"tierConfig,omitempty"`
}

// ContentFilter is one entry of filtersConfig.
type ContentFilter struct {
	Type             string   `yaml:"type" json:"type"`
	InputStrength    string   `yaml:"inputStrength" json:"inputStrength"`
	OutputStrength   string   `yaml:"outputStrength" json:"outputStrength"`
	InputModalities  []string `yaml:"inputModalities,omitempty" json:"inputModalities,omitempty"`
	OutputModalities []string `yaml:"outputModalities,omitempty" json:"outputModalities,omitempty"`
	InputAction      string   `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction     string   `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled     *bool    `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled    *bool    `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// TierConfig is Bedrock's tierConfig (CLASSIC or STANDARD); STANDARD allows longer topic definitions.
type TierConfig struct {
	TierName string `yaml:"tierName" json:"tierName"`
}

// TopicPolicy is topicPolicyConfig.
type TopicPolicy struct {
	TopicsConfig []Topic     `yaml:"topicsConfig" json:"topicsConfig"`
	TierConfig   *TierConfig `yaml:"tierConfig,omitempty" json:"tierConfig,omitempty"`
}

// Topic is a denied topic.
type Topic struct {
	Name          string   `yaml:"name" json:"name"`
	Definition    string   `yaml:"definition" json:"definition"`
	Examples      []string `yaml:"examples,omitempty" json:"examples,omitempty"`
	Type          string   `yaml:"type,omitempty" json:"type,omitempty"`
	InputAction   string   `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction  string   `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled  *bool    `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled *bool    `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// WordPolicy is wordPolicyConfig.
type WordPolicy struct {
	WordsConfig            []Word            `yaml:"wordsConfig,omitempty" json:"wordsConfig,omitempty"`
	ManagedWordListsConfig []ManagedWordList `yaml:"managedWordListsConfig,omitempty" json:"managedWordListsConfig,omitempty"`
}

// Word is a custom word or phrase.
type Word struct {
	Text          string `yaml:"text" json:"text"`
	InputAction   string `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction  string `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled  *bool  `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled *bool  `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// ManagedWordList selects a managed list; PROFANITY is the only one.
type ManagedWordList struct {
	Type          string `yaml:"type" json:"type"`
	InputAction   string `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction  string `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled  *bool  `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled *bool  `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// SensitivePolicy is sensitiveInformationPolicyConfig.
type SensitivePolicy struct {
	PiiEntitiesConfig []PIIEntity `yaml:"piiEntitiesConfig,omitempty" json:"piiEntitiesConfig,omitempty"`
	RegexesConfig     []Regex     `yaml:"regexesConfig,omitempty" json:"regexesConfig,omitempty"`
}

// PIIEntity configures one entity type. Action applies to both directions unless inputAction or outputAction
// say otherwise, as in Bedrock.
type PIIEntity struct {
	Type          string `yaml:"type" json:"type"`
	Action        string `yaml:"action" json:"action"`
	InputAction   string `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction  string `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled  *bool  `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled *bool  `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// Regex is a custom sensitive-information pattern, in Go's RE2 syntax.
type Regex struct {
	Name          string `yaml:"name" json:"name"`
	Description   string `yaml:"description,omitempty" json:"description,omitempty"`
	Pattern       string `yaml:"pattern" json:"pattern"`
	Action        string `yaml:"action" json:"action"`
	InputAction   string `yaml:"inputAction,omitempty" json:"inputAction,omitempty"`
	OutputAction  string `yaml:"outputAction,omitempty" json:"outputAction,omitempty"`
	InputEnabled  *bool  `yaml:"inputEnabled,omitempty" json:"inputEnabled,omitempty"`
	OutputEnabled *bool  `yaml:"outputEnabled,omitempty" json:"outputEnabled,omitempty"`
}

// GroundingPolicy is contextualGroundingPolicyConfig.
type GroundingPolicy struct {
	FiltersConfig []GroundingFilter `yaml:"filtersConfig" json:"filtersConfig"`
}

// GroundingFilter is a GROUNDING or RELEVANCE threshold.
type GroundingFilter struct {
	Type      string  `yaml:"type" json:"type"`
	Threshold float64 `yaml:"threshold" json:"threshold"`
	Action    string  `yaml:"action,omitempty" json:"action,omitempty"`
	Enabled   *bool   `yaml:"enabled,omitempty" json:"enabled,omitempty"`
}

// AutomatedPolicy is Bedrock's automated-reasoning policy, which walens does not implement; a policy that uses
// it is rejected rather than silently weakened.
type AutomatedPolicy struct {
	Policies            []string `yaml:"policies,omitempty" json:"policies,omitempty"`
	ConfidenceThreshold float64  `yaml:"confidenceThreshold,omitempty" json:"confidenceThreshold,omitempty"`
}

// CrossRegionConfig is accepted and ignored: walens runs where it is.
type CrossRegionConfig struct {
	GuardrailProfileIdentifier string `yaml:"guardrailProfileIdentifier" json:"guardrailProfileIdentifier"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `yaml:"key" json:"key"`
	Value string `yaml:"value" json:"value"`
}

// Settings are walens' own options.
type Settings struct {
	// MaxTextBytes is the most text one request may hold; larger requests are rejected. Default 256 KiB.
	MaxTextBytes int `yaml:"maxTextBytes,omitempty" json:"maxTextBytes,omitempty"`
	// TopicThreshold is the similarity at which text matches a denied topic with the built-in lexical matcher.
	TopicThreshold float64 `yaml:"topicThreshold,omitempty" json:"topicThreshold,omitempty"`
	// EmbeddingTopicThreshold is the cosine similarity at which text matches a topic when an embedding model is
	// configured; it depends on the model, so calibrate it.
	EmbeddingTopicThreshold float64 `yaml:"embeddingTopicThreshold,omitempty" json:"embeddingTopicThreshold,omitempty"`
	// DecodeEncoded turns off (false) the decoding of base64, hex and percent-encoded segments before detection.
	DecodeEncoded *bool `yaml:"decodeEncoded,omitempty" json:"decodeEncoded,omitempty"`
}

// Limits and defaults.
const (
	DefaultMaxTextBytes   = 256 << 10
	MaxMaxTextBytes       = 16 << 20
	DefaultTopicThreshold = 0.25
	DefaultEmbeddingTopic = 0.6
	maxTopics             = 30
	maxTopicExamples      = 5
	maxWords              = 10000
	maxRegexes            = 10
)

// Enumerations, with Bedrock's spellings.
var (
	ContentTypes   = []string{"HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT", "PROMPT_ATTACK"}
	Strengths      = []string{"NONE", "LOW", "MEDIUM", "HIGH"}
	filterActions  = []string{"BLOCK", "NONE"}
	piiActions     = []string{"BLOCK", "ANONYMIZE", "NONE"}
	modalities     = []string{"TEXT", "IMAGE"}
	groundingTypes = []string{"GROUNDING", "RELEVANCE"}
	tierNames      = []string{"CLASSIC", "STANDARD"}
)

var (
	nameRE      = regexp.MustCompile(`^[0-9a-zA-Z_-]+$`)
	topicNameRE = regexp.MustCompile(`^[0-9a-zA-Z_ !?.-]+$`)
	idRE        = regexp.MustCompile(`^[0-9a-zA-Z_-]{1,64}$`)
)

// LoadPolicy reads a policy file (YAML, or JSON such as a CreateGuardrail request) and validates it. Problems
// come back as a diag.List with file, line and column.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading guardrail policy: %w", err)
	}
	return ParsePolicy(data, path)
}

// maxPolicyBytes bounds a policy file: 10,000 words of 100 characters and their YAML fit well within it.
const maxPolicyBytes = 8 << 20

// ParsePolicy decodes and validates a policy; name is used in problems.
func ParsePolicy(data []byte, name string) (*Policy, error) {
	if len(data) > maxPolicyBytes {
		return nil, diag.List{{File: name, Message: fmt.Sprintf("the policy is larger than %d bytes", maxPolicyBytes)}}
	}
	var p Policy
	doc, err := yamldoc.DecodeFile(data, name, &p)
	if err != nil {
		return nil, err
	}
	if problems := p.Validate(); len(problems) > 0 {
		problems.Locate(name, doc.Pos)
		if err := problems.Err(); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// Validate checks the policy against Bedrock's rules and limits, and walens' own. Every problem is reported,
// each with the path of the field.
func (p *Policy) Validate() diag.List {
	var c diag.Collector
	if p.GuardrailID != "" && !idRE.MatchString(p.GuardrailID) {
		c.Errorf("guardrailId", "must be 1-64 letters, digits, dashes or underscores")
	}
	if p.Version != "" && p.Version != "DRAFT" {
		if n, err := strconv.Atoi(p.Version); err != nil || n < 1 {
			c.Errorf("version", "must be DRAFT or a positive number, not %q", p.Version)
		}
	}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		c.Errorf("name", "is required")
	case n > 50 || !nameRE.MatchString(p.Name):
		c.Errorf("name", "must be 1-50 letters, digits, dashes or underscores")
	}
	if utf8.RuneCountInString(p.Description) > 200 {
		c.Errorf("description", "is longer than 200 characters")
	}
	for _, f := range []struct{ path, v string }{{"blockedInputMessaging", p.BlockedInputMessaging}, {"blockedOutputsMessaging", p.BlockedOutputsMessaging}} {
		if n := utf8.RuneCountInString(f.v); n == 0 || n > 500 {
			c.Errorf(f.path, "must be 1-500 characters")
		}
	}
	p.validateContent(&c)
	p.validateTopics(&c)
	p.validateWords(&c)
	p.validateSensitive(&c)
	p.validateGrounding(&c)
	if p.AutomatedReasoningPolicyConfig != nil {
		c.Errorf("automatedReasoningPolicyConfig", "automated reasoning checks are not supported by walens; remove the policy or enforce it in Bedrock")
	}
	if s := p.Walens; s != nil {
		if s.MaxTextBytes < 0 || s.MaxTextBytes > MaxMaxTextBytes {
			c.Errorf("walens.maxTextBytes", "must be between 1 and %d", MaxMaxTextBytes)
		}
		if s.TopicThreshold < 0 || s.TopicThreshold > 1 {
			c.Errorf("walens.topicThreshold", "must be between 0 and 1")
		}
		if s.EmbeddingTopicThreshold < 0 || s.EmbeddingTopicThreshold > 1 {
			c.Errorf("walens.embeddingTopicThreshold", "must be between 0 and 1")
		}
	}
	if p.ContentPolicyConfig == nil && p.TopicPolicyConfig == nil && p.WordPolicyConfig == nil &&
		p.SensitiveInformationPolicyConfig == nil && p.ContextualGroundingPolicyConfig == nil {
		c.Errorf("", "the guardrail configures no policy: add contentPolicyConfig, topicPolicyConfig, wordPolicyConfig, sensitiveInformationPolicyConfig or contextualGroundingPolicyConfig")
	}
	return c.List
}

func choice(c *diag.Collector, path, v string, allowed []string, required bool) {
	if v == "" {
		if required {
			c.Errorf(path, "is required (one of %s)", strings.Join(allowed, ", "))
		}
		return
	}
	if !slices.Contains(allowed, v) {
		c.Errorf(path, "must be one of %s, not %q", strings.Join(allowed, ", "), v).Suggest(v, allowed)
	}
}

func (p *Policy) validateContent(c *diag.Collector) {
	cp := p.ContentPolicyConfig
	if cp == nil {
		return
	}
	if len(cp.FiltersConfig) == 0 {
		c.Errorf("contentPolicyConfig.filtersConfig", "needs at least one filter")
	}
	if cp.TierConfig != nil {
		choice(c, "contentPolicyConfig.tierConfig.tierName", cp.TierConfig.TierName, tierNames, true)
	}
	seen := map[string]bool{}
	for i, f := range cp.FiltersConfig {
		path := diag.Index("contentPolicyConfig.filtersConfig", i)
		choice(c, path+".type", f.Type, ContentTypes, true)
		if seen[f.Type] {
			c.Errorf(path+".type", "%s is configured twice", f.Type)
		}
		seen[f.Type] = true
		choice(c, path+".inputStrength", f.InputStrength, Strengths, true)
		choice(c, path+".outputStrength", f.OutputStrength, Strengths, true)
		if f.Type == "PROMPT_ATTACK" && f.OutputStrength != "" && f.OutputStrength != "NONE" {
			c.Errorf(path+".outputStrength", "must be NONE for PROMPT_ATTACK, which applies to input only")
		}
		choice(c, path+".inputAction", f.InputAction, filterActions, false)
		choice(c, path+".outputAction", f.OutputAction, filterActions, false)
		for j, m := range f.InputModalities {
			choice(c, diag.Index(path+".inputModalities", j), m, modalities, true)
		}
		for j, m := range f.OutputModalities {
			choice(c, diag.Index(path+".outputModalities", j), m, modalities, true)
		}
	}
}

func (p *Policy) validateTopics(c *diag.Collector) {
	tp := p.TopicPolicyConfig
	if tp == nil {
		return
	}
	maxDef := 200
	if tp.TierConfig != nil {
		choice(c, "topicPolicyConfig.tierConfig.tierName", tp.TierConfig.TierName, tierNames, true)
		if tp.TierConfig.TierName == "STANDARD" {
			maxDef = 1000
		}
	}
	if len(tp.TopicsConfig) == 0 || len(tp.TopicsConfig) > maxTopics {
		c.Errorf("topicPolicyConfig.topicsConfig", "must hold 1-%d topics", maxTopics)
	}
	seen := map[string]bool{}
	for i, t := range tp.TopicsConfig {
		path := diag.Index("topicPolicyConfig.topicsConfig", i)
		if n := utf8.RuneCountInString(t.Name); n == 0 || n > 100 || !topicNameRE.MatchString(t.Name) {
			c.Errorf(path+".name", "must be 1-100 letters, digits, spaces or -_!?.")
		}
		if seen[strings.ToLower(t.Name)] {
			c.Errorf(path+".name", "topic %q is configured twice", t.Name)
		}
		seen[strings.ToLower(t.Name)] = true
		if n := utf8.RuneCountInString(t.Definition); n == 0 || n > maxDef {
			c.Errorf(path+".definition", "must be 1-%d characters", maxDef)
		}
		if len(t.Examples) > maxTopicExamples {
			c.Errorf(path+".examples", "may hold at most %d examples", maxTopicExamples)
		}
		for j, e := range t.Examples {
			if n := utf8.RuneCountInString(e); n == 0 || n > 100 {
				c.Errorf(diag.Index(path+".examples", j), "must be 1-100 characters")
			}
		}
		choice(c, path+".type", t.Type, []string{"DENY"}, false)
		choice(c, path+".inputAction", t.InputAction, filterActions, false)
		choice(c, path+".outputAction", t.OutputAction, filterActions, false)
	}
}

func (p *Policy) validateWords(c *diag.Collector) {
	wp := p.WordPolicyConfig
	if wp == nil {
		return
	}
	if len(wp.WordsConfig) == 0 && len(wp.ManagedWordListsConfig) == 0 {
		c.Errorf("wordPolicyConfig", "needs wordsConfig or managedWordListsConfig")
	}
	if len(wp.WordsConfig) > maxWords {
		c.Errorf("wordPolicyConfig.wordsConfig", "may hold at most %d words", maxWords)
	}
	for i, w := range wp.WordsConfig {
		path := diag.Index("wordPolicyConfig.wordsConfig", i)
		if n := utf8.RuneCountInString(strings.TrimSpace(w.Text)); n == 0 || n > 100 {
			c.Errorf(path+".text", "must be 1-100 characters")
		}
		choice(c, path+".inputAction", w.InputAction, filterActions, false)
		choice(c, path+".outputAction", w.OutputAction, filterActions, false)
	}
	for i, m := range wp.ManagedWordListsConfig {
		path := diag.Index("wordPolicyConfig.managedWordListsConfig", i)
		choice(c, path+".type", m.Type, []string{"PROFANITY"}, true)
		choice(c, path+".inputAction", m.InputAction, filterActions, false)
		choice(c, path+".outputAction", m.OutputAction, filterActions, false)
	}
}

// piiTypeNames is every entity type, as strings.
var piiTypeNames = func() []string {
	out := make([]string, len(pii.Types))
	for i, t := range pii.Types {
		out[i] = string(t)
	}
	return out
}()

func (p *Policy) validateSensitive(c *diag.Collector) {
	sp := p.SensitiveInformationPolicyConfig
	if sp == nil {
		return
	}
	if len(sp.PiiEntitiesConfig) == 0 && len(sp.RegexesConfig) == 0 {
		c.Errorf("sensitiveInformationPolicyConfig", "needs piiEntitiesConfig or regexesConfig")
	}
	seen := map[string]bool{}
	for i, e := range sp.PiiEntitiesConfig {
		path := diag.Index("sensitiveInformationPolicyConfig.piiEntitiesConfig", i)
		choice(c, path+".type", e.Type, piiTypeNames, true)
		if seen[e.Type] {
			c.Errorf(path+".type", "%s is configured twice", e.Type)
		}
		seen[e.Type] = true
		choice(c, path+".action", e.Action, piiActions, e.InputAction == "" || e.OutputAction == "")
		choice(c, path+".inputAction", e.InputAction, piiActions, false)
		choice(c, path+".outputAction", e.OutputAction, piiActions, false)
	}
	if len(sp.RegexesConfig) > maxRegexes {
		c.Errorf("sensitiveInformationPolicyConfig.regexesConfig", "may hold at most %d patterns", maxRegexes)
	}
	for i, r := range sp.RegexesConfig {
		path := diag.Index("sensitiveInformationPolicyConfig.regexesConfig", i)
		if n := utf8.RuneCountInString(r.Name); n == 0 || n > 100 {
			c.Errorf(path+".name", "must be 1-100 characters")
		}
		if utf8.RuneCountInString(r.Description) > 1000 {
			c.Errorf(path+".description", "is longer than 1000 characters")
		}
		if n := utf8.RuneCountInString(r.Pattern); n == 0 || n > 500 {
			c.Errorf(path+".pattern", "must be 1-500 characters")
		} else if _, err := compileRegex(r.Pattern); err != nil {
			c.Errorf(path+".pattern", "%v", err)
		}
		choice(c, path+".action", r.Action, piiActions, r.InputAction == "" || r.OutputAction == "")
		choice(c, path+".inputAction", r.InputAction, piiActions, false)
		choice(c, path+".outputAction", r.OutputAction, piiActions, false)
	}
}

// compileRegex compiles a custom pattern with Go's RE2 engine, which runs in time linear in the text whatever
// the pattern. Constructs RE2 lacks (look-around, back-references) get a message that says so.
func compileRegex(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err == nil {
		return re, nil
	}
	var se *syntax.Error
	if errors.As(err, &se) && (strings.Contains(pattern, "(?=") || strings.Contains(pattern, "(?!") ||
		strings.Contains(pattern, "(?<=") || strings.Contains(pattern, "(?<!") || strings.Contains(pattern, `\1`)) {
		return nil, fmt.Errorf("look-around and back-references are not supported (walens uses RE2 syntax, which guarantees linear time): %v", err)
	}
	return nil, fmt.Errorf("invalid pattern: %v", err)
}

func (p *Policy) validateGrounding(c *diag.Collector) {
	gp := p.ContextualGroundingPolicyConfig
	if gp == nil {
		return
	}
	if len(gp.FiltersConfig) == 0 {
		c.Errorf("contextualGroundingPolicyConfig.filtersConfig", "needs at least one filter")
	}
	seen := map[string]bool{}
	for i, f := range gp.FiltersConfig {
		path := diag.Index("contextualGroundingPolicyConfig.filtersConfig", i)
		choice(c, path+".type", f.Type, groundingTypes, true)
		if seen[f.Type] {
			c.Errorf(path+".type", "%s is configured twice", f.Type)
		}
		seen[f.Type] = true
		if f.Threshold < 0 || f.Threshold > 0.99 {
			c.Errorf(path+".threshold", "must be between 0 and 0.99")
		}
		choice(c, path+".action", f.Action, filterActions, false)
	}
}
