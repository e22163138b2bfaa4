# Managed scaling was turned off, so its minimum no longer applies: the variant runs its single initial instance.
resource "aws_sagemaker_endpoint_configuration" "llm" {
  name               = "assistant-llm"
  execution_role_arn = "arn:aws:iam::123456789012:role/assistant-inference"

  production_variants {
    variant_name           = "primary"
    instance_type          = "ml.g5.2xlarge"
    initial_instance_count = 1

    managed_instance_scaling {
      status             = "DISABLED"
      min_instance_count = 2
      max_instance_count = 8
    }
  }
}
