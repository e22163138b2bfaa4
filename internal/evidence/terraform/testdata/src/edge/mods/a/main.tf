module "b" {
  source = "../b"
}

resource "aws_sagemaker_model_package_group" "a" {
  model_package_group_name = "from-a"
}
