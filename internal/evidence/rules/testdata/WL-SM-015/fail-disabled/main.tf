resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name        = "fraud-scoring-v3"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  # Capture was switched off during a load test and never switched back on.
  data_capture_config {
    enable_capture              = false
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
