# The strength has no default; terraform.tfvars sets it.
provider "aws" {
  region = "eu-central-1"
}

resource "aws_bedrock_guardrail" "assistant" {
  name                      = "hr-assistant-${var.environment}"
  blocked_input_messaging   = "I can't help with that."
  blocked_outputs_messaging = "I can't answer that."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = var.prompt_attack_strength
      output_strength = "NONE"
    }
  }
}
