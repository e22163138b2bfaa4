# A RAG assistant's guardrail without contextual grounding checks.
provider "aws" {
  region = "us-east-1"
}

resource "aws_bedrock_guardrail" "policy_qa" {
  name                      = "policy-qa"
  blocked_input_messaging   = "I can't help with that question."
  blocked_outputs_messaging = "I can't share that answer."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}
