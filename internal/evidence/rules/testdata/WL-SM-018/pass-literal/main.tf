locals {
  endpoint_name = "fraud-scoring"
  variant_name  = "primary"
  scaling_id    = "endpoint/${local.endpoint_name}/variant/${local.variant_name}"
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = local.variant_name
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = local.endpoint_name
  endpoint_config_name = "fraud-scoring-v3"
}

resource "aws_appautoscaling_target" "fraud" {
  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = local.scaling_id
  min_capacity       = 2
  max_capacity       = 8

  depends_on = [aws_sagemaker_endpoint.fraud]
}

resource "aws_appautoscaling_policy" "fraud_cpu" {
  name               = "fraud-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = local.scaling_id

  target_tracking_scaling_policy_configuration {
    target_value = 60

    customized_metric_specification {
      metric_name = "CPUUtilization"
      namespace   = "/aws/sagemaker/Endpoints"
      statistic   = "Average"
      unit        = "Percent"

      dimensions {
        name  = "EndpointName"
        value = local.endpoint_name
      }

      dimensions {
        name  = "VariantName"
        value = local.variant_name
      }
    }
  }

  depends_on = [aws_appautoscaling_target.fraud]
}
