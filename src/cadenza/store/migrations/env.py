"""Alembic environment: runs on the connection Cadenza hands it (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# importing them registers the tables
import cadenza.store.models
import cadenza.store.results  # noqa: F401

target_metadata = SQLModel.metadata
config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from cadenza.store.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///cadenza.db")
        with engine.begin() as conn:
            _run_on(conn)
        return
    _run_on(connection)


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
