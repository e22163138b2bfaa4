# A budget nobody is told about: it shows up in the console, and no alert is ever sent.
resource "aws_budgets_budget" "support_assistant" {
  name         = "support-assistant-monthly"
  budget_type  = "COST"
  limit_amount = "2500"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = ["user:Project$support-assistant"]
  }
}
