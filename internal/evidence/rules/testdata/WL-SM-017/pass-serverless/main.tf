resource "aws_sagemaker_endpoint_configuration" "churn" {
  name = "churn-serverless"

  production_variants {
    variant_name = "primary"
    model_name   = "churn-xgb"

    serverless_config {
      memory_size_in_mb       = 3072
      max_concurrency         = 50
      provisioned_concurrency = 5
    }
  }
}
