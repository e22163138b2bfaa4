# The budget has no notification block of its own; a budget action applies a deny policy and tells the team.
resource "aws_budgets_budget" "support_assistant" {
  name         = "support-assistant-monthly"
  budget_type  = "COST"
  limit_amount = "2500"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
}

resource "aws_iam_role" "budget_action" {
  name = "budget-action"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "budgets.amazonaws.com" }
    }]
  })
}

resource "aws_budgets_budget_action" "stop_new_throughput" {
  budget_name        = aws_budgets_budget.support_assistant.name
  action_type        = "APPLY_IAM_POLICY"
  approval_model     = "AUTOMATIC"
  notification_type  = "ACTUAL"
  execution_role_arn = aws_iam_role.budget_action.arn

  action_threshold {
    action_threshold_type  = "PERCENTAGE"
    action_threshold_value = 100
  }

  definition {
    iam_action_definition {
      policy_arn = "arn:aws:iam::123456789012:policy/deny-bedrock-provisioning"
      roles      = ["ai-developers"]
    }
  }

  subscriber {
    address           = "ai-platform@example.com"
    subscription_type = "EMAIL"
  }
}
