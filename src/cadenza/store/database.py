"""The database handle passed down from the entry point (no module-level engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cadenza.store.engine import (
    check_connection,
    is_sqlite,
    make_engine,
    migrate,
    normalise_url,
    schema_is_current,
    session_scope,
)


class Database:
    """One database: its URL, its engine, sessions, and migrations."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine: Engine = make_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    def check(self) -> None:
        check_connection(self.engine)

    def migrate(self) -> None:
        migrate(self.engine)

    def is_current(self) -> bool:
        return schema_is_current(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
