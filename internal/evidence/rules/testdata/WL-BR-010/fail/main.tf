# The log group that receives every prompt and answer has no KMS key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_log_group" "invocations" {
  name              = "/aws/bedrock/model-invocations"
  retention_in_days = 30
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocations.name
      role_arn       = aws_iam_role.invocation_logging.arn
    }
  }
}
