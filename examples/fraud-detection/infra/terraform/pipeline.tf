# Weekly retraining pipeline. The training step runs on spot capacity with checkpoints; it is not yet
# network-isolated (the container pulls a feature-store client at start-up; ticket PRML-231).
resource "aws_sagemaker_pipeline" "train" {
  pipeline_name         = "${local.name}-train"
  pipeline_display_name = "fraud-train"
  role_arn              = aws_iam_role.scoring.arn

  pipeline_definition = jsonencode({
    Version = "2020-12-01"
    Parameters = [
      { Name = "TrainingInstanceType", Type = "String", DefaultValue = "ml.m7i.4xlarge" },
    ]
    Steps = [
      {
        Name = "TrainXGBoost"
        Type = "Training"
        Arguments = {
          AlgorithmSpecification = {
            TrainingImage     = "123456789012.dkr.ecr.${var.region}.amazonaws.com/fraud-xgboost:1.7-1"
            TrainingInputMode = "File"
          }
          RoleArn = aws_iam_role.scoring.arn
          ResourceConfig = {
            InstanceCount  = 1
            InstanceType   = { Get = "Parameters.TrainingInstanceType" }
            VolumeSizeInGB = 100
            VolumeKmsKeyId = aws_kms_key.ml.arn
          }
          OutputDataConfig = {
            S3OutputPath = "s3://payments-risk-models-${var.environment}/fraud/training"
            KmsKeyId     = aws_kms_key.ml.arn
          }
          EnableManagedSpotTraining = true
          CheckpointConfig = {
            S3Uri = "s3://payments-risk-models-${var.environment}/fraud/checkpoints"
          }
          StoppingCondition = {
            MaxRuntimeInSeconds  = 7200
            MaxWaitTimeInSeconds = 14400
          }
          VpcConfig = {
            Subnets          = aws_subnet.private[*].id
            SecurityGroupIds = [aws_security_group.endpoint.id]
          }
          EnableInterContainerTrafficEncryption = true
        }
      },
    ]
  })
}
