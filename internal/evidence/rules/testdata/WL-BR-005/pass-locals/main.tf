# Thresholds kept in locals, shared with the evaluation code.
provider "aws" {
  region = "us-east-1"
}

locals {
  grounding_thresholds = {
    GROUNDING = 0.8
    RELEVANCE = 0.6
  }
}

resource "aws_bedrock_guardrail" "policy_qa" {
  name                      = "policy-qa"
  blocked_input_messaging   = "I can't help with that question."
  blocked_outputs_messaging = "I couldn't find a reliable answer in the policy documents."

  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = local.grounding_thresholds["GROUNDING"]
    }
    filters_config {
      type      = "RELEVANCE"
      threshold = local.grounding_thresholds.RELEVANCE
    }
  }
}
