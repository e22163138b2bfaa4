resource "aws_cloudwatch_metric_alarm" "fraud_5xx" {
  alarm_name          = "fraud-scoring-5xx"
  namespace           = "AWS/SageMaker"
  metric_name         = "Invocation5XXErrors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"

  dimensions = {
    EndpointName = "fraud-scoring"
    VariantName  = "primary"
  }
}

resource "aws_cloudwatch_metric_alarm" "fraud_latency" {
  alarm_name          = "fraud-scoring-p99-latency"
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 3
  threshold           = 250000
  comparison_operator = "GreaterThanThreshold"

  dimensions = {
    EndpointName = "fraud-scoring"
    VariantName  = "primary"
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = "fraud-scoring-v4"

  # Alarms can roll a bad version back, but only after it has served all the traffic.
  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "ALL_AT_ONCE"
        wait_interval_in_seconds = 600
      }
    }

    auto_rollback_configuration {
      alarms {
        alarm_name = aws_cloudwatch_metric_alarm.fraud_5xx.alarm_name
      }
    }
  }
}
