"""Migration m16e_webhooks over data that exists: the handoff notifier's delivery log survives
the upgrade (as rows with no state, which no deliverer claims) and the downgrade."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from cadenza.store import Database
from cadenza.store.webhooks import claim_due

from support.migrate import move

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)



def test_the_handoff_delivery_log_survives_both_ways(database: Database) -> None:
    db = database
    move(db, "0008", down=True)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace (slug, name, sender, settings, created_at) "
                          "VALUES ('acme', 'Acme', '{}', '{}', :at)"), {"at": NOW})
        conn.execute(text(
            "INSERT INTO webhookdelivery (workspace_id, url, event, attempt, ok, error, "
            "duration_ms, created_at) VALUES (1, 'https://hooks.example/h', 'handoff.assigned',"
            " 2, true, '', 12.5, :at)"), {"at": NOW})
    db.migrate()
    assert db.is_current()
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT event, attempt, ok, state, replay, subscription_id "
                                "FROM webhookdelivery")).one()
    assert tuple(row) == ("handoff.assigned", 2, True, "", 0, None)
    with db.session() as s:
        assert claim_due(session=s, now=NOW, until=NOW, per_subscription=10,
                         skip_locked=not db.is_sqlite) == []
    move(db, "0008", down=True)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT event FROM webhookdelivery")).scalars().all() == [
            "handoff.assigned"]
    db.migrate()
    assert db.is_current()
