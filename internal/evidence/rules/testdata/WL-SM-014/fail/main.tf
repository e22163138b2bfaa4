# Instance-backed variant without kms_key_arn: the volume holding the model and payloads uses an AWS managed key.
resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
    volume_size_in_gb      = 30
  }
}
