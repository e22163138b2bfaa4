# A fixed fleet of two instances, whatever the load.
resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.fraud.name
}
