"""Migration m16c_dashboard_rollup over data that exists: the upgrade queues the backfill (one
"every day" row per workspace), so the first view folds the whole history and equals the
recomputation; the downgrade takes the log, the partials and the triggers away and leaves the
history as it was; and up again."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text

from cadenza.store import Database

sys.path.insert(0, str(Path(__file__).parents[1] / "metrics"))
from metrics_world import SINCE, UNTIL, build_history
from test_dashboard_rollup import assert_same

from support.migrate import before, move


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_the_backfill_and_both_ways(database: Database) -> None:
    db = database
    move(db, before("m16c_dashboard_rollup"), down=True)
    # the history is written through today's models: the columns later migrations add, which
    # they write, are there only while it is written (m18c's enrollment.claimed_at)
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE enrollment ADD COLUMN claimed_at TIMESTAMP"))
    h = build_history(db)  # written with no trigger: nothing logged
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE enrollment DROP COLUMN claimed_at"))
    touches = _count(db, "touch")
    db.migrate()
    assert db.is_current()
    assert _count(db, "metrics_change") == 1 and _count(db, "metrics_partial") == 0
    board = assert_same(db, h.workspace_id, SINCE, UNTIL)
    assert board.total.enrolled == 8 and _count(db, "metrics_change") == 0
    assert _count(db, "metrics_partial") > 0
    move(db, before("m16c_dashboard_rollup"), down=True)
    assert _count(db, "touch") == touches
    with db.engine.begin() as conn:  # no trigger left to write into a table that is gone
        conn.execute(text("UPDATE touch SET state = 'sent' WHERE state = 'pending'"))
    db.migrate()
    assert_same(db, h.workspace_id, SINCE, UNTIL)
