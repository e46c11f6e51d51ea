"""Scripts that render the app's screens for the documentation (not part of the app)."""
