// Package rules is walens' catalogue of evidence rules: checks of SageMaker, Bedrock and supporting AWS resources
// in infrastructure code, each mapped to the lens best practices it supports or refutes. Every rule has a stable ID
// (WL-SM-nnn for SageMaker, WL-BR-nnn for Bedrock, WL-AWS-nnn for the rest of AWS, WL-WAL-nnn for walens' own
// configuration), and positive and negative fixtures
// under testdata/.
package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// All returns the catalogue sorted by ID. Each call returns fresh values, so callers may filter or change them.
func All() []*evidence.Rule {
	var out []*evidence.Rule
	out = append(out, notebookRules()...)
	out = append(out, sagemakerRules()...)
	out = append(out, endpointRules()...)
	out = append(out, trainingRules()...)
	out = append(out, bedrockRules()...)
	out = append(out, knowledgeBaseRules()...)
	out = append(out, guardrailRules()...)
	out = append(out, awsRules()...)
	out = append(out, monitorRules()...)
	out = append(out, gatewayRules()...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Select filters the catalogue by rule IDs to keep and to skip; an empty keep list keeps all. Unknown IDs are an
// error that names the closest rule.
func Select(all []*evidence.Rule, keep, skip []string) ([]*evidence.Rule, error) {
	byID := map[string]*evidence.Rule{}
	var ids []string
	for _, r := range all {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	for _, id := range append(slices.Clone(keep), skip...) {
		if byID[id] == nil {
			hint := "list them with: walens scan rules"
			if c := diag.Closest(id, ids); c != "" {
				hint = fmt.Sprintf("did you mean %s?", c)
			}
			return nil, fmt.Errorf("there is no rule %s (%s)", id, hint)
		}
	}
	var out []*evidence.Rule
	for _, r := range all {
		if (len(keep) == 0 || slices.Contains(keep, r.ID)) && !slices.Contains(skip, r.ID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// p and s name a practice the rule supports: p as evidence only, s as sufficient evidence on its own.
func p(ref string) evidence.Practice { return evidence.Practice{Ref: ref} }
func s(ref string) evidence.Practice { return evidence.Practice{Ref: ref, Sufficient: true} }

// aiTypes are the resource types walens treats as part of an AI workload, for the workload-wide rules (tags,
// Regions, budgets, private endpoints).
var aiTypes = []string{
	"aws_sagemaker_notebook_instance", "aws_sagemaker_domain", "aws_sagemaker_model", "aws_sagemaker_endpoint_configuration",
	"aws_sagemaker_endpoint", "aws_sagemaker_feature_group", "aws_sagemaker_model_package_group", "aws_sagemaker_pipeline",
	"aws_sagemaker_monitoring_schedule", "aws_sagemaker_data_quality_job_definition", "aws_sagemaker_flow_definition",
	"aws_sagemaker_space", "aws_sagemaker_user_profile", "aws_sagemaker_project", "aws_sagemaker_training_job",
	"aws_bedrock_guardrail", "aws_bedrock_custom_model", "aws_bedrock_provisioned_model_throughput", "aws_bedrock_inference_profile",
	"aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base", "aws_bedrockagent_prompt", "aws_bedrockagent_flow",
}

// taggable are the AI types whose AWS resources accept tags.
var taggable = []string{
	"aws_sagemaker_notebook_instance", "aws_sagemaker_domain", "aws_sagemaker_model", "aws_sagemaker_endpoint_configuration",
	"aws_sagemaker_endpoint", "aws_sagemaker_feature_group", "aws_sagemaker_model_package_group", "aws_sagemaker_pipeline",
	"aws_sagemaker_monitoring_schedule", "aws_sagemaker_data_quality_job_definition", "aws_sagemaker_flow_definition",
	"aws_sagemaker_space", "aws_sagemaker_user_profile", "aws_sagemaker_project",
	"aws_bedrock_guardrail", "aws_bedrock_custom_model", "aws_bedrock_provisioned_model_throughput", "aws_bedrock_inference_profile",
	"aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base", "aws_bedrockagent_prompt", "aws_bedrockagent_flow",
}

// bedrockTypes are the resources whose presence means the workload uses Amazon Bedrock.
var bedrockTypes = []string{
	"aws_bedrock_guardrail", "aws_bedrock_custom_model", "aws_bedrock_provisioned_model_throughput", "aws_bedrock_inference_profile",
	"aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base", "aws_bedrockagent_prompt", "aws_bedrockagent_flow",
	"aws_bedrockagent_data_source",
}

// strengthRank orders Bedrock guardrail filter strengths.
func strengthRank(s string) int {
	switch strings.ToUpper(s) {
	case "LOW":
		return 1
	case "MEDIUM":
		return 2
	case "HIGH":
		return 3
	}
	return 0
}

// first returns the first resource that the graph-wide rule should anchor a finding to, for findings about
// something missing: the first resource of the types in scan order.
func first(g *evidence.Graph, types ...string) *evidence.Resource {
	rs := g.OfType(types...)
	if len(rs) == 0 {
		return nil
	}
	return rs[0]
}

// follow resolves an attribute to resources of the given types and reports, through the check, when that cannot be
// done. It returns the targets and whether the caller should go on.
func follow(c *evidence.Check, r *evidence.Resource, v *evidence.Value, what string, types ...string) ([]*evidence.Resource, bool) {
	link := c.Graph.Follow(r, v, types...)
	switch {
	case len(link.Targets) > 0:
		return link.Targets, true
	case !v.IsSet():
		return nil, true
	case link.External:
		c.Unknown(r, v, "%s %q is not declared in the scanned code, so walens cannot check it", what, v.Str())
	default:
		c.Unknown(r, v, "%s cannot be followed: %s", what, v.Reason())
	}
	return nil, false
}

// awsManagedKeyRE matches the aliases of AWS managed KMS keys (alias/aws/s3) and their ARNs. Their key policies
// belong to AWS: the team can neither restrict nor audit who may decrypt with them.
var awsManagedKeyRE = regexp.MustCompile(`(^|:)alias/aws/`)

// requireCustomerKey is RequireSet for a KMS key argument, failing also when it names an AWS managed key.
func requireCustomerKey(c *evidence.Check, r *evidence.Resource, what string, path ...string) {
	if v := r.Attr(path...); v.K() == evidence.String && awsManagedKeyRE.MatchString(v.Str()) {
		c.Fail(r, v, "%s: %s is the AWS managed key %s, not a customer managed key", what, strings.Join(path, "."), v.Str())
		return
	}
	c.RequireSet(r, what, path...)
}
