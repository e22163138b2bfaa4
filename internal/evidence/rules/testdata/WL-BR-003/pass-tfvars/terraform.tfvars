prompt_attack_strength = "HIGH"
environment            = "prod"
