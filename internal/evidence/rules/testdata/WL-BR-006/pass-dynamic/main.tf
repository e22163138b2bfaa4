# One strength for all harmful categories, applied by a dynamic block over a set.
provider "aws" {
  region = "eu-west-1"
}

variable "harmful_content_strength" {
  type    = string
  default = "MEDIUM"
}

locals {
  harmful_categories = toset(["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"])
}

resource "aws_bedrock_guardrail" "public_chat" {
  name                      = "public-chat"
  blocked_input_messaging   = "This message goes against our community guidelines."
  blocked_outputs_messaging = "The answer went against our community guidelines and was withheld."

  content_policy_config {
    dynamic "filters_config" {
      for_each = local.harmful_categories
      iterator = category
      content {
        type            = category.value
        input_strength  = var.harmful_content_strength
        output_strength = var.harmful_content_strength
      }
    }
  }
}
