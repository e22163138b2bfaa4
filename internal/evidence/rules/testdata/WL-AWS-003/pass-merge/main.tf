# Tags built with merge() from a local map and a variable.
provider "aws" {
  region = "eu-west-1"
}

variable "project" {
  type    = string
  default = "claims-assistant"
}

locals {
  cost_tags = {
    CostCenter = "cc-2207"
    Project    = var.project
  }
}

resource "aws_iam_role" "agent" {
  name = "claims-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
  tags = local.cost_tags
}

resource "aws_bedrockagent_agent" "claims" {
  agent_name              = "claims-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help adjusters look up the status of insurance claims and summarise claim files."

  tags = merge(local.cost_tags, {
    Component = "agent"
  })
}
