# The PII types come from a list variable with a default; a dynamic block writes one entity per type.
provider "aws" {
  region = "eu-west-1"
}

variable "masked_pii" {
  description = "PII entity types the assistant masks in prompts and answers."
  type        = list(string)
  default     = ["NAME", "EMAIL", "PHONE", "ADDRESS", "CREDIT_DEBIT_CARD_NUMBER"]
}

resource "aws_bedrock_guardrail" "claims" {
  name                      = "claims-assistant"
  blocked_input_messaging   = "Your message was blocked."
  blocked_outputs_messaging = "The answer was blocked."

  sensitive_information_policy_config {
    dynamic "pii_entities_config" {
      for_each = toset(var.masked_pii)
      content {
        type   = pii_entities_config.value
        action = "ANONYMIZE"
      }
    }
  }
}
