variable "region" {
  description = "Region of the authorisation platform; the endpoint must sit next to it."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "model_version" {
  description = "Model package version approved in the registry."
  type        = string
}

variable "vpc_cidr" {
  type    = string
  default = "10.42.0.0/16"
}

variable "availability_zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "alarm_email" {
  type    = string
  default = "payments-risk-ml@example.com"
}
