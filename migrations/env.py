"""Alembic environment: batch mode on SQLite; the URL comes from Fiscus settings."""

from __future__ import annotations

from alembic import context

from fiscus import schema
from fiscus.config import get_settings
from fiscus.db.session import make_engine

config = context.config
target_metadata = schema.Base.metadata


def run_migrations() -> None:
    url = config.attributes.get("url") or get_settings().migration_url
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
