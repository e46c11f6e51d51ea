"""Alembic environment: runs migrations on the connection Caseworker passes in (or the URL)."""

from alembic import context
from sqlalchemy import create_engine

from caseworker.storage.models import Base, leave_search_index_alone, partial_indexes

config = context.config
target_metadata = Base.metadata
leave_search_index_alone()  # autogenerate must not drop the full-text index


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic.ini names no sqlalchemy.url, and no connection was given")
    engine = create_engine(url)
    with engine.begin() as connection:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    partial_indexes(connection.dialect.name)  # as make_engine does, for a URL given here
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        before = context.get_context().get_current_revision()
        context.run_migrations()
        if (
            connection.dialect.name == "postgresql"
            and context.get_context().get_current_revision() != before
        ):
            # A table a migration added is recorded by the database's trail from the start.
            from caseworker.storage import pgaudit

            pgaudit.cover_new_tables(connection)


run_migrations_online()
