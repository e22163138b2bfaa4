resource "aws_ecr_repository" "serving" {
  name                 = "fraud-serving"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

# The image is in ECR, but the model artefact is fetched from a partner's web server instead of an S3 bucket the team
# controls.
resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "${aws_ecr_repository.serving.repository_url}:3.2.0"
    model_data_url = "https://artifacts.acme-partner.example/fraud/v3/model.tar.gz"
  }
}
