locals {
  endpoint_name = "fraud-scoring"

  variants = {
    champion   = { model = "fraud-xgb-v3", weight = 0.9, max = 10 }
    challenger = { model = "fraud-xgb-v4", weight = 0.1, max = 4 }
  }
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v4"

  dynamic "production_variants" {
    for_each = local.variants

    content {
      variant_name           = production_variants.key
      model_name             = production_variants.value.model
      initial_variant_weight = production_variants.value.weight
      instance_type          = "ml.m5.xlarge"
      initial_instance_count = 2
    }
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = local.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.fraud.name
}

resource "aws_appautoscaling_target" "variant" {
  for_each = local.variants

  service_namespace  = "sagemaker"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  resource_id        = "endpoint/${local.endpoint_name}/variant/${each.key}"
  min_capacity       = 2
  max_capacity       = each.value.max

  depends_on = [aws_sagemaker_endpoint.fraud]
}

resource "aws_appautoscaling_policy" "variant" {
  for_each = local.variants

  name               = "${each.key}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.variant[each.key].service_namespace
  scalable_dimension = aws_appautoscaling_target.variant[each.key].scalable_dimension
  resource_id        = aws_appautoscaling_target.variant[each.key].resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 600

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
