# No vpc_config: the model's containers run outside the team's VPC.
resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }
}
