"""The investigation: issues, notes, interviews, home-visit risk assessments."""
