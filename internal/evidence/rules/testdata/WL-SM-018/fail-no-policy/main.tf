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

# The variant is registered as scalable, but no policy ever changes its capacity.
resource "aws_appautoscaling_target" "fraud" {
  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.fraud.name}/variant/primary"
  min_capacity       = 2
  max_capacity       = 10
}
