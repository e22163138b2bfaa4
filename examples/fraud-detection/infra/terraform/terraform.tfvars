model_version = "17"
