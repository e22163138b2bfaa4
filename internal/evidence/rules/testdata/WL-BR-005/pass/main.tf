provider "aws" {
  region = "us-east-1"
}

resource "aws_bedrock_guardrail" "policy_qa" {
  name                      = "policy-qa"
  description               = "Keeps answers about internal policies grounded in the retrieved documents"
  blocked_input_messaging   = "I can't help with that question."
  blocked_outputs_messaging = "I couldn't find a reliable answer in the policy documents."

  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = 0.75
    }
    filters_config {
      type      = "RELEVANCE"
      threshold = 0.7
    }
  }
}
