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
        Name = "TuneFraudModel"
        Type = "Tuning"
        Arguments = {
          HyperParameterTuningJobConfig = {
            Strategy = "Bayesian"
            HyperParameterTuningJobObjective = {
              Type       = "Maximize"
              MetricName = "validation:auc"
            }
            ResourceLimits = {
              MaxNumberOfTrainingJobs = 20
              MaxParallelTrainingJobs = 2
            }
            ParameterRanges = {
              ContinuousParameterRanges = [
                {
                  Name     = "eta"
                  MinValue = "0.05"
                  MaxValue = "0.5"
                }
              ]
            }
          }
          TrainingJobDefinition = {
            AlgorithmSpecification = {
              TrainingImage     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-training:2.3.1"
              TrainingInputMode = "File"
              MetricDefinitions = [
                {
                  Name  = "validation:auc"
                  Regex = "validation-auc:([0-9\\.]+)"
                }
              ]
            }
            RoleArn = "arn:aws:iam::123456789012:role/fraud-training"
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
            EnableNetworkIsolation                = true
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
            StaticHyperParameters = {
              num_round = "300"
            }
          }
        }
      },
      {
        Name      = "RegisterFraudModel"
        Type      = "RegisterModel"
        DependsOn = ["TuneFraudModel"]
        Arguments = {
          ModelPackageGroupName = "fraud-detection"
          ModelApprovalStatus   = "PendingManualApproval"
          InferenceSpecification = {
            Containers = [
              {
                Image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
                ModelDataUrl = "s3://acme-ml-models/fraud/best/model.tar.gz"
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
