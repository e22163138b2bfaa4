# Models are deployed straight from an artefact path: no registry records versions, lineage or approval.
resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-xgb-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.fraud.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.fraud.name
}
