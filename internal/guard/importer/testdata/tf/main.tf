variable "blocked_message" {
  type    = string
  default = "This request was blocked by the company's AI policy."
}

variable "pii_actions" {
  type = map(string)
  default = {
    EMAIL                     = "ANONYMIZE"
    US_SOCIAL_SECURITY_NUMBER = "BLOCK"
  }
}

locals {
  strength = "HIGH"
}

resource "aws_bedrock_guardrail" "chat" {
  name                      = "chat-guardrail"
  blocked_input_messaging   = var.blocked_message
  blocked_outputs_messaging = "The answer was blocked by the company's AI policy."
  description               = "Chat assistant guardrail"

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = local.strength
      output_strength = "NONE"
    }
    filters_config {
      type            = "HATE"
      input_strength  = "MEDIUM"
      output_strength = "MEDIUM"
    }
    tier_config {
      tier_name = "STANDARD"
    }
  }

  sensitive_information_policy_config {
    dynamic "pii_entities_config" {
      for_each = var.pii_actions
      content {
        type   = pii_entities_config.key
        action = pii_entities_config.value
      }
    }
    regexes_config {
      name        = "EMPLOYEE_ID"
      description = "Employee numbers"
      pattern     = "EMP[0-9]{6}"
      action      = "BLOCK"
    }
  }

  topic_policy_config {
    topics_config {
      name       = "Legal advice"
      definition = "Guidance on lawsuits, contracts or a person's legal rights."
      examples   = ["Can I sue my landlord?"]
      type       = "DENY"
    }
  }

  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
    words_config {
      text = "competitor"
    }
  }

  contextual_grounding_policy_config {
    filters_config {
      type      = "GROUNDING"
      threshold = 0.75
    }
  }

  tags = { team = "platform" }
}

resource "aws_bedrock_guardrail_version" "chat" {
  guardrail_arn = aws_bedrock_guardrail.chat.guardrail_arn
  description   = "first release"
}
