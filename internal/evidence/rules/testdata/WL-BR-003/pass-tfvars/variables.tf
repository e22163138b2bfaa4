variable "prompt_attack_strength" {
  description = "Strength of the prompt-attack filter on user input."
  type        = string

  validation {
    condition     = contains(["LOW", "MEDIUM", "HIGH"], var.prompt_attack_strength)
    error_message = "Use LOW, MEDIUM or HIGH."
  }
}

variable "environment" {
  type = string
}
