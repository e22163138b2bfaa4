# A lifecycle configuration is attached, but it only installs packages.
resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "packages" {
  name = "research-packages"

  on_start = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    sudo -u ec2-user -i <<'EOS'
    source /home/ec2-user/anaconda3/bin/activate python3
    pip install --quiet --no-cache-dir lightgbm==4.3.0
    EOS
  EOT
  )
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "research"
  role_arn              = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type         = "ml.g5.xlarge"
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.packages.name
}
