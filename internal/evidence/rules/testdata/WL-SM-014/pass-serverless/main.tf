# Serverless variants have no instance storage volume, so there is nothing for kms_key_arn to encrypt.
resource "aws_sagemaker_endpoint_configuration" "churn" {
  name = "churn-serverless"

  production_variants {
    variant_name = "primary"
    model_name   = "churn-xgb"

    serverless_config {
      memory_size_in_mb = 2048
      max_concurrency   = 20
    }
  }
}
