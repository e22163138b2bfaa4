# A managed prompt that passes user text to a model, with no guardrail in the code.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrockagent_prompt" "summarise_ticket" {
  name            = "summarise-ticket"
  description     = "Summarises a support ticket for the next agent on shift"
  default_variant = "v1"

  variant {
    name          = "v1"
    model_id      = "anthropic.claude-3-haiku-20240307-v1:0"
    template_type = "TEXT"

    inference_configuration {
      text {
        max_tokens  = 512
        temperature = 0.2
      }
    }

    template_configuration {
      text {
        text = "Summarise this support ticket in three bullet points: {{ticket}}"
        input_variable {
          name = "ticket"
        }
      }
    }
  }
}
