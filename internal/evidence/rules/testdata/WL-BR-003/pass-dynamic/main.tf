# The filters come from a variable with a default and are written out by a dynamic block, as shared guardrail
# modules usually do.
provider "aws" {
  region = "eu-west-1"
}

variable "content_filters" {
  description = "Input and output strength per content filter category."
  type = map(object({
    input  = string
    output = string
  }))
  default = {
    PROMPT_ATTACK = { input = "HIGH", output = "NONE" }
    HATE          = { input = "HIGH", output = "HIGH" }
    INSULTS       = { input = "HIGH", output = "HIGH" }
    SEXUAL        = { input = "HIGH", output = "HIGH" }
    VIOLENCE      = { input = "MEDIUM", output = "MEDIUM" }
    MISCONDUCT    = { input = "MEDIUM", output = "MEDIUM" }
  }
}

resource "aws_bedrock_guardrail" "chat" {
  name                      = "customer-chat"
  blocked_input_messaging   = "This request was blocked by our content policy."
  blocked_outputs_messaging = "The answer was blocked by our content policy."

  content_policy_config {
    dynamic "filters_config" {
      for_each = var.content_filters
      content {
        type            = filters_config.key
        input_strength  = filters_config.value.input
        output_strength = filters_config.value.output
      }
    }
  }
}
