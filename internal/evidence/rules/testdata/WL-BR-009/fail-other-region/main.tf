# Logging was set up in us-east-1 during a pilot; the agent now runs in eu-west-1, where nothing is logged.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_s3_bucket" "pilot_logs" {
  provider = aws.us_east_1
  bucket   = "acme-bedrock-pilot-logs"
}

resource "aws_bedrock_model_invocation_logging_configuration" "pilot" {
  provider = aws.us_east_1

  logging_config {
    s3_config {
      bucket_name = aws_s3_bucket.pilot_logs.id
    }
  }
}
resource "aws_iam_role" "agent" {
  name = "policy-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrockagent_agent" "policy" {
  agent_name              = "policy-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You answer employee questions about company policies, citing the policy documents."
}
