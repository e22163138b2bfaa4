resource "aws_kms_key" "capture" {
  description         = "Fraud endpoint captured inference data"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "monitoring" {
  bucket = "acme-ml-monitoring"
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://${aws_s3_bucket.monitoring.bucket}/fraud/capture"
    kms_key_id                  = aws_kms_key.capture.arn

    capture_options {
      capture_mode = "Input"
    }

    capture_options {
      capture_mode = "Output"
    }
  }
}
