// Package corpus writes synthetic but realistic infrastructure code for benchmarking walens scan: Terraform root
// modules with variables, locals, count, for_each and dynamic blocks over a mix of SageMaker, Bedrock and everyday
// AWS resources, and CloudFormation templates with intrinsic functions. Output is deterministic for a given size.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Size says how much code to write.
type Size struct {
	TerraformFiles    int // .tf files in all
	FilesPerModule    int // .tf files per root module directory
	ResourcesPerFile  int
	Templates         int // CloudFormation templates
	ResourcesPerStack int
}

// Full is the size the scan benchmark targets: 1,000 Terraform files with 10,000 resources and 200 templates.
var Full = Size{TerraformFiles: 1000, FilesPerModule: 10, ResourcesPerFile: 10, Templates: 200, ResourcesPerStack: 10}

// Stats counts what was written.
type Stats struct {
	TerraformFiles, TerraformResources, Templates, TemplateResources int
	Bytes                                                            int64
}

// Files is the number of files written.
func (s Stats) Files() int { return s.TerraformFiles + s.Templates }

// Resources is the number of resources declared, counting each count and for_each instance once per block.
func (s Stats) Resources() int { return s.TerraformResources + s.TemplateResources }

// Generate writes the corpus under dir, which must be empty or absent.
func Generate(dir string, size Size) (Stats, error) {
	var st Stats
	if size.FilesPerModule <= 0 {
		size.FilesPerModule = 10
	}
	write := func(path, content string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		st.Bytes += int64(len(content))
		return os.WriteFile(path, []byte(content), 0o644)
	}
	for f := 0; f < size.TerraformFiles; f++ {
		mod, idx := f/size.FilesPerModule, f%size.FilesPerModule
		var b strings.Builder
		if idx == 0 {
			b.WriteString(moduleHeader(mod))
		}
		for r := 0; r < size.ResourcesPerFile; r++ {
			b.WriteString(tfResource(mod, idx, r))
		}
		path := filepath.Join(dir, "terraform", fmt.Sprintf("stack-%03d", mod), fmt.Sprintf("part-%02d.tf", idx))
		if err := write(path, b.String()); err != nil {
			return st, fmt.Errorf("write corpus: %w", err)
		}
		st.TerraformFiles++
		st.TerraformResources += size.ResourcesPerFile
	}
	for t := 0; t < size.Templates; t++ {
		var b strings.Builder
		b.WriteString(cfnHeader(t))
		for r := 0; r < size.ResourcesPerStack; r++ {
			b.WriteString(cfnResource(t, r))
		}
		path := filepath.Join(dir, "cloudformation", fmt.Sprintf("stack-%03d.yaml", t))
		if err := write(path, b.String()); err != nil {
			return st, fmt.Errorf("write corpus: %w", err)
		}
		st.Templates++
		st.TemplateResources += size.ResourcesPerStack
	}
	return st, nil
}

func moduleHeader(mod int) string {
	return fmt.Sprintf(`provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

variable "region" {
  type    = string
  default = "%s"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "kms_key_arn" {
  type = string
}

variable "filters" {
  type    = list(string)
  default = ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"]
}

locals {
  name = "stack-%03d-${var.environment}"
  tags = {
    CostCenter = "team-%d"
    Stack      = local.name
  }
}

`, []string{"eu-west-1", "us-east-1", "eu-north-1", "ap-southeast-2"}[mod%4], mod, mod%17)
}

// tfResource writes one resource block; the kind rotates so every file mixes AI and ordinary resources.
func tfResource(mod, file, n int) string {
	id := fmt.Sprintf("r%d_%d", file, n)
	switch (mod + file*7 + n) % 10 {
	case 0:
		return fmt.Sprintf(`resource "aws_sagemaker_endpoint_configuration" "%[1]s" {
  name        = "${local.name}-%[1]s"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = "${local.name}-model"
    instance_type          = "ml.c7g.xlarge"
    initial_instance_count = %[2]d
  }

  data_capture_config {
    enable_capture              = %[3]t
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://captures/${local.name}"
    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}

`, id, 1+n%3, n%2 == 0)
	case 1:
		return fmt.Sprintf(`resource "aws_sagemaker_endpoint" "%[1]s" {
  name                 = "${local.name}-%[1]s"
  endpoint_config_name = "${local.name}-r%[2]d_0"
}

`, id, file)
	case 2:
		return fmt.Sprintf(`resource "aws_sagemaker_notebook_instance" "%[1]s" {
  name                   = "${local.name}-%[1]s"
  role_arn               = "arn:aws:iam::123456789012:role/notebook"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "%[2]s"
  kms_key_id             = var.kms_key_arn
}

`, id, []string{"Enabled", "Disabled"}[n%2])
	case 3:
		return fmt.Sprintf(`resource "aws_bedrock_guardrail" "%[1]s" {
  name                      = "${local.name}-%[1]s"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."

  content_policy_config {
    dynamic "filters_config" {
      for_each = var.filters
      content {
        type            = filters_config.value
        input_strength  = "HIGH"
        output_strength = "MEDIUM"
      }
    }
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "%[2]s"
      output_strength = "NONE"
    }
  }
}

`, id, []string{"HIGH", "MEDIUM"}[n%2])
	case 4:
		return fmt.Sprintf(`resource "aws_bedrockagent_agent" "%[1]s" {
  agent_name              = "${local.name}-%[1]s"
  agent_resource_role_arn = aws_iam_role.%[1]s_role.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_iam_role" "%[1]s_role" {
  name = "${local.name}-%[1]s"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

`, id)
	case 5:
		return fmt.Sprintf(`resource "aws_s3_bucket" "%[1]s" {
  count  = 2
  bucket = "${local.name}-%[1]s-${count.index}"
}

`, id)
	case 6:
		return fmt.Sprintf(`resource "aws_cloudwatch_log_group" "%[1]s" {
  for_each          = toset(["app", "audit"])
  name              = "/${local.name}/%[1]s/${each.key}"
  retention_in_days = 30
}

`, id)
	case 7:
		return fmt.Sprintf(`resource "aws_lambda_function" "%[1]s" {
  function_name = "${local.name}-%[1]s"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      TABLE = "${local.name}-table"
    }
  }
}

`, id)
	case 8:
		return fmt.Sprintf(`resource "aws_sagemaker_model" "%[1]s" {
  name                     = "${local.name}-%[1]s"
  execution_role_arn       = "arn:aws:iam::123456789012:role/model"
  enable_network_isolation = %[2]t
  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1"
    model_data_url = "s3://models/${local.name}/model.tar.gz"
  }
}

`, id, n%2 == 1)
	}
	return fmt.Sprintf(`resource "aws_kms_key" "%[1]s" {
  description         = "${local.name} %[1]s"
  enable_key_rotation = true
}

`, id)
}

func cfnHeader(t int) string {
	return fmt.Sprintf(`AWSTemplateFormatVersion: "2010-09-09"
Description: Synthetic stack %03d
Parameters:
  Environment:
    Type: String
    Default: prod
  KeyArn:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
`, t)
}

func cfnResource(t, n int) string {
	id := fmt.Sprintf("Res%d", n)
	switch (t + n) % 6 {
	case 0:
		return fmt.Sprintf(`  %[1]s:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      EndpointConfigName: !Sub "stack-%[2]d-${Environment}-%[1]s"
      KmsKeyId: !Ref KeyArn
      ProductionVariants:
        - VariantName: primary
          ModelName: !Sub "stack-%[2]d-model"
          InstanceType: ml.c7g.xlarge
          InitialInstanceCount: !If [IsProd, 2, 1]
      DataCaptureConfig:
        EnableCapture: true
        InitialSamplingPercentage: 10
        DestinationS3Uri: !Sub "s3://captures-${AWS::AccountId}/%[1]s"
        CaptureOptions:
          - CaptureMode: Input
          - CaptureMode: Output
`, id, t)
	case 1:
		return fmt.Sprintf(`  %[1]s:
    Type: AWS::Bedrock::Guardrail
    Properties:
      Name: !Sub "stack-%[2]d-%[1]s"
      BlockedInputMessaging: Blocked.
      BlockedOutputsMessaging: Blocked.
      ContentPolicyConfig:
        FiltersConfig:
          - {Type: PROMPT_ATTACK, InputStrength: HIGH, OutputStrength: NONE}
          - {Type: HATE, InputStrength: HIGH, OutputStrength: HIGH}
      Tags:
        - {Key: CostCenter, Value: !Sub "team-%[2]d"}
`, id, t)
	case 2:
		return fmt.Sprintf(`  %[1]s:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "stack-%[2]d-${AWS::Region}-%[1]s"
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !Ref KeyArn
`, strings.ToLower(id), t)
	case 3:
		return fmt.Sprintf(`  %[1]s:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: sagemaker.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Sub "arn:${AWS::Partition}:s3:::stack-%[2]d/*"
`, id, t)
	case 4:
		return fmt.Sprintf(`  %[1]s:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: !GetAtt Res3.Arn
      DirectInternetAccess: Disabled
      KmsKeyId: !Ref KeyArn
`, id)
	}
	return fmt.Sprintf(`  %[1]s:
    Type: AWS::KMS::Key
    Properties:
      Description: !Join ["-", [stack, "%[2]d", %[1]s]]
      EnableKeyRotation: true
`, id, t)
}
