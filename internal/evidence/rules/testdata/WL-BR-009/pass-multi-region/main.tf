# Agents in two Regions; each Region has its own logging configuration.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

locals {
  trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role" "agent_eu" {
  name               = "support-agent-eu"
  assume_role_policy = local.trust
}

resource "aws_iam_role" "agent_us" {
  name               = "support-agent-us"
  assume_role_policy = local.trust
}

resource "aws_bedrockagent_agent" "support_eu" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent_eu.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers in Europe track orders and open return requests."
}

resource "aws_bedrockagent_agent" "support_us" {
  provider                = aws.us
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent_us.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers in North America track orders and open return requests."
}

resource "aws_s3_bucket" "logs_eu" {
  bucket = "acme-bedrock-logs-eu-west-1"
}

resource "aws_s3_bucket" "logs_us" {
  provider = aws.us
  bucket   = "acme-bedrock-logs-us-east-1"
}

resource "aws_bedrock_model_invocation_logging_configuration" "eu" {
  logging_config {
    s3_config {
      bucket_name = aws_s3_bucket.logs_eu.id
    }
  }
}

resource "aws_bedrock_model_invocation_logging_configuration" "us" {
  provider = aws.us

  logging_config {
    s3_config {
      bucket_name = aws_s3_bucket.logs_us.id
    }
  }
}
