resource "aws_kms_key" "review" {
  description         = "Human review output for loan documents"
  enable_key_rotation = true
}

resource "aws_sagemaker_flow_definition" "loan_review" {
  flow_definition_name = "loan-document-review"
  role_arn             = "arn:aws:iam::123456789012:role/a2i-loan-review"

  human_loop_config {
    human_task_ui_arn                     = "arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/loan-document-review"
    task_availability_lifetime_in_seconds = 86400
    task_count                            = 2
    task_description                      = "Check the extracted income and employer fields against the scanned document."
    task_title                            = "Loan document review"
    task_time_limit_in_seconds            = 900
    workteam_arn                          = "arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/loan-reviewers"
  }

  human_loop_request_source {
    aws_managed_human_loop_request_source = "AWS/Textract/AnalyzeDocument/Forms/V1"
  }

  human_loop_activation_config {
    human_loop_activation_conditions_config {
      human_loop_activation_conditions = jsonencode({
        Conditions = [{
          ConditionType = "ImportantFormKeyConfidenceCheck"
          ConditionParameters = {
            ImportantFormKey                = "Annual income"
            KeyValueBlockConfidenceLessThan = 90
            WordBlockConfidenceLessThan     = 90
          }
        }]
      })
    }
  }

  output_config {
    s3_output_path = "s3://acme-a2i-output/loan-review/"
    kms_key_id     = aws_kms_key.review.arn
  }
}
