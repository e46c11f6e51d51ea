"""Cases in and out of Caseworker as files (the JSON case file)."""
