# HIGH strength, but in detect mode: the guardrail reports prompt attacks in its trace and lets them through.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "support" {
  name                      = "support-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that request."
  blocked_outputs_messaging = "Sorry, I can't share that answer."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
      input_action    = "NONE"
    }
  }
}
