resource "aws_kms_key" "training" {
  description         = "Fraud training volumes and model artefacts"
  enable_key_rotation = true
}

resource "aws_sagemaker_training_job" "fraud" {
  training_job_name = "fraud-xgb-2024-10-14"
  role_arn          = "arn:aws:iam::123456789012:role/fraud-training"

  enable_network_isolation                  = true
  enable_inter_container_traffic_encryption = true
  enable_managed_spot_training              = true

  algorithm_specification {
    training_input_mode = "File"
    training_image      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-training:2.3.1"
  }

  hyper_parameters = {
    max_depth = "6"
    eta       = "0.2"
    num_round = "300"
  }

  input_data_config {
    channel_name = "train"
    content_type = "text/csv"

    data_source {
      s3_data_source {
        s3_data_type              = "S3Prefix"
        s3_uri                    = "s3://acme-ml-data/fraud/train/"
        s3_data_distribution_type = "ShardedByS3Key"
      }
    }
  }

  output_data_config {
    s3_output_path = "s3://acme-ml-models/fraud/"
    kms_key_id     = aws_kms_key.training.arn
  }

  resource_config {
    instance_type     = "ml.m5.2xlarge"
    instance_count    = 2
    volume_size_in_gb = 50
    volume_kms_key_id = aws_kms_key.training.arn
  }

  checkpoint_config {
    s3_uri     = "s3://acme-ml-checkpoints/fraud/"
    local_path = "/opt/ml/checkpoints"
  }

  stopping_condition {
    max_runtime_in_seconds   = 14400
    max_wait_time_in_seconds = 28800
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    security_group_ids = ["sg-0f1e2d3c4b5a69788"]
  }
}
