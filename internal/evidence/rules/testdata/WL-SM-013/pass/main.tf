resource "aws_sagemaker_model" "fraud" {
  name                     = "fraud-xgb-v3"
  execution_role_arn       = "arn:aws:iam::123456789012:role/fraud-model-execution"
  enable_network_isolation = true

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving@sha256:9b2f7c4e1d0a8f6b3c5e7d9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }
}
