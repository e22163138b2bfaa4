locals {
  idle_minutes = 60
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "idle_stop" {
  name = "research-idle-stop"

  on_start = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    # Stop this notebook instance after ${local.idle_minutes} minutes without kernel or terminal activity.
    cat > /usr/local/bin/idle-check.sh <<'SCRIPT'
    #!/bin/bash
    limit=$1
    last=$(curl -s http://localhost:8443/api/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_activity"])')
    if [ "$(python3 -c "import datetime as d,sys; t=d.datetime.fromisoformat(sys.argv[1].rstrip('Z')); print(int((d.datetime.utcnow()-t).total_seconds()//60))" "$last")" -ge "$limit" ]; then
      name=$(python3 -c 'import json; print(json.load(open("/opt/ml/metadata/resource-metadata.json"))["ResourceName"])')
      aws sagemaker stop-notebook-instance --notebook-instance-name "$name"
    fi
    SCRIPT
    chmod +x /usr/local/bin/idle-check.sh
    echo "*/5 * * * * root /usr/local/bin/idle-check.sh ${local.idle_minutes}" > /etc/cron.d/idle-check
  EOT
  )
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "research"
  role_arn              = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type         = "ml.t3.medium"
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.idle_stop.name
}
