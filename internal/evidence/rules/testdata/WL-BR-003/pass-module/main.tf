# The guardrail lives in a local module; the root passes the strength.
provider "aws" {
  region = "eu-west-1"
}

module "guardrail" {
  source = "./modules/guardrail"

  name                   = "claims-assistant"
  prompt_attack_strength = "HIGH"
}
