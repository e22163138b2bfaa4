# The training step does not set EnableNetworkIsolation.
resource "aws_sagemaker_pipeline" "fraud_training" {
  pipeline_name         = "fraud-training"
  pipeline_display_name = "FraudTraining"
  role_arn              = "arn:aws:iam::123456789012:role/fraud-pipeline"

  pipeline_definition = jsonencode({
    Version = "2020-12-01"
    Parameters = [
      {
        Name         = "TrainingInstanceType"
        Type         = "String"
        DefaultValue = "ml.m5.2xlarge"
      }
    ]
    Steps = [
      {
        Name = "TrainFraudModel"
        Type = "Training"
        Arguments = {
          AlgorithmSpecification = {
            TrainingImage     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-training:2.3.1"
            TrainingInputMode = "File"
          }
          RoleArn = "arn:aws:iam::123456789012:role/fraud-training"
          HyperParameters = {
            max_depth = "6"
            eta       = "0.2"
            num_round = "300"
          }
          InputDataConfig = [
            {
              ChannelName = "train"
              ContentType = "text/csv"
              DataSource = {
                S3DataSource = {
                  S3DataType             = "S3Prefix"
                  S3Uri                  = "s3://acme-ml-data/fraud/train/"
                  S3DataDistributionType = "ShardedByS3Key"
                }
              }
            }
          ]
          OutputDataConfig = {
            S3OutputPath = "s3://acme-ml-models/fraud/"
            KmsKeyId     = "arn:aws:kms:eu-west-1:123456789012:key/5d6e7f80-9a1b-4c2d-8e3f-405162738495"
          }
          ResourceConfig = {
            InstanceCount = 2
            InstanceType = {
              Get = "Parameters.TrainingInstanceType"
            }
            VolumeSizeInGB = 50
            VolumeKmsKeyId = "arn:aws:kms:eu-west-1:123456789012:key/5d6e7f80-9a1b-4c2d-8e3f-405162738495"
          }
          StoppingCondition = {
            MaxRuntimeInSeconds  = 14400
            MaxWaitTimeInSeconds = 28800
          }
          EnableInterContainerTrafficEncryption = true
          EnableManagedSpotTraining             = true
          CheckpointConfig = {
            S3Uri     = "s3://acme-ml-checkpoints/fraud/"
            LocalPath = "/opt/ml/checkpoints"
          }
          VpcConfig = {
            Subnets          = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
            SecurityGroupIds = ["sg-0f1e2d3c4b5a69788"]
          }
        }
      },
      {
        Name      = "RegisterFraudModel"
        Type      = "RegisterModel"
        DependsOn = ["TrainFraudModel"]
        Arguments = {
          ModelPackageGroupName = "fraud-detection"
          ModelApprovalStatus   = "PendingManualApproval"
          InferenceSpecification = {
            Containers = [
              {
                Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
                ModelDataUrl = {
                  Get = "Steps.TrainFraudModel.ModelArtifacts.S3ModelArtifacts"
                }
              }
            ]
            SupportedContentTypes      = ["text/csv"]
            SupportedResponseMIMETypes = ["text/csv"]
          }
        }
      }
    ]
  })
}
