provider "aws" {
  region = "eu-west-1"
}

data "aws_iam_policy_document" "bedrock_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "billing_agent" {
  name               = "billing-agent"
  assume_role_policy = data.aws_iam_policy_document.bedrock_trust.json
}

resource "aws_iam_role" "returns_agent" {
  name               = "returns-agent"
  assume_role_policy = data.aws_iam_policy_document.bedrock_trust.json
}

resource "aws_bedrockagent_agent" "billing" {
  agent_name              = "billing-agent"
  agent_resource_role_arn = aws_iam_role.billing_agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You answer questions about invoices and payment methods for the signed-in customer."
}

resource "aws_bedrockagent_agent" "returns" {
  agent_name              = "returns-agent"
  agent_resource_role_arn = aws_iam_role.returns_agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You help the signed-in customer open and track return requests for their orders."
}
