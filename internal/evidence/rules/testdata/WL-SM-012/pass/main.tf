resource "aws_security_group" "inference" {
  name_prefix = "fraud-inference-"
  description = "Fraud model containers"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    security_group_ids = [aws_security_group.inference.id]
  }
}
