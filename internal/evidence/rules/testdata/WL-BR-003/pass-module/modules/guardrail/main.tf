variable "name" {
  type = string
}

variable "prompt_attack_strength" {
  type    = string
  default = "MEDIUM"
}

resource "aws_bedrock_guardrail" "this" {
  name                      = var.name
  blocked_input_messaging   = "Your request was blocked."
  blocked_outputs_messaging = "The response was blocked."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = var.prompt_attack_strength
      output_strength = "NONE"
    }
  }
}

output "guardrail_id" {
  value = aws_bedrock_guardrail.this.guardrail_id
}

output "version" {
  value = aws_bedrock_guardrail.this.version
}
