# The second agent was added later with the role's ARN pasted in: it is the same role.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "agents" {
  name = "customer-service-agents"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrockagent_agent" "billing" {
  agent_name              = "billing-agent"
  agent_resource_role_arn = aws_iam_role.agents.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You answer questions about invoices and payment methods for the signed-in customer."
}

resource "aws_bedrockagent_agent" "returns" {
  agent_name              = "returns-agent"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/customer-service-agents"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You help the signed-in customer open and track return requests for their orders."
}
