resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  # Captured payloads land in S3 without a customer managed key.
  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://acme-ml-monitoring/fraud/capture"

    capture_options {
      capture_mode = "Input"
    }

    capture_options {
      capture_mode = "Output"
    }
  }
}
