"""``cadenza bench scheduler``: the claim of up to 1,000 due touches among N enrollments.

"Claim" is what a worker does to take due touches: find them, lock them ``FOR UPDATE SKIP
LOCKED`` (on PostgreSQL) and mark them in flight (``claimed_at`` stamped, conditionally), in
one transaction. The bench runs the scheduler's own two statements,
:func:`cadenza.agent.scheduler.find_due` (every column of the due rows, as
:meth:`~cadenza.agent.scheduler.Scheduler.claim` reads them, through the partial index
``ix_enrollment_due``) and :func:`~cadenza.agent.scheduler.mark_taken` (what
``Scheduler._take`` runs: the picks as two arrays joined through ``unnest`` on PostgreSQL, a
row-value ``IN`` list on SQLite), through a bare connection: the ORM's building of objects and
the caps between the two are the ``claim`` bench's. Each run is rolled back so the next finds
the same rows. The baseline is the same claim once ``ix_enrollment_due`` is dropped. The
enrollments are built in the server (``generate_series`` on PostgreSQL, a recursive CTE on
SQLite), so a million take seconds to a couple of minutes.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from cadenza.agent.scheduler import find_due, mark_taken
from cadenza.bench import machine
from cadenza.bench.dashboard import _scratch_postgres
from cadenza.store import Database

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
LIMIT = 1000

def _build(db: Database, n: int) -> None:
    """One workspace, playbook and prospect; ``n`` active enrollments, ``min(n, 1000)`` of
    them due at ``NOW`` and the rest later."""
    series = ("generate_series(1, :n) AS g(i)" if not db.is_sqlite else
              "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) "
              "SELECT i FROM s) AS g")
    # every k-th row is due (in the last hour), the rest over the next two weeks: 1,000 due
    # rows at every size from 10,000 up, spread through the table
    k = max(1, n // LIMIT)
    minutes = (f"CASE WHEN g.i % {k} = 0 THEN -1 - (g.i % 60) "
               "ELSE 1 + ((g.i % 20160) * 7919) % 20160 END")
    due = (f"CAST(:now AS timestamptz) + make_interval(mins => {minutes})" if not db.is_sqlite
           else f"datetime(:now, ({minutes}) || ' minutes')")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace (slug, name, sender, settings, created_at) "
                          "VALUES ('b', 'b', '{}', '{}', :t)"), {"t": NOW})
        conn.execute(text("INSERT INTO playbook (workspace_id, name, content_hash, definition, "
                          "source_yaml, created_at) VALUES (1, 'p', 'h', '{}', '', :t)"),
                     {"t": NOW})
        conn.execute(text("INSERT INTO prospect (workspace_id, external_id, email, email_status,"
                          " first_name, last_name, title, company, company_domain, industry, "
                          "country, timezone, linkedin_url, language, source, content_hash, "
                          "extra, created_at, updated_at) VALUES (1, 'x', 'x@y.example', "
                          "'valid', '', '', '', '', '', '', '', '', '', '', '', '', '{}', :t, :t)"),
                     {"t": NOW})
        conn.execute(text("INSERT INTO enrollment (workspace_id, prospect_id, playbook_id, state,"
                          " next_step, next_due_at, started_at, stop_reason, thread_message_id, "
                          f"thread_subject, created_at, updated_at) SELECT 1, 1, 1, 'active', 1, "
                          f"{due}, :t, '', '', '', :t, :t FROM {series}"),
                     {"n": n, "now": NOW if not db.is_sqlite else NOW.isoformat(" "),
                      "t": NOW})
        conn.execute(text("ANALYZE"))


def _claims(db: Database, runs: int) -> list[float]:
    """Seconds per claim (find, lock, mark), each rolled back."""
    find = find_due(NOW, limit=LIMIT, lock=not db.is_sqlite)
    out = []
    with db.engine.connect() as conn:
        for _ in range(runs):
            start = time.perf_counter()
            with conn.begin() as tx:
                rows = conn.execute(find).all()
                marked = conn.execute(*mark_taken([(r.id, r.next_step) for r in rows], NOW,
                                                  sqlite=db.is_sqlite)).all()
                out.append(time.perf_counter() - start)
                tx.rollback()
            if len(marked) != len(rows) or not rows:
                raise RuntimeError(f"the claim marked {len(marked)} of {len(rows)} due rows")
    return out


def _at(url: str, n: int, runs: int) -> dict[str, Any]:
    db = Database(url)
    db.migrate()
    _build(db, n)
    ours = _claims(db, runs)
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_enrollment_due"))
    base = _claims(db, runs)
    db.dispose()
    ordered = sorted(ours)
    return {"enrollments": n, "claim_p50_ms": round(statistics.median(ours) * 1000, 3),
            "claim_p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)] * 1000, 3),
            "baseline_p50_ms": round(statistics.median(base) * 1000, 3)}


def bench_scheduler(sizes: list[int], *, database: str | None = None,
                    runs: int = 20) -> dict[str, Any]:
    """The claim at each size, on PostgreSQL (``database`` a PostgreSQL server URL: a scratch
    database is created there and dropped) or SQLite (``database`` a file path, else a temp
    file)."""
    results = []
    postgres = bool(database) and str(database).startswith("postgres")
    for n in sizes:
        if postgres:
            with _scratch_postgres(str(database)) as url:
                results.append(_at(url, n, runs))
        else:
            folder = Path(tempfile.mkdtemp(prefix="cadenza-bench-scheduler-"))
            path = Path(database).with_suffix(f".{n}.db") if database else folder / f"{n}.db"
            results.append(_at(f"sqlite:///{path}", n, runs))
    largest = results[-1]
    tenth = next((r for r in results if r["enrollments"] * 10 == largest["enrollments"]), None)
    return {"benchmark": "scheduler", "database": "postgresql" if postgres else "sqlite",
            "results": results,
            "growth": round(largest["claim_p50_ms"] / tenth["claim_p50_ms"], 2)
            if tenth else None,
            "baseline": {"name": "the same claim without the index ix_enrollment_due",
                         "p50_ms": largest["baseline_p50_ms"]},
            "speedup": round(largest["baseline_p50_ms"] / largest["claim_p50_ms"], 2),
            "machine": machine()}
