"""The plain vocabulary of complaint handling, shared by storage, services, letters and reports."""
