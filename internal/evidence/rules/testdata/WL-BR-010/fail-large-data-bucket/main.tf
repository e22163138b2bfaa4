# The log group is encrypted with KMS, but payloads too large for CloudWatch land in a bucket without KMS.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "logs" {
  description         = "Bedrock invocation logs"
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "invocations" {
  name       = "/aws/bedrock/model-invocations"
  kms_key_id = aws_kms_key.logs.arn
}

resource "aws_s3_bucket" "large_payloads" {
  bucket = "acme-bedrock-large-payloads"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocations.name
      role_arn       = aws_iam_role.invocation_logging.arn

      large_data_delivery_s3_config {
        bucket_name = aws_s3_bucket.large_payloads.id
      }
    }
  }
}
