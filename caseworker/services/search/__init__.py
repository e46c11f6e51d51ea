"""Finding cases: search everything, previous complaints by the same person."""
