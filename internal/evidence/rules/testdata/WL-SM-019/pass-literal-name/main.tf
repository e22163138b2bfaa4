locals {
  endpoint_name = "fraud-scoring"
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = local.endpoint_name
  endpoint_config_name = "fraud-scoring-v3"
}

# The monitoring stack names the endpoint by its literal name rather than by reference.
resource "aws_sagemaker_data_quality_job_definition" "drift" {
  name     = "fraud-drift"
  role_arn = "arn:aws:iam::123456789012:role/model-monitor"

  data_quality_app_specification {
    image_uri = "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"
  }

  data_quality_baseline_config {
    constraints_resource {
      s3_uri = "s3://acme-ml-monitoring/fraud/baseline/constraints.json"
    }

    statistics_resource {
      s3_uri = "s3://acme-ml-monitoring/fraud/baseline/statistics.json"
    }
  }

  data_quality_job_input {
    endpoint_input {
      endpoint_name = "fraud-scoring"
    }
  }

  data_quality_job_output_config {
    monitoring_outputs {
      s3_output {
        s3_uri = "s3://acme-ml-monitoring/fraud/reports"
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

resource "aws_sagemaker_monitoring_schedule" "hourly" {
  name = "fraud-drift-hourly"

  monitoring_schedule_config {
    monitoring_job_definition_name = "fraud-drift"
    monitoring_type                = "DataQuality"

    schedule_config {
      schedule_expression = "cron(0 * ? * * *)"
    }
  }
}
