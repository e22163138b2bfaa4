# The provider takes its Region from the environment (AWS_REGION in the pipeline). The agent and the logging
# configuration use the same provider, so they are in the same Region whichever it is.
provider "aws" {
  default_tags {
    tags = {
      Project = "support-agent"
    }
  }
}

resource "aws_iam_role" "agent" {
  name = "support-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers track orders and open return requests. Never discuss other customers."
}

resource "aws_s3_bucket" "invocation_logs" {
  bucket_prefix = "bedrock-invocation-logs-"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = true
    s3_config {
      bucket_name = aws_s3_bucket.invocation_logs.bucket
    }
  }
}
