# The module encrypts with a customer managed key only when given one, and this caller does not pass it.
module "notebook" {
  source = "./modules/notebook"

  name     = "research"
  role_arn = "arn:aws:iam::123456789012:role/research-notebook"
}
