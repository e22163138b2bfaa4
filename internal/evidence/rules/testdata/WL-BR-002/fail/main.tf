# Session summaries are kept for 30 days, encrypted with an AWS owned key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers track orders and open return requests. Never discuss other customers."

  memory_configuration {
    enabled_memory_types = ["SESSION_SUMMARY"]
    storage_days         = 30
  }
}
