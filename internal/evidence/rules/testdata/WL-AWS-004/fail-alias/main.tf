# Most resources are in eu-west-1, but the fine-tuning job runs in us-east-1, where the base model was available.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_iam_role" "customization" {
  name = "bedrock-model-customization"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrock_custom_model" "claims_triage" {
  provider = aws.us_east_1

  custom_model_name     = "claims-triage-v3"
  job_name              = "claims-triage-v3-ft"
  base_model_identifier = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
  role_arn              = aws_iam_role.customization.arn

  hyperparameters = {
    epochCount              = "2"
    batchSize               = "1"
    learningRate            = "0.00001"
    learningRateWarmupSteps = "0"
  }

  training_data_config {
    s3_uri = "s3://acme-ml-datasets-us/claims-triage/train.jsonl"
  }

  output_data_config {
    s3_uri = "s3://acme-ml-artifacts-us/claims-triage/"
  }
}
