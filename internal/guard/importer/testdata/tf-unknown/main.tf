variable "message" {
  type = string
}

resource "aws_bedrock_guardrail" "g" {
  name                      = "g"
  blocked_input_messaging   = var.message
  blocked_outputs_messaging = "no"
  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
  }
}
