resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v4"

  production_variants {
    variant_name           = "champion"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
    initial_variant_weight = 0.9
  }

  production_variants {
    variant_name           = "challenger"
    model_name             = "fraud-xgb-v4"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
    initial_variant_weight = 0.1
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.fraud.name
}

# Only the champion scales; the challenger was added later without a target.
resource "aws_appautoscaling_target" "champion" {
  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = "endpoint/fraud-scoring/variant/champion"
  min_capacity       = 2
  max_capacity       = 10

  depends_on = [aws_sagemaker_endpoint.fraud]
}

resource "aws_appautoscaling_policy" "champion" {
  name               = "champion-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.champion.service_namespace
  scalable_dimension = aws_appautoscaling_target.champion.scalable_dimension
  resource_id        = aws_appautoscaling_target.champion.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 600

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
