# One guardrail per Region, from the same module so that both enforce the same policy.
module "guardrail_primary" {
  source      = "./modules/guardrail"
  name        = "gr-support"
  kms_key_arn = aws_kms_key.assistant.arn
}

module "guardrail_central" {
  source      = "./modules/guardrail"
  name        = "gr-support"
  kms_key_arn = aws_kms_key.central.arn
  providers = {
    aws = aws.central
  }
}
