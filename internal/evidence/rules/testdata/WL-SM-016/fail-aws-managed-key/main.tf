resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  # The S3 AWS managed key encrypts the payloads, but its key policy belongs to AWS, not to the team.
  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://acme-ml-monitoring/fraud/capture"
    kms_key_id                  = "alias/aws/s3"

    capture_options {
      capture_mode = "Input"
    }

    capture_options {
      capture_mode = "Output"
    }
  }
}
