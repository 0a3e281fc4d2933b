"""Migrations over data that exists, on SQLite and PostgreSQL: a database at the previous
revision upgrades with its rows intact, and downgrades again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from cadenza.store import Database
from cadenza.store.tokens import hash_token, open_session, usable_token

from support.migrate import move

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
KEPT = "cz_a-token-from-before-0006"
REVOKED = "cz_a-revoked-token-from-before-0006"



def test_0006_keeps_existing_tokens_working(database: Database) -> None:
    db = database
    move(db, "0005", down=True)  # the database as it was before 0006, empty
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace (slug, name, sender, settings, created_at) "
                          "VALUES ('acme', 'Acme', '{}', '{}', :at)"), {"at": NOW})
        for clear, revoked in ((KEPT, False), (REVOKED, True)):
            conn.execute(text(
                "INSERT INTO apitoken (workspace_id, role, name, token_hash, revoked, created_at)"
                " VALUES (1, 'operator', 'old', :h, :r, :at)"),
                {"h": hash_token(clear), "r": revoked, "at": NOW})
    db.migrate()
    assert db.is_current()
    with db.session() as s:
        row = usable_token(session=s, token=KEPT, now=NOW)
        assert row is not None
        assert (row.expires_at, row.revoked_at, row.session_of) == (None, None, None)
        assert usable_token(session=s, token=REVOKED, now=NOW) is None
        session_token = open_session(session=s, token=row, now=NOW)
    # down again: the web session goes (the old schema would take it for a token), the
    # tokens stay; and up once more
    move(db, "0005", down=True)
    with db.engine.connect() as conn:
        hashes = set(conn.execute(text("SELECT token_hash FROM apitoken")).scalars())
    assert hashes == {hash_token(KEPT), hash_token(REVOKED)}
    assert hash_token(session_token) not in hashes
    db.migrate()
    with db.session() as s:
        assert usable_token(session=s, token=KEPT, now=NOW) is not None
