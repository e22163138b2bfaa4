variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "harmful_categories" {
  type    = list(string)
  default = ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"]
}

variable "grounding_threshold" {
  type    = number
  default = 0.75
}

resource "aws_bedrock_guardrail" "this" {
  name                      = var.name
  description               = "Support assistant: harmful content, prompt attacks, payment data, off-topic advice, ungrounded answers"
  blocked_input_messaging   = "Sorry, I can't help with that. A support agent can: type 'agent' to be handed over."
  blocked_outputs_messaging = "Sorry, I can't answer that reliably. Type 'agent' to talk to a person."
  kms_key_arn               = var.kms_key_arn

  content_policy_config {
    dynamic "filters_config" {
      for_each = var.harmful_categories
      content {
        type            = filters_config.value
        input_strength  = "HIGH"
        output_strength = "HIGH"
      }
    }
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }

  sensitive_information_policy_config {
    pii_entities_config {
      type   = "CREDIT_DEBIT_CARD_NUMBER"
      action = "ANONYMIZE"
    }
    pii_entities_config {
      type   = "INTERNATIONAL_BANK_ACCOUNT_NUMBER"
      action = "ANONYMIZE"
    }
    pii_entities_config {
      type   = "PASSWORD"
      action = "BLOCK"
    }
  }

  topic_policy_config {
    topics_config {
      name       = "legal-advice"
      type       = "DENY"
      definition = "Requests for an opinion on legal rights, obligations or disputes, including consumer-law claims."
      examples   = ["Can I sue you for the late delivery?", "Is this contract clause enforceable?"]
    }
    topics_config {
      name       = "medical-advice"
      type       = "DENY"
      definition = "Questions about diagnosis, treatment or medication."
      examples   = ["Can I take ibuprofen with this?"]
    }
  }

  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = var.grounding_threshold
    }
    filters_config {
      type      = "RELEVANCE"
      threshold = var.grounding_threshold
    }
  }
}

resource "aws_bedrock_guardrail_version" "this" {
  guardrail_arn = aws_bedrock_guardrail.this.guardrail_arn
  description   = "Released through the assistant's pipeline"
}

output "guardrail_id" {
  value = aws_bedrock_guardrail.this.guardrail_id
}

output "version" {
  value = aws_bedrock_guardrail_version.this.version
}
