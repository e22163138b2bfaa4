# The guardrail comes from a shared local module; the agent uses its outputs.
provider "aws" {
  region = "eu-west-1"
}

module "guardrail" {
  source = "./modules/guardrail"
  name   = "support-agent"
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers track orders and open return requests. Never discuss other customers."

  guardrail_configuration {
    guardrail_identifier = module.guardrail.id
    guardrail_version    = module.guardrail.version
  }
}
