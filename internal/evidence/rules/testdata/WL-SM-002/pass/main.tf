resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "packages" {
  name = "research-packages"

  # Users get their libraries from the lifecycle script, not from sudo.
  on_create = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    sudo -u ec2-user -i <<'EOS'
    source /home/ec2-user/anaconda3/bin/activate python3
    pip install --quiet --no-cache-dir xgboost==2.0.3 shap==0.45.0
    EOS
  EOT
  )
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "research"
  role_arn              = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type         = "ml.t3.medium"
  root_access           = "Disabled"
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.packages.name
}
