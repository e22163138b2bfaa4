locals {
  registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
}

# A serial inference pipeline: feature preprocessing, then the model.
resource "aws_sagemaker_model" "pricing" {
  name               = "pricing-pipeline"
  execution_role_arn = "arn:aws:iam::123456789012:role/pricing-model-execution"

  container {
    container_hostname = "preprocess"
    image              = "${local.registry}/sklearn-preprocess:1.4"
    model_data_url     = "s3://acme-ml-models/pricing/preprocess/model.tar.gz"
  }

  container {
    container_hostname = "predict"
    image              = "${local.registry}/pricing-lgbm:2.1"
    model_data_url     = "s3://acme-ml-models/pricing/lgbm/model.tar.gz"
  }

  inference_execution_config {
    mode = "Serial"
  }
}
