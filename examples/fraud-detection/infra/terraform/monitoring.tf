resource "aws_sagemaker_data_quality_job_definition" "drift" {
  name     = "${local.name}-data-quality"
  role_arn = aws_iam_role.scoring.arn

  data_quality_app_specification {
    image_uri = "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"
  }

  data_quality_baseline_config {
    constraints_resource {
      s3_uri = "s3://payments-risk-models-${var.environment}/fraud/v${var.model_version}/baseline/constraints.json"
    }
    statistics_resource {
      s3_uri = "s3://payments-risk-models-${var.environment}/fraud/v${var.model_version}/baseline/statistics.json"
    }
  }

  data_quality_job_input {
    endpoint_input {
      endpoint_name = module.scoring.endpoint_name
      local_path    = "/opt/ml/processing/input"
    }
  }

  data_quality_job_output_config {
    kms_key_id = aws_kms_key.ml.arn
    monitoring_outputs {
      s3_output {
        s3_uri     = "s3://payments-risk-monitoring-${var.environment}/fraud/data-quality"
        local_path = "/opt/ml/processing/output"
      }
    }
  }

  job_resources {
    cluster_config {
      instance_count    = 1
      instance_type     = "ml.m5.xlarge"
      volume_size_in_gb = 50
      volume_kms_key_id = aws_kms_key.ml.arn
    }
  }

  network_config {
    enable_inter_container_traffic_encryption = true
    enable_network_isolation                  = true
    vpc_config {
      subnets            = aws_subnet.private[*].id
      security_group_ids = [aws_security_group.endpoint.id]
    }
  }
}

resource "aws_sagemaker_monitoring_schedule" "hourly" {
  name = "${local.name}-data-quality-hourly"

  monitoring_schedule_config {
    monitoring_job_definition_name = aws_sagemaker_data_quality_job_definition.drift.name
    monitoring_type                = "DataQuality"

    schedule_config {
      schedule_expression = "cron(0 * ? * * *)"
    }
  }
}

resource "aws_budgets_budget" "ml" {
  name         = "card-fraud-scoring-monthly"
  budget_type  = "COST"
  limit_amount = "4200"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = ["user:CostCenter$payments-risk"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = [var.alarm_email]
  }
}
