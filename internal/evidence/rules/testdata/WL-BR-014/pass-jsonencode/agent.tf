provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "agent" {
  name = "claims-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }]
  })
}

resource "aws_bedrockagent_agent" "claims" {
  agent_name              = "claims-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help adjusters look up the status of insurance claims and summarise claim files."
}
