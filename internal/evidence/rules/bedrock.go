package rules

import (
	"fmt"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

const agent = "aws_bedrockagent_agent"

func bedrockRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-BR-001",
			Title:    "Bedrock agents use a guardrail that blocks prompt attacks at HIGH strength",
			Severity: evidence.SeverityHigh,
			Description: "An agent acts on what users and retrieved documents tell it, through tools with real permissions. " +
				"Without a guardrail, or with a weak one, a prompt injection becomes an action.",
			Remediation: "Set guardrail_configuration { guardrail_identifier, guardrail_version } (GuardrailConfiguration) on " +
				"the agent, pointing at a guardrail whose PROMPT_ATTACK filter is HIGH on input.",
			Types:     []string{agent},
			Practices: []evidence.Practice{p("GENSEC02-BP01"), p("AGENTSEC04-BP01"), p("AGENTSEC08-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_383"},
				Prowler: []string{"bedrock_agent_guardrail_enabled"},
			},
			Check: checkAgentGuardrail,
		},
		{
			ID:       "WL-BR-002",
			Title:    "Bedrock agents are encrypted with a customer managed KMS key",
			Severity: evidence.SeverityMedium,
			Description: "An agent's configuration and session data, including conversation memory, are encrypted with an " +
				"AWS owned key unless a customer managed key is given.",
			Remediation: "Set customer_encryption_key_arn (CustomerEncryptionKeyArn) on the agent.",
			Types:       []string{agent},
			Practices:   []evidence.Practice{p("AGENTSEC01-BP01")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_373"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "agent encryption", "customer_encryption_key_arn")
			},
		},
		{
			ID:       "WL-BR-008",
			Title:    "Workloads that use Bedrock declare at least one guardrail",
			Severity: evidence.SeverityMedium,
			Description: "Agents, knowledge bases, flows and prompts all pass user input to foundation models. With no " +
				"guardrail anywhere in the code, nothing filters that input or the answers.",
			Remediation: "Declare an aws_bedrock_guardrail (AWS::Bedrock::Guardrail) and apply it to agents and model calls.",
			Types:       bedrockTypes,
			Practices:   []evidence.Practice{p("GENSEC02-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_guardrails_configured"}},
			CheckGraph: func(c *evidence.Check, g *evidence.Graph) {
				users := g.OfType("aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base", "aws_bedrockagent_flow", "aws_bedrockagent_prompt")
				if len(users) == 0 {
					return
				}
				gs := g.OfType(guardrail)
				for _, u := range users {
					if len(gs) == 0 {
						c.Fail(u, nil, "no Bedrock guardrail is declared in the scanned code")
					} else {
						c.Pass(u, nil, "guardrail %s is declared", gs[0].Address)
					}
				}
			},
		},
		{
			ID:       "WL-BR-009",
			Title:    "Bedrock model invocation logging is configured",
			Severity: evidence.SeverityHigh,
			Description: "Invocation logs record every prompt and completion with the caller and the model: the audit trail " +
				"for abuse investigations, cost questions and quality reviews. Bedrock does not log invocations until it " +
				"is told where to.",
			Remediation: "Declare aws_bedrock_model_invocation_logging_configuration in each Region the workload uses, with " +
				"logging_config { cloudwatch_config or s3_config } and text_data_delivery_enabled = true. CloudFormation " +
				"has no resource for it; manage it with Terraform, the CLI or a custom resource.",
			Types:       bedrockTypes,
			Practices:   []evidence.Practice{s("GENSEC03-BP01"), s("GENSEC01-BP04"), p("AGENTOPS05-BP03"), p("AGENTSEC05-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_model_invocation_logging_enabled"}},
			CheckGraph:  checkInvocationLogging,
		},
		{
			ID:       "WL-BR-010",
			Title:    "Bedrock invocation logs are encrypted with a KMS key",
			Severity: evidence.SeverityMedium,
			Description: "Invocation logs hold full prompts and answers, including whatever personal data users typed. They " +
				"need the same protection as the application's data.",
			Remediation: "Give the CloudWatch log group a kms_key_id, and the S3 bucket default encryption with aws:kms and a " +
				"customer managed key.",
			Types:       []string{"aws_bedrock_model_invocation_logging_configuration"},
			Practices:   []evidence.Practice{p("RAIMON01-BP03"), p("GENSEC03-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_model_invocation_logs_encryption_enabled"}},
			Check:       checkLogEncryption,
		},
		{
			ID:       "WL-BR-011",
			Title:    "Bedrock knowledge base data sources are encrypted with a customer managed KMS key",
			Severity: evidence.SeverityHigh,
			Description: "A knowledge base ingests the organisation's documents; during ingestion Bedrock stores transient " +
				"copies that a customer managed key keeps under the team's control.",
			Remediation: "Set server_side_encryption_configuration { kms_key_arn } (ServerSideEncryptionConfiguration.KmsKeyArn) " +
				"on every data source.",
			Types:       []string{"aws_bedrockagent_data_source"},
			Practices:   []evidence.Practice{p("MLSEC02-BP01"), p("GENSEC01-BP03")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_knowledge_base_encrypted_with_cmk"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "data source encryption", "server_side_encryption_configuration", "kms_key_arn")
			},
		},
		{
			ID:          "WL-BR-012",
			Title:       "Bedrock custom models are encrypted with a customer managed KMS key",
			Severity:    evidence.SeverityHigh,
			Description: "A fine-tuned model has absorbed its training data; whoever can use the model's key can use what it learned.",
			Remediation: "Set custom_model_kms_key_id on the customization job.",
			Types:       []string{"aws_bedrock_custom_model"},
			Practices:   []evidence.Practice{p("MLSEC02-BP01"), p("GENSEC06-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_custom_model_encrypted_with_cmk"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "model encryption", "custom_model_kms_key_id")
			},
		},
		{
			ID:          "WL-BR-013",
			Title:       "Bedrock prompts are encrypted with a customer managed KMS key",
			Severity:    evidence.SeverityMedium,
			Description: "Managed prompts carry system instructions and examples that encode business rules, and sometimes data.",
			Remediation: "Set customer_encryption_key_arn (CustomerEncryptionKeyArn) on the prompt.",
			Types:       []string{"aws_bedrockagent_prompt"},
			Practices:   []evidence.Practice{p("GENSEC04-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_prompt_encrypted_with_cmk"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "prompt encryption", "customer_encryption_key_arn")
			},
		},
		{
			ID:       "WL-BR-014",
			Title:    "Bedrock agent roles are not allowed every Bedrock action on every resource",
			Severity: evidence.SeverityHigh,
			Description: "An agent's role is what a successful prompt injection gets. bedrock:* or * on every resource lets " +
				"the agent invoke any model, read any knowledge base and change other agents.",
			Remediation: "Limit the agent role to bedrock:InvokeModel (and InvokeModelWithResponseStream) on the foundation " +
				"models it uses, and to the knowledge bases and action-group functions it needs.",
			Types:       []string{agent},
			Practices:   []evidence.Practice{p("GENSEC05-BP01"), p("AGENTSEC03-BP03"), p("GENSEC01-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_agent_role_least_privilege"}},
			Check:       checkAgentRole,
		},
		{
			ID:       "WL-BR-015",
			Title:    "Each Bedrock agent has its own execution role",
			Severity: evidence.SeverityMedium,
			Description: "Agents that share a role share every permission: one agent's injection reaches the other agents' " +
				"tools and data, and the logs cannot tell them apart.",
			Remediation: "Give every agent its own agent_resource_role_arn with only that agent's permissions.",
			Types:       []string{agent},
			Practices:   []evidence.Practice{p("GENSEC05-BP01"), p("AGENTSEC03-BP03")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_agent_role_not_shared_across_agents"}},
			CheckGraph:  checkSharedAgentRoles,
		},
		{
			ID:       "WL-BR-016",
			Title:    "The AmazonBedrockFullAccess managed policy is not attached",
			Severity: evidence.SeverityHigh,
			Description: "AmazonBedrockFullAccess allows every Bedrock action, including creating and deleting guardrails, " +
				"agents and custom models. Applications and agents need a small part of it.",
			Remediation: "Replace the attachment with a customer managed policy that allows the specific actions and model " +
				"ARNs the principal uses.",
			Types: []string{"aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment",
				"aws_iam_group_policy_attachment", "aws_iam_role"},
			Practices:   []evidence.Practice{p("GENSEC01-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_full_access_policy_attached"}},
			Check:       checkBedrockFullAccess,
		},
	}
}

// compactDimensions is the largest embedding size WL-BR-017 accepts: half of the 1,024 dimensions that Titan Text
// Embeddings V2 and Cohere Embed produce by default.
const compactDimensions = 512

func knowledgeBaseRules() []*evidence.Rule {
	return []*evidence.Rule{{
		ID:       "WL-BR-017",
		Title:    "Knowledge bases store compact embeddings",
		Severity: evidence.SeverityLow,
		Description: "Every chunk's vector is stored, indexed and compared on each query. Embedding models that allow it " +
			"can produce 512 or 256 dimensions, or binary vectors, at a small cost in retrieval quality; full-size " +
			"float vectors multiply storage and search cost for every document.",
		Remediation: "Set bedrock_embedding_model_configuration { dimensions = 512 (or 256) } or embedding_data_type = " +
			"\"BINARY\" (BedrockEmbeddingModelConfiguration), after checking retrieval quality on the team's own " +
			"questions. The setting is fixed when the knowledge base is created.",
		Types:     []string{"aws_bedrockagent_knowledge_base"},
		Practices: []evidence.Practice{s("GENCOST04-BP01"), p("GENPERF04-BP02"), p("GENSUS02-BP01")},
		Check:     checkEmbeddingSize,
	}}
}

func checkEmbeddingSize(c *evidence.Check, r *evidence.Resource) {
	vec := r.Attr("knowledge_base_configuration", "vector_knowledge_base_configuration")
	if vec.IsNull() {
		return // not a vector knowledge base (Kendra, structured data): nothing embedded
	}
	cfg := vec.Get("embedding_model_configuration", "bedrock_embedding_model_configuration")
	dims, typ := cfg.Get("dimensions"), cfg.Get("embedding_data_type")
	switch {
	case strings.EqualFold(typ.Str(), "BINARY"):
		c.Pass(r, typ, "embeddings are stored as binary vectors")
		return
	case dims.IsUnknown():
		c.Unknown(r, dims, "the embedding size is not known statically: %s", dims.Reason())
		return
	case typ.IsUnknown():
		c.Unknown(r, typ, "the embedding data type is not known statically: %s", typ.Reason())
		return
	case !dims.IsSet():
		c.Fail(r, cfg.Or(vec), "no embedding size is set, so the model's full size is stored (1,024 dimensions for the common models)")
		return
	}
	n, ok := dims.Num()
	switch {
	case !ok:
		c.Fail(r, dims, "dimensions %q is not a number", dims.Str())
	case n > compactDimensions:
		c.Fail(r, dims, "embeddings use %g dimensions; %d or fewer, or binary vectors, cut storage and search cost", n, compactDimensions)
	default:
		c.Pass(r, dims, "embeddings use %g dimensions", n)
	}
}

func checkAgentGuardrail(c *evidence.Check, r *evidence.Resource) {
	id := r.Attr("guardrail_configuration", "guardrail_identifier")
	switch {
	case id.IsUnknown() && len(id.References()) == 0:
		c.Unknown(r, id, "the agent's guardrail is not known statically: %s", id.Reason())
		return
	case !id.IsSet():
		c.Fail(r, r.Attr("guardrail_configuration").Or(nil), "the agent has no guardrail")
		return
	}
	var gs []*evidence.Resource
	var base string
	if vs := viaGuardrailVersion(c.Graph, r, id); len(vs) > 0 {
		gs = vs
	} else {
		var ok bool
		if gs, ok = follow(c, r, id, "the agent's guardrail", guardrail); !ok || len(gs) == 0 {
			return // follow reported why the guardrail cannot be read
		}
		gs, base = expandInstances(c.Graph, id, gs)
	}
	var vs []verdict
	for _, g := range gs {
		vs = append(vs, promptAttackVerdict(g, instanceName(g, base)))
	}
	judge(c, r, id, vs, base)
}

// viaGuardrailVersion resolves a guardrail named through a guardrail version resource, which agents often
// reference together with the version number.
func viaGuardrailVersion(g *evidence.Graph, r *evidence.Resource, id *evidence.Value) []*evidence.Resource {
	var out []*evidence.Resource
	for _, ref := range id.References() {
		v := g.Lookup(r.Unit, ref.Address)
		if v == nil || v.Type != "aws_bedrock_guardrail_version" {
			continue
		}
		// guardrail_arn; the CloudFormation source maps GuardrailVersion's GuardrailIdentifier to it.
		out = append(out, g.Follow(v, v.Attr("guardrail_arn"), guardrail).Targets...)
	}
	return out
}

// promptAttackVerdict judges whether a guardrail blocks prompt attacks on input at HIGH strength; name is how
// messages call it.
func promptAttackVerdict(g *evidence.Resource, name string) verdict {
	v := verdict{target: g}
	f, status := filter(g, "PROMPT_ATTACK")
	in := filterLeg(f, "input")
	switch {
	case status == evidence.Undetermined:
		v.status, v.msg = evidence.Undetermined, fmt.Sprintf("guardrail %s: its filters are not known statically (%s)", name, filterWhy(g))
	case status == evidence.Fail:
		v.status, v.msg = evidence.Fail, fmt.Sprintf("the agent's guardrail %s has no PROMPT_ATTACK filter", name)
	case in.unknown != nil:
		v.status, v.msg = evidence.Undetermined, fmt.Sprintf("guardrail %s: the prompt-attack filter on input is not known statically (%s)", name, in.unknown.Reason())
	case in.strength == "HIGH":
		v.status, v.msg = evidence.Pass, fmt.Sprintf("the agent uses guardrail %s, which blocks prompt attacks at HIGH", name)
	default:
		v.status, v.msg = evidence.Fail, fmt.Sprintf("the prompt-attack filter on input of the agent's guardrail %s is %s; it should block at HIGH", name, in.describe())
	}
	return v
}

// verdict is a rule's judgement of one resource a link may lead to.
type verdict struct {
	target *evidence.Resource
	status evidence.Status
	msg    string
}

// instanceName is how messages name a target: its address, or base[*] when the reference does not say which
// instance of base it means.
func instanceName(t *evidence.Resource, base string) string {
	if base != "" && withoutInstanceKey(t.Address) == base {
		return base + "[*]"
	}
	return t.Address
}

// judge reports the verdicts on the targets of attribute at. When base is set, the reference named a counted or
// for_each resource without saying which instance (see expandInstances): a verdict then holds only when every
// instance earns it, and mixed verdicts are unknown.
func judge(c *evidence.Check, r *evidence.Resource, at *evidence.Value, vs []verdict, base string) {
	emit := func(s evidence.Status, msg string) {
		switch s {
		case evidence.Pass:
			c.Pass(r, at, "%s", msg)
		case evidence.Fail:
			c.Fail(r, at, "%s", msg)
		default:
			c.Unknown(r, at, "%s", msg)
		}
	}
	if base == "" {
		for _, v := range vs {
			emit(v.status, v.msg)
		}
		return
	}
	same := true
	var each []string
	for _, v := range vs {
		same = same && v.status == vs[0].status
		each = append(each, fmt.Sprintf("%s %s", v.target.Address, v.status))
	}
	if !same {
		c.Unknown(r, at, "the reference names %s without an instance key, and its instances differ (%s)", base, strings.Join(each, ", "))
		return
	}
	emit(vs[0].status, vs[0].msg+" (the reference does not say which instance; the verdict holds for all of them)")
}

// expandInstances widens the targets of a reference to every instance of a counted or for_each resource when the
// reference does not say which instance it means. The Terraform evaluator records aws_iam_role.agent[each.key].arn
// as a reference to aws_iam_role.agent, which Graph.Follow resolves to the first instance only; judging that one
// instance would be a guess. base is the resource address without its key when the targets were widened to more
// than one instance, else "".
func expandInstances(g *evidence.Graph, v *evidence.Value, targets []*evidence.Resource) ([]*evidence.Resource, string) {
	var out []*evidence.Resource
	base := ""
	for _, t := range targets {
		b := withoutInstanceKey(t.Address)
		if b == t.Address || namesExactly(v, t) {
			out = append(out, t)
			continue
		}
		var all []*evidence.Resource
		for _, x := range g.Resources() {
			if x.Unit == t.Unit && x.Type == t.Type && x.Data == t.Data && withoutInstanceKey(x.Address) == b {
				all = append(all, x)
			}
		}
		if len(all) > 1 {
			base = b
		}
		out = append(out, all...)
	}
	return out, base
}

// namesExactly reports whether a value references a resource by its full address, instance key included, or is
// not a reference at all (a literal name that matched it).
func namesExactly(v *evidence.Value, t *evidence.Resource) bool {
	if len(v.References()) == 0 {
		return true
	}
	for _, ref := range v.References() {
		if ref.Address == t.Address {
			return true
		}
	}
	return false
}

// withoutInstanceKey removes a trailing [0] or ["key"] from an address.
func withoutInstanceKey(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return addr
	}
	if i := strings.LastIndexByte(addr, '['); i > 0 {
		return addr[:i]
	}
	return addr
}

func checkAgentRole(c *evidence.Check, r *evidence.Resource) {
	v := r.Attr("agent_resource_role_arn")
	if !v.IsSet() {
		if v.IsUnknown() {
			c.Unknown(r, v, "the agent's role is not known statically: %s", v.Reason())
		}
		return
	}
	roles, ok := follow(c, r, v, "the agent's role", "aws_iam_role")
	if !ok {
		return
	}
	roles, base := expandInstances(c.Graph, v, roles)
	var vs []verdict
	for _, role := range roles {
		vs = append(vs, agentRoleVerdict(c.Graph, role, instanceName(role, base)))
	}
	judge(c, r, v, vs, base)
}

// agentRoleVerdict judges whether a role is allowed every Bedrock action on every resource.
func agentRoleVerdict(g *evidence.Graph, role *evidence.Resource, name string) verdict {
	perms := rolePermissions(g, role)
	if _, how, bad := perms.grantsService("bedrock"); bad {
		return verdict{role, evidence.Fail, fmt.Sprintf("role %s allows %s", name, how)}
	}
	if n := broadManaged(perms.managed); n != "" {
		return verdict{role, evidence.Fail, fmt.Sprintf("role %s has the %s managed policy attached", name, n)}
	}
	if len(perms.unknown) > 0 {
		return verdict{role, evidence.Undetermined, fmt.Sprintf("role %s: %s", name, perms.unknown[0])}
	}
	return verdict{role, evidence.Pass, fmt.Sprintf("role %s is not allowed every Bedrock action on every resource", name)}
}

func broadManaged(arns []string) string {
	for _, a := range arns {
		switch n := managedPolicyName(a); n {
		case "AdministratorAccess", "AmazonBedrockFullAccess", "PowerUserAccess":
			return n
		}
	}
	return ""
}

func checkSharedAgentRoles(c *evidence.Check, g *evidence.Graph) {
	byRole := map[roleID][]*evidence.Resource{}
	ambiguous := map[roleID]string{}
	var order []roleID
	for _, a := range g.OfType(agent) {
		v := a.Attr("agent_resource_role_arn")
		k, base, ok := roleKey(g, a, v)
		if !ok {
			if v.IsUnknown() {
				c.Unknown(a, v, "the agent's role is not known statically: %s", v.Reason())
			}
			continue
		}
		if byRole[k] == nil {
			order = append(order, k)
		}
		byRole[k] = append(byRole[k], a)
		if base != "" {
			ambiguous[k] = base
		}
	}
	for _, k := range order {
		agents := byRole[k]
		for _, a := range agents {
			at := a.Attr("agent_resource_role_arn")
			if len(agents) == 1 {
				c.Pass(a, at, "the agent's role is used by no other agent")
				continue
			}
			var others []string
			for _, o := range agents {
				if o != a {
					others = append(others, o.Address)
				}
			}
			if base := ambiguous[k]; base != "" {
				c.Unknown(a, at, "the agent and %s name instances of %s without saying which, so walens cannot tell whether they share one", strings.Join(others, ", "), base)
				continue
			}
			c.Fail(a, at, "the agent shares its role with %s", strings.Join(others, ", "))
		}
	}
}

// roleID identifies a role across agents: by name where it is known (names are unique in an account), else by
// unit and address.
type roleID struct{ unit, id string }

// roleKey identifies the role an agent's agent_resource_role_arn names, so that agents naming the same role by
// reference and by literal ARN are seen to share it. Role names are unique in an account, so a role whose name is
// known is keyed by it; a referenced role of unknown name by its address. base is set when the reference names a
// counted or for_each role without its instance key (see expandInstances).
func roleKey(g *evidence.Graph, a *evidence.Resource, v *evidence.Value) (k roleID, base string, ok bool) {
	if len(v.References()) > 0 {
		link := g.Follow(a, v, "aws_iam_role")
		if len(link.Targets) == 0 {
			return roleID{a.Unit, v.References()[0].Address}, "", true
		}
		role := link.Targets[0]
		if _, b := expandInstances(g, v, link.Targets[:1]); b != "" {
			return roleID{a.Unit, b}, b, true
		}
		if n := role.Attr("name"); n.K() == evidence.String && n.Str() != "" {
			return roleID{"", n.Str()}, "", true
		}
		return roleID{a.Unit, role.Address}, "", true
	}
	if v.K() == evidence.String && v.Str() != "" {
		return roleID{"", managedPolicyName(v.Str())}, "", true // arn:aws:iam::123456789012:role/path/name -> name
	}
	return roleID{}, "", false
}

func checkBedrockFullAccess(c *evidence.Check, r *evidence.Resource) {
	attr := "policy_arn"
	if r.Type == "aws_iam_role" {
		attr = "managed_policy_arns"
	}
	arns := r.Attr(attr).Items()
	if attr == "policy_arn" {
		arns = []*evidence.Value{r.Attr(attr)}
	}
	var unknown *evidence.Value
	for _, a := range arns {
		name, known := attachedPolicyName(c.Graph, r, a)
		switch {
		case !known:
			if unknown == nil {
				unknown = a
			}
		case name == "AmazonBedrockFullAccess":
			c.Fail(r, a, "AmazonBedrockFullAccess is attached")
			return
		}
	}
	switch {
	case unknown != nil:
		c.Unknown(r, unknown, "the attached policy is not known statically: %s", unknown.Reason())
	case r.Type != "aws_iam_role" || len(arns) > 0:
		c.Pass(r, r.Attr(attr), "AmazonBedrockFullAccess is not attached")
	}
}

// attachedPolicyName returns the name of an AWS managed policy an attachment names: from a literal ARN, or from a
// data "aws_iam_policy" that looks it up. A customer managed policy declared in the code (aws_iam_policy) is never
// the AWS managed one, whatever its name; it comes back as "". known is false when the ARN cannot be read: built
// from a data source such as aws_partition, say.
func attachedPolicyName(g *evidence.Graph, from *evidence.Resource, arn *evidence.Value) (name string, known bool) {
	if arn.K() == evidence.String {
		if strings.Contains(arn.Str(), ":iam::aws:policy/") || !strings.HasPrefix(arn.Str(), "arn:") {
			return managedPolicyName(arn.Str()), true
		}
		return "", true // a customer managed policy of some account
	}
	targets := g.Follow(from, arn, "aws_iam_policy").Targets
	if len(targets) == 0 {
		return "", !arn.IsSet()
	}
	for _, t := range targets {
		if !t.Data {
			continue
		}
		n, ok := dataPolicyName(t)
		if !ok {
			return "", false
		}
		if managedPolicyName(n) == "AmazonBedrockFullAccess" {
			return "AmazonBedrockFullAccess", true
		}
	}
	return "", true
}

// checkInvocationLogging requires a logging configuration with a destination in every Region that uses Bedrock.
func checkInvocationLogging(c *evidence.Check, g *evidence.Graph) {
	users := g.OfType(bedrockTypes...)
	if len(users) == 0 {
		return
	}
	configs := g.OfType("aws_bedrock_model_invocation_logging_configuration")
	// A configuration counts when it sends text to a destination. text_data_delivery_enabled defaults to true.
	var valid, undecided []*evidence.Resource
	for _, lc := range configs {
		lcfg := lc.Attr("logging_config")
		dest := lcfg.Get("cloudwatch_config", "log_group_name").IsSet() || lcfg.Get("s3_config", "bucket_name").IsSet()
		text := lcfg.Get("text_data_delivery_enabled")
		if b, ok := text.Bool(); ok && !b {
			c.Fail(lc, text, "invocation logging does not deliver text data, so prompts and answers are not logged")
			continue
		}
		if !dest {
			c.Fail(lc, lcfg.Or(nil), "invocation logging has no CloudWatch or S3 destination")
			continue
		}
		if text.IsUnknown() {
			c.Unknown(lc, text, "whether invocation logging delivers text data is not known statically: %s", text.Reason())
			undecided = append(undecided, lc)
			continue
		}
		valid = append(valid, lc)
	}
	for _, u := range users {
		lc, status := sameRegion(u, valid)
		switch status {
		case evidence.Pass:
			c.Pass(u, nil, "invocation logging is configured by %s", lc.Address)
			continue
		case evidence.Undetermined:
			c.Unknown(u, nil, "invocation logging is configured by %s, but the Regions cannot be compared statically", valid[0].Address)
			continue
		}
		if lc, st := sameRegion(u, undecided); st != evidence.Fail {
			name := undecided[0].Address
			if lc != nil {
				name = lc.Address
			}
			c.Unknown(u, nil, "invocation logging is configured by %s, but whether it logs text is not known statically", name)
			continue
		}
		switch {
		case len(configs) == 0:
			c.Fail(u, nil, "no Bedrock model invocation logging configuration is declared in the scanned code")
		case len(valid) == 0:
			c.Fail(u, nil, "no invocation logging configuration in the scanned code delivers text data to a destination")
		default:
			c.Fail(u, nil, "no invocation logging configuration is declared in Region %s", u.Region.Str())
		}
	}
}

// sameRegion finds a resource among candidates in the same Region as r. Logging configuration is per Region.
// Resources configured by the same provider are in the same Region even when the code does not say which (the
// provider takes it from the environment): the Terraform source gives them the very same Region value.
func sameRegion(r *evidence.Resource, candidates []*evidence.Resource) (*evidence.Resource, evidence.Status) {
	if len(candidates) == 0 {
		return nil, evidence.Fail
	}
	for _, c := range candidates {
		if r.Region != nil && c.Region == r.Region && c.Unit == r.Unit {
			return c, evidence.Pass
		}
	}
	if r.Region.K() != evidence.String {
		return nil, evidence.Undetermined
	}
	unknown := false
	for _, c := range candidates {
		switch {
		case c.Region.K() != evidence.String:
			unknown = true
		case c.Region.Str() == r.Region.Str():
			return c, evidence.Pass
		}
	}
	if unknown {
		return nil, evidence.Undetermined
	}
	return nil, evidence.Fail
}

func checkLogEncryption(c *evidence.Check, r *evidence.Resource) {
	lcfg := r.Attr("logging_config")
	// Every place Bedrock writes prompts and answers: the log group, the bucket, and the bucket CloudWatch delivery
	// uses for payloads too large for a log event.
	dests := []struct {
		what string
		v    *evidence.Value
		typ  string
	}{
		{"log group", lcfg.Get("cloudwatch_config", "log_group_name"), "aws_cloudwatch_log_group"},
		{"large-data bucket", lcfg.Get("cloudwatch_config", "large_data_delivery_s3_config", "bucket_name"), "aws_s3_bucket"},
		{"bucket", lcfg.Get("s3_config", "bucket_name"), "aws_s3_bucket"},
	}
	checked := 0
	for _, d := range dests {
		if !d.v.IsSet() {
			continue
		}
		checked++
		targets, ok := follow(c, r, d.v, d.what, d.typ)
		if !ok {
			return
		}
		targets, base := expandInstances(c.Graph, d.v, targets)
		var vs []verdict
		for _, t := range targets {
			vs = append(vs, destinationVerdict(c.Graph, d.what, t, instanceName(t, base)))
		}
		for _, v := range vs {
			if v.status == evidence.Pass {
				continue
			}
			// Report the first problem only: one finding per configuration, at the destination that has it.
			judge(c, r, d.v, vs, base)
			return
		}
	}
	if checked == 0 {
		return // WL-BR-009 reports a configuration without destinations
	}
	c.Pass(r, lcfg, "every log destination is encrypted with a KMS key")
}

// destinationVerdict judges whether an invocation log destination is encrypted with KMS.
func destinationVerdict(g *evidence.Graph, what string, t *evidence.Resource, name string) verdict {
	v := verdict{target: t, status: evidence.Pass, msg: fmt.Sprintf("%s %s is encrypted with a KMS key", what, name)}
	if t.Type == "aws_cloudwatch_log_group" {
		kms := t.Attr("kms_key_id")
		switch {
		case kms.IsUnknown() && len(kms.References()) == 0:
			v.status, v.msg = evidence.Undetermined, fmt.Sprintf("the key of %s %s is not known statically: %s", what, name, kms.Reason())
		case !kms.IsSet():
			v.status, v.msg = evidence.Fail, fmt.Sprintf("%s %s is not encrypted with a KMS key", what, name)
		}
		return v
	}
	switch bucketKMS(g, t) {
	case evidence.Undetermined:
		v.status, v.msg = evidence.Undetermined, fmt.Sprintf("the encryption of %s %s is not known statically", what, name)
	case evidence.Fail:
		v.status, v.msg = evidence.Fail, fmt.Sprintf("%s %s does not use KMS encryption by default", what, name)
	}
	return v
}

// bucketKMS tells whether a bucket's default encryption uses KMS: from a separate
// aws_s3_bucket_server_side_encryption_configuration, the bucket's own (older) block, or CloudFormation's
// BucketEncryption.
func bucketKMS(g *evidence.Graph, b *evidence.Resource) evidence.Status {
	algos := []*evidence.Value{}
	for _, sse := range g.OfType("aws_s3_bucket_server_side_encryption_configuration") {
		if linksTo(g, sse, sse.Attr("bucket"), b) {
			for _, rule := range sse.Attr("rule").Items() {
				algos = append(algos, rule.Get("apply_server_side_encryption_by_default", "sse_algorithm"))
			}
		}
	}
	for _, rule := range b.Attr("server_side_encryption_configuration", "rule").Items() {
		algos = append(algos, rule.Get("apply_server_side_encryption_by_default", "sse_algorithm"))
	}
	for _, rule := range b.Attr("bucket_encryption", "server_side_encryption_configuration").Items() {
		algos = append(algos, rule.Get("server_side_encryption_by_default", "sse_algorithm"))
	}
	if len(algos) == 0 {
		return evidence.Fail
	}
	for _, a := range algos {
		if a.IsUnknown() {
			return evidence.Undetermined
		}
		if strings.HasPrefix(strings.ToLower(a.Str()), "aws:kms") {
			return evidence.Pass
		}
	}
	return evidence.Fail
}
