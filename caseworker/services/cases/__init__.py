"""A case from receipt to closure: intake, the lifecycle's steps, escalation, the Ombudsman,
actions, restrictions, allocation."""
