"""The agent tests' own fixture: a PostgreSQL database alone (the multi-worker tests)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from cadenza.store import Database

from support.postgres import postgres_available, temporary_database


@pytest.fixture
def pg() -> Iterator[Database]:
    """A migrated, empty PostgreSQL database (fails when the server is down, unless
    CADENZA_TEST_SKIP_PG=1, like the ``database`` fixture)."""
    reason = postgres_available()
    if reason is not None:
        if os.environ.get("CADENZA_TEST_SKIP_PG") == "1":
            pytest.skip(f"PostgreSQL unavailable: {reason}")
        pytest.fail(f"PostgreSQL unavailable ({reason}); start it with pg_ctlcluster")
    with temporary_database() as url:
        db = Database(url)
        db.migrate()
        yield db
        db.dispose()
