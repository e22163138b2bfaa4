locals {
  endpoint_name = "fraud-scoring"

  # Alarms that stop a deployment: name => metric, statistic and threshold.
  rollback_alarms = {
    "fraud-scoring-5xx"     = { metric = "Invocation5XXErrors", statistic = "Sum", threshold = 1 }
    "fraud-scoring-4xx"     = { metric = "Invocation4XXErrors", statistic = "Sum", threshold = 20 }
    "fraud-scoring-latency" = { metric = "ModelLatency", statistic = "Average", threshold = 200000 }
  }
}

resource "aws_cloudwatch_metric_alarm" "rollback" {
  for_each = local.rollback_alarms

  alarm_name          = each.key
  namespace           = "AWS/SageMaker"
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  period              = 60
  evaluation_periods  = 2
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"

  dimensions = {
    EndpointName = local.endpoint_name
    VariantName  = "primary"
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = local.endpoint_name
  endpoint_config_name = "fraud-scoring-v4"

  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "LINEAR"
        wait_interval_in_seconds = 300

        linear_step_size {
          type  = "CAPACITY_PERCENT"
          value = 20
        }
      }
    }

    auto_rollback_configuration {
      dynamic "alarms" {
        for_each = keys(local.rollback_alarms)

        content {
          alarm_name = alarms.value
        }
      }
    }
  }

  depends_on = [aws_cloudwatch_metric_alarm.rollback]
}
