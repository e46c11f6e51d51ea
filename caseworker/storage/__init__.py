"""Storage: the SQLAlchemy mapping, the audit trail, migrations and the database engine."""
