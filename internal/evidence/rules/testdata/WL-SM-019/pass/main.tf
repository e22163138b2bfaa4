resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = "fraud-scoring-v3"
}

resource "aws_sagemaker_data_quality_job_definition" "drift" {
  name     = "fraud-drift"
  role_arn = "arn:aws:iam::123456789012:role/monitor"

  data_quality_app_specification {
    image_uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model-monitor:latest"
  }

  data_quality_job_input {
    endpoint_input {
      endpoint_name = aws_sagemaker_endpoint.fraud.name
    }
  }

  data_quality_job_output_config {
    monitoring_outputs {
      s3_output {
        s3_uri = "s3://fraud-monitoring/reports"
      }
    }
  }

  job_resources {
    cluster_config {
      instance_count    = 1
      instance_type     = "ml.m5.large"
      volume_size_in_gb = 20
    }
  }
}

resource "aws_sagemaker_monitoring_schedule" "daily" {
  name = "fraud-drift-daily"

  monitoring_schedule_config {
    monitoring_job_definition_name = aws_sagemaker_data_quality_job_definition.drift.name
    monitoring_type                = "DataQuality"

    schedule_config {
      schedule_expression = "cron(0 2 ? * * *)"
    }
  }
}
