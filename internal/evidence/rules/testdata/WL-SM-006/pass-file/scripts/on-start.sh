#!/bin/bash
# Runs every time the research notebook starts.
set -euo pipefail

IDLE_TIMEOUT_SECONDS=2700

sudo -u ec2-user -i <<'EOS'
source /home/ec2-user/anaconda3/bin/activate python3
pip install --quiet --no-cache-dir -r /home/ec2-user/SageMaker/requirements.txt || true
EOS

# Idle shutdown: a cron job asks Jupyter when it was last used and stops the instance past the timeout.
cat > /usr/local/bin/notebook-idle-stop <<EOS
#!/bin/bash
last=\$(curl -s http://localhost:8443/api/status | jq -r .last_activity)
idle=\$(( \$(date +%s) - \$(date -d "\$last" +%s) ))
if [ "\$idle" -gt $IDLE_TIMEOUT_SECONDS ]; then
  aws sagemaker stop-notebook-instance --notebook-instance-name "\$(jq -r .ResourceName /opt/ml/metadata/resource-metadata.json)"
fi
EOS
chmod +x /usr/local/bin/notebook-idle-stop
echo "*/5 * * * * root /usr/local/bin/notebook-idle-stop" > /etc/cron.d/notebook-idle-stop
