resource "aws_iam_role" "model" {
  name = "fraud-model-execution"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "sagemaker.amazonaws.com" }
    }]
  })
}

resource "aws_sagemaker_model" "fraud" {
  name                     = "fraud-xgb-v3"
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = true

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }
}
