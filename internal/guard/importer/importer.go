// Package importer turns Amazon Bedrock guardrail definitions into walens guardrail policies, so a team can run
// the guardrail it already has: a CreateGuardrail request (the JSON given to aws bedrock create-guardrail
// --cli-input-json or to an SDK), a GetGuardrail response (aws bedrock get-guardrail), or the
// aws_bedrock_guardrail resources of a Terraform configuration, read with the evidence scanner's Terraform
// evaluator (variables, locals, tfvars files and dynamic blocks included).
package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/terraform"
	"github.com/walens/walens/internal/guard"
	"github.com/walens/walens/internal/yamldoc"
)

// Options qualify an import.
type Options struct {
	// Resource picks one aws_bedrock_guardrail of a Terraform configuration by address (aws_bedrock_guardrail.x)
	// or by its name argument; empty imports every one.
	Resource string
	// Vars and VarFiles give Terraform variables values, as on the terraform command line.
	Vars     map[string]string
	VarFiles []string
	// ID and Version set the imported policies' guardrailId and version; by default a GetGuardrail response keeps
	// its own, and anything else gets the guardrail's name and DRAFT.
	ID, Version string
}

// maxFileBytes bounds an import: guardrail definitions are far smaller.
const maxFileBytes = 8 << 20

// File imports the guardrails of a file: Terraform (.tf, .tf.json, or a directory of them) or Bedrock JSON. Every policy is validated;
// problems are located in the file.
func File(ctx context.Context, path string, opts Options) ([]*guard.Policy, error) {
	lower := strings.ToLower(path)
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if info.IsDir() || strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") {
		return Terraform(ctx, path, opts)
	}
	if info.Size() > maxFileBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	p, err := JSON(data, path, opts)
	if err != nil {
		return nil, err
	}
	return []*guard.Policy{p}, nil
}

// getGuardrail is Bedrock's GetGuardrail response.
type getGuardrail struct {
	GuardrailID                string            `yaml:"guardrailId"`
	GuardrailArn               string            `yaml:"guardrailArn"`
	Version                    string            `yaml:"version"`
	Name                       string            `yaml:"name"`
	Description                string            `yaml:"description"`
	Status                     string            `yaml:"status"`
	StatusReasons              []string          `yaml:"statusReasons"`
	FailureRecommendations     []string          `yaml:"failureRecommendations"`
	CreatedAt                  string            `yaml:"createdAt"`
	UpdatedAt                  string            `yaml:"updatedAt"`
	KmsKeyArn                  string            `yaml:"kmsKeyArn"`
	BlockedInputMessaging      string            `yaml:"blockedInputMessaging"`
	BlockedOutputsMessaging    string            `yaml:"blockedOutputsMessaging"`
	CrossRegionDetails         map[string]string `yaml:"crossRegionDetails"`
	ResponseMetadata           map[string]any    `yaml:"ResponseMetadata"`
	ContentPolicy              *getContent       `yaml:"contentPolicy"`
	TopicPolicy                *getTopics        `yaml:"topicPolicy"`
	WordPolicy                 *getWords         `yaml:"wordPolicy"`
	SensitiveInformationPolicy *getSensitive     `yaml:"sensitiveInformationPolicy"`
	ContextualGroundingPolicy  *getGrounding     `yaml:"contextualGroundingPolicy"`
	AutomatedReasoningPolicy   *getAutomated     `yaml:"automatedReasoningPolicy"`
}

type getContent struct {
	Filters []guard.ContentFilter `yaml:"filters"`
	Tier    *guard.TierConfig     `yaml:"tier"`
}

type getTopics struct {
	Topics []guard.Topic     `yaml:"topics"`
	Tier   *guard.TierConfig `yaml:"tier"`
}

type getWords struct {
	Words            []guard.Word            `yaml:"words"`
	ManagedWordLists []guard.ManagedWordList `yaml:"managedWordLists"`
}

type getSensitive struct {
	PiiEntities []guard.PIIEntity `yaml:"piiEntities"`
	Regexes     []guard.Regex     `yaml:"regexes"`
}

type getGrounding struct {
	Filters []guard.GroundingFilter `yaml:"filters"`
}

type getAutomated struct {
	Policies            []string `yaml:"policies"`
	ConfidenceThreshold float64  `yaml:"confidenceThreshold"`
}

// getKeys are keys only a GetGuardrail response has.
var getKeys = []string{`"contentPolicy"`, `"topicPolicy"`, `"wordPolicy"`, `"sensitiveInformationPolicy"`, `"contextualGroundingPolicy"`, `"guardrailArn"`, `"createdAt"`, `"status"`}

// JSON imports a CreateGuardrail request or a GetGuardrail response; name is used in problems.
func JSON(data []byte, name string, opts Options) (*guard.Policy, error) {
	if len(data) > maxFileBytes {
		return nil, diag.List{{File: name, Message: fmt.Sprintf("larger than %d bytes", maxFileBytes)}}
	}
	isGet := false
	for _, k := range getKeys {
		if bytes.Contains(data, []byte(k)) {
			isGet = true
			break
		}
	}
	if !isGet {
		p, err := guard.ParsePolicy(data, name)
		if err != nil {
			return nil, err
		}
		return finish(p, opts, name)
	}
	var g getGuardrail
	doc, err := yamldoc.DecodeFile(data, name, &g)
	if err != nil {
		return nil, err
	}
	p := &guard.Policy{
		GuardrailID: g.GuardrailID, Version: g.Version, Name: g.Name, Description: g.Description,
		BlockedInputMessaging: g.BlockedInputMessaging, BlockedOutputsMessaging: g.BlockedOutputsMessaging,
	}
	if c := g.ContentPolicy; c != nil {
		p.ContentPolicyConfig = &guard.ContentPolicy{FiltersConfig: c.Filters, TierConfig: c.Tier}
	}
	if t := g.TopicPolicy; t != nil {
		p.TopicPolicyConfig = &guard.TopicPolicy{TopicsConfig: t.Topics, TierConfig: t.Tier}
	}
	if w := g.WordPolicy; w != nil {
		p.WordPolicyConfig = &guard.WordPolicy{WordsConfig: w.Words, ManagedWordListsConfig: w.ManagedWordLists}
	}
	if s := g.SensitiveInformationPolicy; s != nil {
		p.SensitiveInformationPolicyConfig = &guard.SensitivePolicy{PiiEntitiesConfig: s.PiiEntities, RegexesConfig: s.Regexes}
	}
	if c := g.ContextualGroundingPolicy; c != nil {
		p.ContextualGroundingPolicyConfig = &guard.GroundingPolicy{FiltersConfig: c.Filters}
	}
	if a := g.AutomatedReasoningPolicy; a != nil {
		p.AutomatedReasoningPolicyConfig = &guard.AutomatedPolicy{Policies: a.Policies, ConfidenceThreshold: a.ConfidenceThreshold}
	}
	if problems := p.Validate(); len(problems) > 0 {
		// Problems name the CreateGuardrail fields; point them at the response's own.
		for i := range problems {
			problems[i].Path = getPath(problems[i].Path)
		}
		problems.Locate(name, doc.Pos)
		if err := problems.Err(); err != nil {
			return nil, err
		}
	}
	return finish(p, opts, name)
}

// getPath renames a CreateGuardrail field path to the GetGuardrail response's.
func getPath(path string) string {
	r := strings.NewReplacer(
		"contentPolicyConfig.filtersConfig", "contentPolicy.filters", "contentPolicyConfig.tierConfig", "contentPolicy.tier",
		"topicPolicyConfig.topicsConfig", "topicPolicy.topics", "topicPolicyConfig.tierConfig", "topicPolicy.tier",
		"wordPolicyConfig.wordsConfig", "wordPolicy.words", "wordPolicyConfig.managedWordListsConfig", "wordPolicy.managedWordLists",
		"sensitiveInformationPolicyConfig.piiEntitiesConfig", "sensitiveInformationPolicy.piiEntities",
		"sensitiveInformationPolicyConfig.regexesConfig", "sensitiveInformationPolicy.regexes",
		"contextualGroundingPolicyConfig.filtersConfig", "contextualGroundingPolicy.filters",
		"automatedReasoningPolicyConfig", "automatedReasoningPolicy",
		"PolicyConfig", "Policy")
	return r.Replace(path)
}

// finish applies the ID and version options and re-validates what they changed.
func finish(p *guard.Policy, opts Options, name string) (*guard.Policy, error) {
	if opts.ID != "" {
		p.GuardrailID = opts.ID
	}
	if opts.Version != "" {
		p.Version = opts.Version
	}
	if p.GuardrailID == "" {
		p.GuardrailID = p.Name
	}
	if err := p.Validate().Err(); err != nil {
		var list diag.List
		if errors.As(err, &list) {
			list.Locate(name, nil)
		}
		return nil, err
	}
	return p, nil
}

// Terraform imports the aws_bedrock_guardrail resources of the root module holding path (a .tf or .tf.json file
// or a directory), evaluated as walens scan evaluates them.
func Terraform(ctx context.Context, path string, opts Options) ([]*guard.Policy, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	dir := path
	if !info.IsDir() {
		dir = filepath.Dir(path)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var files []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() && (terraform.Source{}).Match(p, nil) {
			files = append(files, p)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no Terraform files", dir)
	}
	eo := &evidence.Options{Vars: opts.Vars, VarFiles: opts.VarFiles, BaseDirs: []string{abs}}
	var problems diag.List
	var found []*evidence.Resource
	for _, u := range (terraform.Source{}).Units(files, eo) {
		l := u.Load(ctx)
		problems = append(problems, l.Problems.Errors()...)
		for _, r := range l.Resources {
			if r.Type == "aws_bedrock_guardrail" && !r.Data && r.Unit == filepath.Clean(dir) {
				found = append(found, r)
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("reading Terraform in %s: %w", dir, problems)
	}
	var out []*guard.Policy
	for _, r := range found {
		if opts.Resource != "" && opts.Resource != r.Address && opts.Resource != r.Attr("name").Str() {
			continue
		}
		p, err := fromResource(r, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		if opts.Resource != "" {
			return nil, fmt.Errorf("%s has no aws_bedrock_guardrail %q", dir, opts.Resource)
		}
		return nil, fmt.Errorf("%s declares no aws_bedrock_guardrail resource", dir)
	}
	if len(out) > 1 && (opts.ID != "") {
		return nil, errors.New("--id names one guardrail, but the configuration declares several; pick one with --resource")
	}
	return out, nil
}

// singular lists the Terraform blocks that Bedrock's API writes as one object rather than a list.
var singular = map[string]bool{
	"content_policy_config": true, "topic_policy_config": true, "word_policy_config": true,
	"sensitive_information_policy_config": true, "contextual_grounding_policy_config": true, "tier_config": true,
	"cross_region_config": true, "automated_reasoning_policy_config": true,
}

// ignored are resource arguments with no CreateGuardrail counterpart that walens needs.
var ignored = map[string]bool{"tags": true, "tags_all": true, "kms_key_arn": true, "timeouts": true, "region": true}

// fromResource converts a resource's attributes into a policy by renaming snake_case to the API's camelCase,
// and validates it, locating problems at the attribute that caused them.
func fromResource(r *evidence.Resource, opts Options) (*guard.Policy, error) {
	pos := map[string]evidence.Pos{}
	var problems diag.List
	doc := convert(r.Attrs, "", pos, &problems, r.Pos)
	if len(problems) > 0 {
		return nil, problems
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var p guard.Policy
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, diag.List{{File: r.Pos.File, Line: r.Pos.Line, Col: r.Pos.Col, Path: r.Address, Message: "unsupported argument: " + strings.TrimPrefix(err.Error(), "json: ")}}
	}
	if list := p.Validate(); len(list) > 0 {
		for i := range list {
			at, ok := pos[list[i].Path]
			for path := list[i].Path; !ok && path != ""; {
				path = diag.Parent(path)
				at, ok = pos[path]
			}
			if !ok {
				at = r.Pos
			}
			list[i].File, list[i].Line, list[i].Col = at.File, at.Line, at.Col
			list[i].Path = r.Address + "." + snakePath(list[i].Path)
		}
		if err := list.Err(); err != nil {
			return nil, err
		}
	}
	if opts.ID == "" && p.GuardrailID == "" {
		// The resource's address is stable across applies; the name is what people call it by.
		p.GuardrailID = p.Name
	}
	return finish(&p, opts, r.Pos.File)
}

// convert turns an evidence value into plain JSON values with the API's key names, recording where each path
// was set. Unknown values are problems: walens cannot enforce a guardrail it cannot read.
func convert(v *evidence.Value, path string, pos map[string]evidence.Pos, problems *diag.List, at evidence.Pos) any {
	if v != nil && v.Pos.File != "" {
		at = v.Pos
		pos[path] = v.Pos
	}
	switch v.K() {
	case evidence.Unknown:
		*problems = append(*problems, diag.Problem{File: at.File, Line: at.Line, Col: at.Col, Path: snakePath(path),
			Message: "is not known without deploying (" + v.Reason() + "); give the variables it uses values with --var or --var-file"})
		return nil
	case evidence.Null:
		return nil
	case evidence.Bool:
		b, _ := v.Bool()
		return b
	case evidence.Number:
		n, _ := v.Num()
		return n
	case evidence.String:
		return v.Str()
	case evidence.List:
		items := v.Items()
		out := make([]any, 0, len(items))
		for i, x := range items {
			out = append(out, convert(x, diag.Index(path, i), pos, problems, at))
		}
		return out
	case evidence.Object:
		out := map[string]any{}
		for _, k := range v.Keys() {
			if path == "" && ignored[k] {
				continue
			}
			x := v.Get(k)
			key := camel(k)
			child := diag.Key(path, key)
			if singular[k] && x.K() == evidence.List {
				items := x.Items()
				if len(items) == 0 {
					continue
				}
				if x.Pos.File != "" {
					pos[child] = x.Pos
				}
				out[key] = convert(items[0], child, pos, problems, at)
				continue
			}
			if c := convert(x, child, pos, problems, at); c != nil {
				out[key] = c
			}
		}
		return out
	}
	return nil
}

// camel turns blocked_input_messaging into blockedInputMessaging and pii_entities_config into
// piiEntitiesConfig. Terraform's argument names are the API's in snake case, with one exception handled here.
func camel(s string) string {
	if s == "guardrail_id" {
		return "guardrailId"
	}
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// snakePath turns a camelCase field path back into Terraform's names, for problems.
func snakePath(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}
