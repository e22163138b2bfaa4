# A SageMaker built-in algorithm image: AWS publishes it in its own ECR repositories.
data "aws_sagemaker_prebuilt_ecr_image" "xgboost" {
  repository_name = "sagemaker-xgboost"
  image_tag       = "1.7-1"
}

resource "aws_sagemaker_model" "churn" {
  name                     = "churn-xgb"
  execution_role_arn       = "arn:aws:iam::123456789012:role/churn-model-execution"
  enable_network_isolation = true

  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.xgboost.registry_path
    # An HTTPS URL of an S3 object is as good as its s3:// form.
    model_data_url = "https://acme-ml-models.s3.eu-west-1.amazonaws.com/churn/2024-05/model.tar.gz"
  }
}
