# The prompt-attack filter is there, but at MEDIUM.
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
      input_strength  = "MEDIUM"
      output_strength = "NONE"
    }
  }
}
