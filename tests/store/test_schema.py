"""The data model on SQLite and PostgreSQL: migrations, constraints, the append-only log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from cadenza.errors import DatabaseError
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Playbook, Prospect, Touch
from cadenza.store.suppressions import is_suppressed, suppress, suppressed_among
from cadenza.store.workspaces import ensure_workspace


def _seed(db: Database) -> tuple[int, int]:
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        p = Prospect(workspace_id=ws.id, email="dana@example.com")
        pb = Playbook(workspace_id=ws.id, name="x", content_hash="h")
        s.add(p)
        s.add(pb)
        s.flush()
        e = Enrollment(workspace_id=ws.id, prospect_id=p.id, playbook_id=pb.id)
        s.add(e)
        s.flush()
        assert ws.id and e.id
        return ws.id, e.id


def test_migrations_are_current_and_idempotent(database: Database) -> None:
    assert database.is_current()
    database.migrate()  # a second run changes nothing
    assert database.is_current()


def test_touch_is_unique_per_enrollment_and_step(database: Database) -> None:
    ws_id, enr_id = _seed(database)
    with database.session() as s:
        pid = s.get(Enrollment, enr_id).prospect_id  # type: ignore[union-attr]
        s.add(Touch(workspace_id=ws_id, enrollment_id=enr_id, prospect_id=pid, step=1,
                    channel="email"))
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(Touch(workspace_id=ws_id, enrollment_id=enr_id, prospect_id=pid, step=1,
                    channel="email"))


def test_prospect_email_unique_per_workspace(database: Database) -> None:
    _seed(database)
    with pytest.raises(IntegrityError), database.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme")
        s.add(Prospect(workspace_id=ws.id, email="dana@example.com"))


def test_event_log_is_append_only(database: Database) -> None:
    with database.session() as s:
        record_event(session=s, kind="test", workspace_id=None, detail="x")
    for statement in ("UPDATE event SET kind = 'changed'", "DELETE FROM event"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
            conn.execute(text(statement))
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM event")).scalar_one() == "test"


def test_suppression_by_address_and_domain(database: Database) -> None:
    ws_id, _ = _seed(database)
    with database.session() as s:
        suppress(session=s, workspace_id=ws_id, value="Dana@Example.com", reason="unsubscribe")
        suppress(session=s, workspace_id=ws_id, value="blocked.example", reason="manual")
        suppress(session=s, workspace_id=ws_id, value="dana@example.com", reason="again")
    with database.session() as s:
        assert is_suppressed(session=s, workspace_id=ws_id, address="DANA@example.com")
        assert is_suppressed(session=s, workspace_id=ws_id, address="anyone@blocked.example")
        assert not is_suppressed(session=s, workspace_id=ws_id, address="eve@example.com")
        assert suppressed_among(session=s, workspace_id=ws_id, addresses=[
            "dana@example.com", "x@blocked.example", "ok@fine.example"]) == {
            "dana@example.com", "x@blocked.example"}


def test_a_suppression_counts_at_once_in_the_same_transaction(database: Database) -> None:
    """An opt-out recorded earlier in a transaction is seen by a check later in it."""
    ws_id, _ = _seed(database)
    with database.session() as s:
        suppress(session=s, workspace_id=ws_id, value="late@example.com", reason="unsubscribe")
        assert is_suppressed(session=s, workspace_id=ws_id, address="late@example.com")
        s.rollback()
        assert not is_suppressed(session=s, workspace_id=ws_id, address="late@example.com")


def test_unreachable_database_is_a_clear_error() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseError, match="cannot reach the database.*CADENZA_DATABASE_URL"):
        db.migrate()


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url"])
def test_unsupported_database_url(url: str) -> None:
    with pytest.raises(DatabaseError, match="CADENZA_DATABASE_URL"):
        Database(url)


def test_models_and_migrations_agree(database: Database) -> None:
    """A model change without a migration shows up here, on both engines."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_a_new_sqlite_database_file_is_private(tmp_path: Path) -> None:
    """Prospects, replies and token hashes: the file is created readable by its owner only."""
    import os
    import stat

    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    db.migrate()
    db.dispose()
    assert stat.S_IMODE(os.stat(tmp_path / "fresh.db").st_mode) == 0o600
