resource "aws_ecr_repository" "serving" {
  name                 = "fraud-serving"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_s3_bucket" "models" {
  bucket = "acme-ml-models"
}

variable "model_version" {
  type    = string
  default = "3.2.0"
}

resource "aws_sagemaker_model" "fraud" {
  name                     = "fraud-xgb-${replace(var.model_version, ".", "-")}"
  execution_role_arn       = "arn:aws:iam::123456789012:role/fraud-model-execution"
  enable_network_isolation = true

  primary_container {
    image          = "${aws_ecr_repository.serving.repository_url}:${var.model_version}"
    model_data_url = "s3://${aws_s3_bucket.models.bucket}/fraud/${var.model_version}/model.tar.gz"
  }
}
