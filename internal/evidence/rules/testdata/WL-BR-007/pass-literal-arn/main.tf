# The key is managed by the platform team and passed in as an ARN.
provider "aws" {
  region = "eu-west-1"
}

variable "guardrail_kms_key_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:123456789012:key/1f0c2b7e-3a4d-4c55-9e61-0a8b7c6d5e4f"
}

resource "aws_bedrock_guardrail" "legal" {
  name                      = "legal-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't answer that."
  kms_key_arn               = var.guardrail_kms_key_arn

  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
  }
}
