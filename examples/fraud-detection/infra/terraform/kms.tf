resource "aws_kms_key" "ml" {
  description             = "Fraud scoring: model artefacts, endpoint volumes, captured data and reports"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}
