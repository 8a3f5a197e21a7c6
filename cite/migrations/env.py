"""Alembic environment. Run through ``catalogue init``, which passes the
connection in ``config.attributes`` so migrations share the app's engine."""
from alembic import context

from cite.migrate import include_object
from cite.schema import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations with `catalogue init`.")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
