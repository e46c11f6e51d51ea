"""Working as a team: version-checked saves, colleagues' changes, offline copies."""
