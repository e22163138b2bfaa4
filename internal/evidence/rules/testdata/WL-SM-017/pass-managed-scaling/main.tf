# An endpoint for inference components: SageMaker adds and removes instances between 2 and 8.
resource "aws_sagemaker_endpoint_configuration" "llm" {
  name               = "assistant-llm"
  execution_role_arn = "arn:aws:iam::123456789012:role/assistant-inference"

  production_variants {
    variant_name           = "primary"
    instance_type          = "ml.g5.2xlarge"
    initial_instance_count = 2

    managed_instance_scaling {
      status             = "ENABLED"
      min_instance_count = 2
      max_instance_count = 8
    }

    routing_config {
      routing_strategy = "LEAST_OUTSTANDING_REQUESTS"
    }
  }
}
