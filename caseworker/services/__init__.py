"""Services: one function per thing a person does, each taking a unit of work."""
