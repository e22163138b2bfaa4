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

  deployment_config {
    blue_green_update_policy {
      termination_wait_in_seconds          = 600
      maximum_execution_timeout_in_seconds = 3600

      traffic_routing_configuration {
        type                     = "CANARY"
        wait_interval_in_seconds = 600

        canary_size {
          type  = "CAPACITY_PERCENT"
          value = 10
        }
      }
    }

    auto_rollback_configuration {
      alarms {
        alarm_name = aws_cloudwatch_metric_alarm.fraud_5xx.alarm_name
      }

      alarms {
        alarm_name = aws_cloudwatch_metric_alarm.fraud_latency.alarm_name
      }
    }
  }
}
