resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name_prefix = "fraud-scoring-"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.fraud.name
}

resource "aws_appautoscaling_target" "fraud" {
  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.fraud.name}/variant/primary"
  min_capacity       = 2
  max_capacity       = 10
}

resource "aws_appautoscaling_policy" "fraud_invocations" {
  name               = "fraud-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.fraud.service_namespace
  scalable_dimension = aws_appautoscaling_target.fraud.scalable_dimension
  resource_id        = aws_appautoscaling_target.fraud.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = 750
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
