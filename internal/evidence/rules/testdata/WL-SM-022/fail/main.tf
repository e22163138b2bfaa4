resource "aws_kms_key" "monitoring" {
  description         = "Model monitoring reports and volumes"
  enable_key_rotation = true
}

resource "aws_sagemaker_data_quality_job_definition" "drift" {
  name     = "fraud-drift"
  role_arn = "arn:aws:iam::123456789012:role/model-monitor"

  data_quality_app_specification {
    image_uri = "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"
  }

  data_quality_job_input {
    endpoint_input {
      endpoint_name = "fraud-scoring"
    }
  }

  data_quality_job_output_config {
    kms_key_id = aws_kms_key.monitoring.arn
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
      # No volume_kms_key_id: captured data copied to the instance volume uses an AWS managed key.
    }
  }

  network_config {
    enable_inter_container_traffic_encryption = true
    enable_network_isolation                  = true

    vpc_config {
      subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
      security_group_ids = ["sg-0f1e2d3c4b5a69788"]
    }
  }

  stopping_condition {
    max_runtime_in_seconds = 1800
  }
}
