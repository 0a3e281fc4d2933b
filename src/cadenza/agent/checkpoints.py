"""LangGraph checkpointers: SQLite next to a SQLite database, Postgres (over a connection pool
that outlives a PostgreSQL restart) with PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy.engine import make_url

from cadenza.store.engine import is_sqlite


def checkpoint_location(database_url: str, checkpoint_url: str | None = None) -> str:
    """Where checkpoints live: explicit, else a sibling SQLite file, else the same PostgreSQL.

    A separate SQLite file keeps checkpoint writes from contending with the product's own
    transactions for SQLite's single writer lock.
    """
    if checkpoint_url:
        return checkpoint_url
    if is_sqlite(database_url):
        db = make_url(database_url).database
        if not db or db == ":memory:":
            return "sqlite://:memory:"
        path = Path(db)
        return f"sqlite:///{path.with_name(path.stem + '.checkpoints.db')}"
    return database_url


_SETUP_LOCK = 0x0CADE2A  # advisory-lock key for checkpoint-table setup


def _with_lock_retries(action: Callable[[], object], attempts: int = 50) -> None:
    """Two workers starting at once both create the checkpoint tables; SQLite may answer
    "database is locked" to the loser even with a busy timeout, so wait and try again."""
    for attempt in range(attempts):
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


@contextmanager
def open_checkpointer(location: str) -> Iterator[BaseCheckpointSaver[str]]:
    """A ready (``setup()`` done) saver for ``location``; closed on exit."""
    if location.startswith("sqlite"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        db = make_url(location).database or ":memory:"
        if db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db, check_same_thread=False, isolation_level=None, timeout=30)
        saver = SqliteSaver(conn)
        _with_lock_retries(lambda: conn.execute("PRAGMA journal_mode=WAL"))
        conn.execute("PRAGMA synchronous=NORMAL")
        _with_lock_retries(saver.setup)
        try:
            yield saver
        finally:
            conn.close()
        return
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    url = location.replace("postgresql+psycopg://", "postgresql://")
    # a pool, not one connection: each checkout is checked first, so a connection that a
    # PostgreSQL restart broke is replaced instead of failing every later checkpoint
    pool: ConnectionPool[Any] = ConnectionPool(
        url, min_size=1, max_size=4, open=True, check=ConnectionPool.check_connection,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    try:
        with pool.connection() as pg:
            # two workers starting together would both create the checkpoint tables and one
            # would fail on a duplicate type: an advisory lock makes setup one at a time. It
            # is polled, not awaited: setup's CREATE INDEX CONCURRENTLY waits for every open
            # statement, including a session blocked on the lock, which would deadlock.
            for _ in range(600):
                row = pg.execute("SELECT pg_try_advisory_lock(%s) AS ok",
                                 (_SETUP_LOCK,)).fetchone()
                if row and row["ok"]:
                    break
                time.sleep(0.05)
            try:
                PostgresSaver(pg).setup()
            finally:
                pg.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        yield PostgresSaver(pool)
    finally:
        pool.close()
