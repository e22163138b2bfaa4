resource "aws_kms_key" "endpoint" {
  description         = "Fraud endpoint instance storage"
  enable_key_rotation = true
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name_prefix = "fraud-scoring-"
  kms_key_arn = aws_kms_key.endpoint.arn

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  lifecycle {
    create_before_destroy = true
  }
}
