package rules

import (
	"regexp"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// monitoringJobTypes are the job definitions a monitoring schedule can run. Terraform has only the data-quality one;
// CloudFormation has all four.
var monitoringJobTypes = []string{
	"aws_sagemaker_data_quality_job_definition", "aws_sagemaker_model_quality_job_definition",
	"aws_sagemaker_model_bias_job_definition", "aws_sagemaker_model_explainability_job_definition",
}

// jobPrefix maps a job definition type to the prefix of its input and output blocks.
var jobPrefix = map[string]string{
	"aws_sagemaker_data_quality_job_definition":         "data_quality",
	"aws_sagemaker_model_quality_job_definition":        "model_quality",
	"aws_sagemaker_model_bias_job_definition":           "model_bias",
	"aws_sagemaker_model_explainability_job_definition": "model_explainability",
}

func sagemakerRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-SM-008",
			Title:    "SageMaker domains encrypt their storage with a customer managed KMS key",
			Severity: evidence.SeverityMedium,
			Description: "A Studio domain's shared file system holds every user's notebooks and data extracts. A customer " +
				"managed key lets the team control and audit who can decrypt it.",
			Remediation: "Set kms_key_id (KmsKeyId) on the domain to a customer managed key.",
			Types:       []string{"aws_sagemaker_domain"},
			Practices:   []evidence.Practice{p("MLSEC02-BP01")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_187"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "storage encryption with a customer managed key", "kms_key_id")
			},
		},
		{
			ID:       "WL-SM-009",
			Title:    "SageMaker domains send traffic through the VPC only",
			Severity: evidence.SeverityHigh,
			Description: "In the default PublicInternetOnly mode, Studio apps reach the internet through SageMaker's own " +
				"network, bypassing the VPC's security groups, endpoints and egress controls.",
			Remediation: "Set app_network_access_type = \"VpcOnly\" (AppNetworkAccessType: VpcOnly) with private subnets and " +
				"VPC endpoints for the AWS services the domain uses.",
			Types:     []string{"aws_sagemaker_domain"},
			Practices: []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC04-BP01")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireString(r, "VpcOnly", "PublicInternetOnly", "app_network_access_type")
			},
		},
		{
			ID:       "WL-SM-010",
			Title:    "SageMaker domains authenticate users through IAM Identity Center",
			Severity: evidence.SeverityMedium,
			Description: "With IAM authentication, access to Studio follows whoever can call the presigned-URL API. Identity " +
				"Center ties each user profile to a person in the organisation's directory, with its lifecycle and MFA.",
			Remediation: "Set auth_mode = \"SSO\" (AuthMode: SSO) and assign users and groups through IAM Identity Center.",
			Types:       []string{"aws_sagemaker_domain"},
			Practices:   []evidence.Practice{p("MLSEC03-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_domain_sso_configured"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireString(r, "SSO", "", "auth_mode")
			},
		},
		{
			ID:       "WL-SM-011",
			Title:    "SageMaker models run with network isolation",
			Severity: evidence.SeverityHigh,
			Description: "A model container without network isolation can make outbound calls, so compromised model code or a " +
				"poisoned dependency can send inference data out. Isolation removes the container's network access.",
			Remediation: "Set enable_network_isolation = true (EnableNetworkIsolation: true); containers that need data get it " +
				"through SageMaker's channels, not their own calls.",
			Types:     []string{"aws_sagemaker_model"},
			Practices: []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC04-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_370"},
				Prowler: []string{"sagemaker_models_network_isolation_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireBool(r, true, false, "enable_network_isolation")
			},
		},
		{
			ID:       "WL-SM-012",
			Title:    "SageMaker models run in a VPC",
			Severity: evidence.SeverityMedium,
			Description: "Without a VPC configuration, hosted model containers run in a network SageMaker manages, outside the " +
				"team's security groups and VPC endpoints.",
			Remediation: "Set vpc_config { subnets, security_group_ids } (VpcConfig) to private subnets.",
			Types:       []string{"aws_sagemaker_model"},
			Practices:   []evidence.Practice{p("MLSEC03-BP02")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_models_vpc_settings_configured"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireSet(r, "VPC placement", "vpc_config", "subnets")
			},
		},
		{
			ID:       "WL-SM-013",
			Title:    "SageMaker model images come from ECR and artefacts from S3",
			Severity: evidence.SeverityMedium,
			Description: "Images pulled from public registries and artefacts from arbitrary URLs bypass the team's scanning " +
				"and approval. A private ECR repository and an S3 bucket keep the supply chain under the team's control.",
			Remediation: "Push serving images to a private ECR repository (scanned on push) and store model artefacts in an S3 " +
				"bucket the team controls; point image and model_data_url at them.",
			Types:     []string{"aws_sagemaker_model"},
			Practices: []evidence.Practice{p("MLOPS04-BP02"), p("MLSEC04-BP03")},
			Check:     checkModelSources,
		},
		{
			ID:       "WL-SM-021",
			Title:    "SageMaker monitoring jobs encrypt their output with a KMS key",
			Severity: evidence.SeverityMedium,
			Description: "Monitoring reports contain statistics of live inference data. Encrypting them with a customer " +
				"managed key keeps them under the same control as the data they describe.",
			Remediation: "Set the job definition's output config kms_key_id (…JobOutputConfig.KmsKeyId).",
			Types:       monitoringJobTypes,
			Practices:   []evidence.Practice{p("MLSEC02-BP01"), p("RAIMON01-BP03")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_367"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "output encryption", jobPrefix[r.Type]+"_job_output_config", "kms_key_id")
			},
		},
		{
			ID:          "WL-SM-022",
			Title:       "SageMaker monitoring jobs encrypt their storage volumes with a KMS key",
			Severity:    evidence.SeverityMedium,
			Description: "Monitoring jobs copy captured inference data to the instance's volume while they run.",
			Remediation: "Set job_resources { cluster_config { volume_kms_key_id } } (JobResources.ClusterConfig.VolumeKmsKeyId).",
			Types:       monitoringJobTypes,
			Practices:   []evidence.Practice{p("MLSEC02-BP01")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_368"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "volume encryption", "job_resources", "cluster_config", "volume_kms_key_id")
			},
		},
		{
			ID:       "WL-SM-023",
			Title:    "SageMaker monitoring jobs encrypt traffic between their instances",
			Severity: evidence.SeverityMedium,
			Description: "Distributed monitoring jobs exchange data between instances; without inter-container encryption " +
				"that traffic crosses the network in clear text.",
			Remediation: "Set network_config { enable_inter_container_traffic_encryption = true } " +
				"(NetworkConfig.EnableInterContainerTrafficEncryption: true).",
			Types:       monitoringJobTypes,
			Practices:   []evidence.Practice{p("MLSEC04-BP02")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_369"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				c.RequireBool(r, true, false, "network_config", "enable_inter_container_traffic_encryption")
			},
		},
		{
			ID:       "WL-SM-024",
			Title:    "SageMaker human review workflows encrypt their output with a KMS key",
			Severity: evidence.SeverityMedium,
			Description: "Human review (Augmented AI) output holds the items reviewers saw and their judgements, often " +
				"sensitive records the model was unsure about.",
			Remediation: "Set output_config { kms_key_id } (OutputConfig.KmsKeyId) on the flow definition.",
			Types:       []string{"aws_sagemaker_flow_definition"},
			Practices:   []evidence.Practice{p("MLSEC02-BP01")},
			Equivalents: evidence.Equivalents{Checkov: []string{"CKV_AWS_372"}},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				requireCustomerKey(c, r, "output encryption", "output_config", "kms_key_id")
			},
		},
		{
			ID:       "WL-SM-030",
			Title:    "SageMaker models are versioned in a model registry",
			Severity: evidence.SeverityLow,
			Description: "A model package group records every model version with its lineage and approval status, so the " +
				"team can tell what is deployed, roll back, and gate releases on approval.",
			Remediation: "Declare an aws_sagemaker_model_package_group (AWS::SageMaker::ModelPackageGroup) and register " +
				"each trained model in it from the training pipeline; deploy only approved versions.",
			Types:       []string{"aws_sagemaker_model", "aws_sagemaker_endpoint"},
			Practices:   []evidence.Practice{p("MLOPS02-BP04"), p("MLREL05-BP02"), p("MLOPS03-BP02")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_models_registry_in_use"}},
			CheckGraph:  checkRegistry,
		},
	}
}

// ecrImageRE matches private ECR image URIs, including the China and GovCloud partitions' domains.
var ecrImageRE = regexp.MustCompile(`^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

// s3HTTPSRE matches HTTPS URLs of S3 objects (virtual-hosted or path style, regional or not), which SageMaker
// accepts for model artefacts as it does s3:// URIs.
var s3HTTPSRE = regexp.MustCompile(`^https://([a-z0-9.-]+\.)?s3([.-][a-z0-9-]+){0,2}\.amazonaws\.com(\.cn)?/`)

// ecrTypes are the resources and data sources whose attributes name images in ECR: a repository the team declares,
// an image in one, or one of SageMaker's prebuilt images, which AWS publishes in its own ECR repositories.
var ecrTypes = []string{"aws_ecr_repository", "aws_ecr_image", "aws_sagemaker_prebuilt_ecr_image"}

// s3Types are the resources and data sources whose attributes name S3 locations.
var s3Types = []string{"aws_s3_bucket", "aws_s3_object", "aws_s3_bucket_object"}

func checkModelSources(c *evidence.Check, r *evidence.Resource) {
	containers := append(r.Attr("primary_container").Items(), r.Attr("container").Items()...)
	containers = append(containers, r.Attr("containers").Items()...)
	if len(containers) == 0 {
		c.Unknown(r, nil, "the model declares no container, so its image cannot be checked")
		return
	}
	for _, ct := range containers {
		img := ct.Get("image")
		switch {
		case img.IsUnknown():
			// An image read from an ECR repository, an ECR image or a SageMaker prebuilt image is in ECR by
			// construction, whatever its tag.
			if link := c.Graph.Follow(r, img, ecrTypes...); len(link.Targets) == 0 {
				c.Unknown(r, img, "the container image is not known statically: %s", img.Reason())
				continue
			}
		case !img.IsSet():
			// Marketplace model packages have no image; nothing to check here.
		case !ecrImageRE.MatchString(img.Str()):
			c.Fail(r, img, "the container image %q is not in a private ECR repository", img.Str())
			continue
		}
		if !checkArtefact(c, r, ct.Get("model_data_url")) ||
			!checkArtefact(c, r, ct.Get("model_data_source", "s3_data_source", "s3_uri")) {
			continue
		}
		c.Pass(r, img.Or(ct), "the image is in ECR and artefacts, if any, come from S3")
	}
}

// checkArtefact reports a model artefact location that is not in S3, or cannot be read, and returns whether the
// location is fine (in S3, or absent).
func checkArtefact(c *evidence.Check, r *evidence.Resource, v *evidence.Value) bool {
	switch {
	case v.IsUnknown():
		if link := c.Graph.Follow(r, v, s3Types...); len(link.Targets) > 0 {
			return true // built from a bucket or object declared in the code
		}
		c.Unknown(r, v, "the model artefact location is not known statically: %s", v.Reason())
		return false
	case v.K() == evidence.String && v.IsSet():
		if u := v.Str(); !strings.HasPrefix(u, "s3://") && !s3HTTPSRE.MatchString(u) {
			c.Fail(r, v, "model artefacts come from %q, not from S3", u)
			return false
		}
	}
	return true
}

func checkRegistry(c *evidence.Check, g *evidence.Graph) {
	models := g.OfType("aws_sagemaker_model", "aws_sagemaker_endpoint")
	if len(models) == 0 {
		return
	}
	groups := g.OfType("aws_sagemaker_model_package_group")
	if len(groups) == 0 {
		for _, m := range models {
			c.Fail(m, nil, "no model package group is declared in the scanned code, so model versions are not registered")
		}
		return
	}
	for _, m := range models {
		c.Pass(m, nil, "model package group %s is declared", groups[0].Address)
	}
}
