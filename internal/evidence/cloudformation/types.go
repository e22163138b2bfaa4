package cloudformation

import "strings"

// typeInfo says how one CloudFormation resource type maps onto the Terraform AWS provider, which is the vocabulary
// walens rules are written in.
type typeInfo struct {
	// tf is the Terraform resource type. Where Terraform has no such resource, it is the name Terraform would use
	// (aws_ + service + snake_case type), so that rules can still be written for it.
	tf string
	// rename gives the Terraform argument name of properties whose snake_case name differs from Terraform's. Keys
	// are property paths in CloudFormation's names, joined with dots; lists do not add a step, so
	// "SecurityGroupIngress.IpProtocol" is the IpProtocol of every ingress rule.
	rename map[string]string
	// pairs are property paths written as a list of {Name, Value} objects that Terraform takes as a map.
	pairs []string
	// verbatim are property names (at any depth) whose values are documents or maps keyed by the user, on top of
	// the ones every type has (see verbatimProps): their keys are kept as written.
	verbatim []string
	// ref is the property that Ref returns when the template sets it: for these types Ref gives the resource's
	// name, and a name written in the template is the name the resource gets.
	ref string
	// getAtt maps attributes that return a property as the template sets it (Endpoint.EndpointName) to that property.
	getAtt map[string]string
}

// types maps CloudFormation resource types to their Terraform counterparts. Types not listed keep their CloudFormation
// name; their properties are still put in snake_case.
//
// The renames align the names of identifying and security-relevant arguments with the Terraform provider's:
//
//	AWS::SageMaker::EndpointConfig   EndpointConfigName -> name, KmsKeyId -> kms_key_arn
//	AWS::SageMaker::Endpoint         EndpointName -> name
//	AWS::SageMaker::Model            ModelName -> name, Containers -> container
//	AWS::SageMaker::NotebookInstance NotebookInstanceName -> name, SecurityGroupIds -> security_groups,
//	                                 VolumeSizeInGB -> volume_size
//	AWS::IAM::Role                   RoleName -> name, AssumeRolePolicyDocument -> assume_role_policy (an object)
//	AWS::IAM::Policy, ManagedPolicy  PolicyName/ManagedPolicyName -> name, PolicyDocument -> policy (an object)
//	AWS::KMS::Key                    KeyPolicy -> policy, PendingWindowInDays -> deletion_window_in_days, ...
//
// and so on below. Everything else already matches once in snake_case (DataCaptureConfig -> data_capture_config).
var types = map[string]typeInfo{
	// Amazon SageMaker AI.
	"AWS::SageMaker::App":            {tf: "aws_sagemaker_app"},
	"AWS::SageMaker::CodeRepository": {tf: "aws_sagemaker_code_repository"},
	"AWS::SageMaker::DataQualityJobDefinition": {tf: "aws_sagemaker_data_quality_job_definition",
		rename: map[string]string{"JobDefinitionName": "name"}},
	"AWS::SageMaker::Domain": {tf: "aws_sagemaker_domain"},
	"AWS::SageMaker::Endpoint": {tf: "aws_sagemaker_endpoint",
		rename: map[string]string{"EndpointName": "name"},
		getAtt: map[string]string{"EndpointName": "EndpointName"}},
	"AWS::SageMaker::EndpointConfig": {tf: "aws_sagemaker_endpoint_configuration",
		rename: map[string]string{"EndpointConfigName": "name", "KmsKeyId": "kms_key_arn"},
		getAtt: map[string]string{"EndpointConfigName": "EndpointConfigName"}},
	"AWS::SageMaker::FeatureGroup": {tf: "aws_sagemaker_feature_group",
		rename: map[string]string{"FeatureDefinitions": "feature_definition"}},
	"AWS::SageMaker::Image": {tf: "aws_sagemaker_image",
		rename: map[string]string{"ImageRoleArn": "role_arn", "ImageDisplayName": "display_name", "ImageDescription": "description"}},
	"AWS::SageMaker::InferenceComponent": {tf: "aws_sagemaker_inference_component"},
	"AWS::SageMaker::Model": {tf: "aws_sagemaker_model",
		rename: map[string]string{"ModelName": "name", "Containers": "container"},
		getAtt: map[string]string{"ModelName": "ModelName"}},
	"AWS::SageMaker::ModelBiasJobDefinition": {tf: "aws_sagemaker_model_bias_job_definition",
		rename: map[string]string{"JobDefinitionName": "name"}},
	"AWS::SageMaker::ModelCard": {tf: "aws_sagemaker_model_card"},
	"AWS::SageMaker::ModelExplainabilityJobDefinition": {tf: "aws_sagemaker_model_explainability_job_definition",
		rename: map[string]string{"JobDefinitionName": "name"}},
	"AWS::SageMaker::ModelPackageGroup": {tf: "aws_sagemaker_model_package_group"},
	"AWS::SageMaker::ModelQualityJobDefinition": {tf: "aws_sagemaker_model_quality_job_definition",
		rename: map[string]string{"JobDefinitionName": "name"}},
	"AWS::SageMaker::MonitoringSchedule": {tf: "aws_sagemaker_monitoring_schedule",
		rename: map[string]string{"MonitoringScheduleName": "name"}},
	"AWS::SageMaker::NotebookInstance": {tf: "aws_sagemaker_notebook_instance",
		rename: map[string]string{"NotebookInstanceName": "name", "SecurityGroupIds": "security_groups", "VolumeSizeInGB": "volume_size"},
		getAtt: map[string]string{"NotebookInstanceName": "NotebookInstanceName"}},
	"AWS::SageMaker::NotebookInstanceLifecycleConfig": {tf: "aws_sagemaker_notebook_instance_lifecycle_configuration",
		rename: map[string]string{"NotebookInstanceLifecycleConfigName": "name"},
		getAtt: map[string]string{"NotebookInstanceLifecycleConfigName": "NotebookInstanceLifecycleConfigName"}},
	"AWS::SageMaker::Pipeline":    {tf: "aws_sagemaker_pipeline"},
	"AWS::SageMaker::Project":     {tf: "aws_sagemaker_project"},
	"AWS::SageMaker::Space":       {tf: "aws_sagemaker_space"},
	"AWS::SageMaker::UserProfile": {tf: "aws_sagemaker_user_profile"},
	"AWS::SageMaker::Workteam": {tf: "aws_sagemaker_workteam",
		rename: map[string]string{"MemberDefinitions": "member_definition"}},

	// Amazon Bedrock. Terraform puts agents, knowledge bases, prompts and flows under bedrockagent.
	"AWS::Bedrock::Agent": {tf: "aws_bedrockagent_agent",
		rename: map[string]string{"SkipResourceInUseCheckOnDelete": "skip_resource_in_use_check"}},
	"AWS::Bedrock::AgentAlias": {tf: "aws_bedrockagent_agent_alias"},
	"AWS::Bedrock::ApplicationInferenceProfile": {tf: "aws_bedrock_inference_profile",
		rename: map[string]string{"InferenceProfileName": "name"}},
	"AWS::Bedrock::DataSource": {tf: "aws_bedrockagent_data_source"},
	"AWS::Bedrock::Flow": {tf: "aws_bedrockagent_flow",
		rename: map[string]string{"Definition.Connections": "connection", "Definition.Nodes": "node"}},
	"AWS::Bedrock::Guardrail": {tf: "aws_bedrock_guardrail"},
	"AWS::Bedrock::GuardrailVersion": {tf: "aws_bedrock_guardrail_version",
		rename: map[string]string{"GuardrailIdentifier": "guardrail_arn"}},
	"AWS::Bedrock::KnowledgeBase": {tf: "aws_bedrockagent_knowledge_base"},
	"AWS::Bedrock::Prompt": {tf: "aws_bedrockagent_prompt",
		rename: map[string]string{"Variants": "variant"}},

	// Networking.
	"AWS::EC2::FlowLog": {tf: "aws_flow_log"},
	"AWS::EC2::SecurityGroup": {tf: "aws_security_group",
		rename: map[string]string{
			"GroupName": "name", "GroupDescription": "description",
			"SecurityGroupIngress": "ingress", "SecurityGroupIngress.IpProtocol": "protocol",
			"SecurityGroupEgress": "egress", "SecurityGroupEgress.IpProtocol": "protocol",
		}},
	"AWS::EC2::Subnet": {tf: "aws_subnet"},
	"AWS::EC2::VPC":    {tf: "aws_vpc"},
	"AWS::EC2::VPCEndpoint": {tf: "aws_vpc_endpoint",
		rename: map[string]string{"PolicyDocument": "policy"}},

	// Identity and keys. Policy documents stay objects with their keys as written (see verbatimProps).
	"AWS::IAM::Group": {tf: "aws_iam_group", rename: map[string]string{"GroupName": "name"}, ref: "GroupName"},
	"AWS::IAM::InstanceProfile": {tf: "aws_iam_instance_profile",
		rename: map[string]string{"InstanceProfileName": "name"}, ref: "InstanceProfileName"},
	"AWS::IAM::ManagedPolicy": {tf: "aws_iam_policy",
		rename: map[string]string{"ManagedPolicyName": "name", "PolicyDocument": "policy"}},
	"AWS::IAM::Policy": {tf: "aws_iam_policy",
		rename: map[string]string{"PolicyName": "name", "PolicyDocument": "policy"}},
	"AWS::IAM::Role": {tf: "aws_iam_role",
		rename: map[string]string{"RoleName": "name", "AssumeRolePolicyDocument": "assume_role_policy"}, ref: "RoleName"},
	"AWS::IAM::RolePolicy": {tf: "aws_iam_role_policy",
		rename: map[string]string{"PolicyName": "name", "RoleName": "role", "PolicyDocument": "policy"}},
	"AWS::IAM::User":  {tf: "aws_iam_user", rename: map[string]string{"UserName": "name"}, ref: "UserName"},
	"AWS::KMS::Alias": {tf: "aws_kms_alias", rename: map[string]string{"AliasName": "name"}, ref: "AliasName"},
	"AWS::KMS::Key": {tf: "aws_kms_key",
		rename: map[string]string{"KeyPolicy": "policy", "PendingWindowInDays": "deletion_window_in_days",
			"KeySpec": "customer_master_key_spec", "Enabled": "is_enabled"}},
	"AWS::SecretsManager::Secret": {tf: "aws_secretsmanager_secret"},

	// Storage and data.
	"AWS::DynamoDB::Table": {tf: "aws_dynamodb_table",
		rename: map[string]string{
			"TableName":        "name",
			"SSESpecification": "server_side_encryption", "SSESpecification.SSEEnabled": "enabled",
			"SSESpecification.KMSMasterKeyId":                             "kms_key_arn",
			"PointInTimeRecoverySpecification":                            "point_in_time_recovery",
			"PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled": "enabled",
		}, ref: "TableName"},
	"AWS::ECR::Repository":   {tf: "aws_ecr_repository", rename: map[string]string{"RepositoryName": "name"}, ref: "RepositoryName"},
	"AWS::EFS::FileSystem":   {tf: "aws_efs_file_system"},
	"AWS::S3::Bucket":        {tf: "aws_s3_bucket", rename: map[string]string{"BucketName": "bucket"}, ref: "BucketName"},
	"AWS::S3::BucketPolicy":  {tf: "aws_s3_bucket_policy", rename: map[string]string{"PolicyDocument": "policy"}},
	"AWS::SNS::Topic":        {tf: "aws_sns_topic", rename: map[string]string{"TopicName": "name"}, getAtt: map[string]string{"TopicName": "TopicName"}},
	"AWS::SQS::Queue":        {tf: "aws_sqs_queue", rename: map[string]string{"QueueName": "name"}, getAtt: map[string]string{"QueueName": "QueueName"}},
	"AWS::Logs::LogGroup":    {tf: "aws_cloudwatch_log_group", rename: map[string]string{"LogGroupName": "name"}, ref: "LogGroupName"},
	"AWS::Lambda::Function":  {tf: "aws_lambda_function", ref: "FunctionName"},
	"AWS::Budgets::Budget":   {tf: "aws_budgets_budget"},
	"AWS::CloudTrail::Trail": {tf: "aws_cloudtrail", rename: map[string]string{"TrailName": "name"}},
	"AWS::CloudWatch::Alarm": {tf: "aws_cloudwatch_metric_alarm", pairs: []string{"Dimensions"}},
	"AWS::Events::Rule":      {tf: "aws_cloudwatch_event_rule"},
	"AWS::StepFunctions::StateMachine": {tf: "aws_sfn_state_machine",
		rename: map[string]string{"StateMachineName": "name"}, verbatim: []string{"Definition"}},
	"AWS::ApplicationAutoScaling::ScalableTarget": {tf: "aws_appautoscaling_target"},
	"AWS::ApplicationAutoScaling::ScalingPolicy": {tf: "aws_appautoscaling_policy",
		rename: map[string]string{"PolicyName": "name"}},
	"AWS::OpenSearchServerless::AccessPolicy":   {tf: "aws_opensearchserverless_access_policy"},
	"AWS::OpenSearchServerless::Collection":     {tf: "aws_opensearchserverless_collection"},
	"AWS::OpenSearchServerless::SecurityPolicy": {tf: "aws_opensearchserverless_security_policy"},
	"AWS::OpenSearchServerless::VpcEndpoint":    {tf: "aws_opensearchserverless_vpc_endpoint"},
}

// verbatimProps are properties whose values are documents with a grammar of their own (IAM policies, event patterns)
// or maps keyed by the user (environment variables, hyperparameters, stack parameters). Their keys are kept as
// written, at every depth: snake_casing "Statement" or an environment variable name would change what they mean.
// Rules read a policy document as an object with its IAM keys (Statement, Effect, Action, Resource) whichever source
// it came from: Terraform's JSON strings decode to the same shape.
var verbatimProps = map[string]bool{
	"AccessPolicies":             true,
	"AssumeRolePolicyDocument":   true,
	"CustomerMetadataProperties": true,
	"DefaultArguments":           true,
	"DefinitionSubstitutions":    true,
	"DockerLabels":               true,
	"EventPattern":               true,
	"HyperParameters":            true,
	"KeyPolicy":                  true,
	"ModelPackageGroupPolicy":    true,
	"Parameters":                 true,
	"PolicyDocument":             true,
	"RequestParameters":          true,
	"RequestTemplates":           true,
	"ResourcePolicy":             true,
	"ResponseParameters":         true,
	"ResponseTemplates":          true,
	"StaticHyperParameters":      true,
	"Variables":                  true,
}

// isVerbatim reports whether the value of property name of a resource type keeps its keys as written.
func isVerbatim(cfnType string, info *typeInfo, name string) bool {
	if verbatimProps[name] {
		return true
	}
	switch {
	case name == "Environment" && strings.HasPrefix(cfnType, "AWS::SageMaker::"):
		// SageMaker's Environment maps (containers, monitoring jobs) hold environment variables. Elsewhere
		// Environment is a structure with schema keys (Lambda's is {Variables: ...}).
		return true
	case (name == "Policies" || name == "Events") && strings.HasPrefix(cfnType, "AWS::Serverless::"):
		// SAM's Policies list policy documents and policy templates, and its Events are keyed by event name.
		return true
	}
	if info != nil {
		for _, v := range info.verbatim {
			if v == name {
				return true
			}
		}
	}
	return false
}

// canonicalType returns the type rules know a CloudFormation type by.
func canonicalType(cfnType string) string {
	if info, ok := types[cfnType]; ok {
		return info.tf
	}
	return cfnType
}
