# The serving image comes from a self-hosted registry reached through the VPC, outside ECR scanning and policies.
resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "registry.ml.acme.internal:5000/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"

    image_config {
      repository_access_mode = "Vpc"
    }
  }

  vpc_config {
    subnets            = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0f1e2d3c4b5a69788"]
  }
}
