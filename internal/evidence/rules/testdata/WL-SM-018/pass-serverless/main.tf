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

resource "aws_sagemaker_endpoint" "churn" {
  name                 = "churn"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.churn.name
}
