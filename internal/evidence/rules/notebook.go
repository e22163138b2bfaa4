package rules

import (
	"encoding/base64"
	"regexp"

	"github.com/walens/walens/internal/evidence"
)

const notebook = "aws_sagemaker_notebook_instance"

func notebookRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-SM-001",
			Title:    "SageMaker notebook instances have direct internet access disabled",
			Severity: evidence.SeverityHigh,
			Description: "A notebook with direct internet access can reach, and be reached from, the internet outside the " +
				"VPC's controls, so training data and credentials on it can leave without passing any egress filter. " +
				"SageMaker enables direct access unless told otherwise.",
			Remediation: "Set direct_internet_access = \"Disabled\" (DirectInternetAccess: Disabled) and place the notebook " +
				"in a private subnet; reach package mirrors and AWS APIs through VPC endpoints or a NAT with egress rules.",
			Types:     []string{notebook},
			Practices: []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC04-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_122"},
				KICS:    []string{"88d55d94-315d-4564-beee-d2d725feab11", "f3g4h5i6-j7k8-9lmn-0opq-12345abcdefg"},
				Prowler: []string{"sagemaker_notebook_instance_without_direct_internet_access_configured"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireString(r, "Disabled", "Enabled", "direct_internet_access")
			},
		},
		{
			ID:       "WL-SM-002",
			Title:    "SageMaker notebook instances do not give users root access",
			Severity: evidence.SeverityMedium,
			Description: "Root on a notebook lets any user install unvetted software, change the instance's security settings " +
				"and read other users' files. SageMaker grants root unless it is turned off.",
			Remediation: "Set root_access = \"Disabled\" (RootAccess: Disabled); install the packages people need through a " +
				"lifecycle configuration or a custom image instead.",
			Types:     []string{notebook},
			Practices: []evidence.Practice{p("MLSEC03-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_307"},
				Prowler: []string{"sagemaker_notebook_instance_root_access_disabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireString(r, "Disabled", "Enabled", "root_access")
			},
		},
		{
			ID:       "WL-SM-003",
			Title:    "SageMaker notebook instance storage is encrypted with a customer managed KMS key",
			Severity: evidence.SeverityHigh,
			Description: "The notebook's ML storage volume holds copies of training data and model artefacts. With an AWS " +
				"owned key, the team cannot control, audit or revoke who decrypts it.",
			Remediation: "Set kms_key_id (KmsKeyId) to a customer managed key whose policy limits use to the notebook's role.",
			Types:       []string{notebook},
			Practices:   []evidence.Practice{p("MLSEC02-BP01"), p("MLSEC03-BP02")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_22", "CKV_AWS_187"},
				KICS:    []string{"f3674e0c-f6be-43fa-b71c-bf346d1aed99", "709e6da6-fa1f-44cc-8f17-7f25f96dadbe"},
				Prowler: []string{"sagemaker_notebook_instance_encryption_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "storage encryption with a customer managed key", "kms_key_id")
			},
		},
		{
			ID:       "WL-SM-004",
			Title:    "SageMaker notebook instances run in a VPC subnet",
			Severity: evidence.SeverityMedium,
			Description: "Without a subnet, a notebook runs in a network SageMaker manages, outside the team's security " +
				"groups, flow logs and VPC endpoints.",
			Remediation: "Set subnet_id (SubnetId) to a private subnet and security_groups (SecurityGroupIds) to groups that " +
				"allow only the traffic the notebook needs.",
			Types:     []string{notebook},
			Practices: []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC04-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_306"},
				KICS:    []string{"9c7028d9-04c2-45be-b8b2-1188ccaefb36"},
				Prowler: []string{"sagemaker_notebook_instance_vpc_settings_configured"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireSet(r, "VPC placement", "subnet_id")
			},
		},
		{
			ID:       "WL-SM-005",
			Title:    "SageMaker notebook instances allow only IMDSv2",
			Severity: evidence.SeverityMedium,
			Description: "Version 1 of the instance metadata service answers any request from the instance, so a server-side " +
				"request forgery in notebook code can read the role's credentials. Version 2 requires a session token.",
			Remediation: "Set instance_metadata_service_configuration { minimum_instance_metadata_service_version = \"2\" } " +
				"(InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion: \"2\").",
			Types:       []string{notebook},
			Practices:   []evidence.Practice{p("MLSEC03-BP02")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_371"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireString(r, "2", "1", "instance_metadata_service_configuration", "minimum_instance_metadata_service_version")
			},
		},
		{
			ID:       "WL-SM-006",
			Title:    "SageMaker notebook instances stop themselves when idle",
			Severity: evidence.SeverityMedium,
			Description: "Notebook instances bill by the hour whether anyone uses them or not; forgotten notebooks are a " +
				"common source of ML waste in money and energy. A lifecycle configuration that stops an idle instance " +
				"removes that waste without relying on people.",
			Remediation: "Attach a lifecycle configuration (lifecycle_config_name) whose on-start script installs an idle " +
				"check, such as the auto-stop script from the SageMaker lifecycle configuration samples, with a timeout " +
				"that suits the team.",
			Types:     []string{notebook},
			Practices: []evidence.Practice{s("MLCOST04-BP08"), s("MLSUS03-BP01")},
			Check:     checkNotebookAutoStop,
		},
		{
			ID:       "WL-SM-007",
			Title:    "SageMaker notebook execution roles are not allowed every action on every resource",
			Severity: evidence.SeverityHigh,
			Description: "Code in a notebook runs with the notebook's role. A role that allows all actions on all resources " +
				"turns any notebook user, or any package they install, into an account administrator.",
			Remediation: "Give the notebook a role scoped to the buckets, keys and SageMaker actions the work needs; remove " +
				"statements with Action \"*\" and Resource \"*\" and detach AdministratorAccess.",
			Types:       []string{notebook},
			Practices:   []evidence.Practice{p("MLSEC03-BP01")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV2_AWS_68"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				checkRoleNotAdmin(c, r, r.Attr("role_arn"), "the notebook's role")
			},
		},
	}
}

// idleStopRE recognises an idle shutdown in a lifecycle script: the SageMaker auto-stop sample and its variants.
var idleStopRE = regexp.MustCompile(`(?i)auto-?stop|idle[-_ ]?(time|timeout|shutdown|check)|stop-notebook-instance`)

func checkNotebookAutoStop(c *evidence.Check, r *evidence.Resource) {
	name := r.Attr("lifecycle_config_name")
	if !name.IsSet() {
		if name.IsUnknown() {
			c.Unknown(r, name, "lifecycle_config_name is not known statically: %s", name.Reason())
			return
		}
		c.Fail(r, name, "no lifecycle configuration is attached, so nothing stops the notebook when it is idle")
		return
	}
	configs, ok := follow(c, r, name, "lifecycle configuration", "aws_sagemaker_notebook_instance_lifecycle_configuration")
	if !ok {
		return
	}
	for _, lc := range configs {
		for _, attr := range []string{"on_start", "on_create"} {
			for _, script := range lc.Attr(attr).Items() {
				content := script
				if script.K() == evidence.Object { // CloudFormation: OnStart: [{Content: ...}]
					content = script.Get("content")
				}
				if content.IsUnknown() {
					c.Unknown(r, content, "the %s script of %s is not known statically: %s", attr, lc.Address, content.Reason())
					return
				}
				text := content.Str()
				if b, err := base64.StdEncoding.DecodeString(text); err == nil {
					text = string(b)
				}
				if idleStopRE.MatchString(text) {
					c.Pass(r, name, "lifecycle configuration %s stops the notebook when it is idle", lc.Address)
					return
				}
			}
		}
		c.Fail(r, name, "lifecycle configuration %s has no idle shutdown in its scripts", lc.Address)
	}
}

// checkRoleNotAdmin fails when the role named by v is allowed every action on every resource.
func checkRoleNotAdmin(c *evidence.Check, r *evidence.Resource, v *evidence.Value, what string) {
	if !v.IsSet() {
		if v.IsUnknown() {
			c.Unknown(r, v, "%s is not known statically: %s", what, v.Reason())
		}
		return // a missing role is reported by the provider, not by walens
	}
	roles, ok := follow(c, r, v, what, "aws_iam_role")
	if !ok {
		return
	}
	for _, role := range roles {
		perms := rolePermissions(c.Graph, role)
		if _, bad := perms.grants("*", "*:*"); bad {
			c.Fail(r, v, "%s %s allows every action on every resource", what, role.Address)
			continue
		}
		if adm := adminManaged(perms.managed); adm != "" {
			c.Fail(r, v, "%s %s has the %s managed policy attached", what, role.Address, adm)
			continue
		}
		if len(perms.unknown) > 0 {
			c.Unknown(r, v, "%s %s: %s", what, role.Address, perms.unknown[0])
			continue
		}
		c.Pass(r, v, "%s %s is not allowed every action on every resource", what, role.Address)
	}
}

func adminManaged(arns []string) string {
	for _, a := range arns {
		if managedPolicyName(a) == "AdministratorAccess" {
			return "AdministratorAccess"
		}
	}
	return ""
}
