"""``bench_dashboard``: computing the dashboard (totals, funnel per step, A/B tests, weeks) over a
synthetic history of N touches (:mod:`cadenza.bench.history`), on SQLite and — with
``--database postgresql://…`` — on PostgreSQL, in the same run.

The measured path is :func:`cadenza.metrics.dashboard.dashboard` whole, as the page and the API
call it: folding the change log's tail, merging the per-hour partials, the sequential tests.
Reported beside it, on the same database in the same run: the first view after the fill
(which folds the whole history: the migration's backfill costs the same), a view right after
a burst of new replies (the tail a live workspace leaves between two views), the old
recomputation from every touch (:func:`recomputed_dashboard`) and whether the two agree, and
the baseline, a bare ``SELECT count(*) FROM touch``: the least any statement reading every
touch costs there. PostgreSQL runs in a scratch database created on the given server and
dropped afterwards; nothing of the server's own is touched. The query plans of the
recomputation's reach scan and enrollment cube are reported with the figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from cadenza.bench.history import START, WEEKS, fill_history
from cadenza.metrics import MetricsQuery, sql
from cadenza.metrics.dashboard import dashboard, recomputed_dashboard
from cadenza.store import Database
from cadenza.store.metrics_tables import MetricsPartial
from cadenza.store.models import Reply, Touch

TARGET_MS = 1000.0
#: replies stored between two views of the "after new replies" figure
BURST = 100


@contextmanager
def _scratch_postgres(server_url: str) -> Iterator[str]:
    """A new, empty database on the server at ``server_url``, dropped on exit."""
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"cadenza_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def _plans(db: Database, workspace_id: int, since: dt.datetime,
           until: dt.datetime) -> dict[str, list[str]]:
    q = MetricsQuery(workspace_id=workspace_id, since=since, until=until)
    dialect = db.engine.dialect.name
    explain = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    plans: dict[str, list[str]] = {}
    with db.engine.connect() as conn:
        low, high = conn.execute(sql.cohort_ids(q, None)).one()
        for name, stmt in (("reach scan", sql.reach_rows(q, None, dialect, low or 0,
                                                         high or 0)),
                           ("enrollment cube", sql.enrollment_cube(q, None, dialect))):
            compiled = stmt.compile(dialect=conn.dialect,
                                    compile_kwargs={"literal_binds": True})
            rows = conn.exec_driver_sql(explain + str(compiled).replace("%", "%%")).all()
            plans[name] = [str(r[-1]) for r in rows]
        # what a view reads: the period's stored tallies (rollup.read)
        tally = select(col(MetricsPartial.hour), col(MetricsPartial.playbook_id),
                       col(MetricsPartial.payload)).where(
            col(MetricsPartial.workspace_id) == workspace_id,
            col(MetricsPartial.hour) >= f"{since:%Y-%m-%d %H}",
            col(MetricsPartial.hour) < f"{until:%Y-%m-%d %H}")
        compiled = tally.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        rows = conn.exec_driver_sql(explain + str(compiled).replace("%", "%%")).all()
        plans["tally read"] = [str(r[-1]) for r in rows]
    return plans


def _timed(db: Database, runs: int, view: Any, before: Any = None) -> tuple[list[float], Any]:
    timings, board = [], None
    for i in range(runs):
        if before is not None:
            before(i)
        start = time.perf_counter()
        with db.session() as s:
            board = view(s)
        timings.append(time.perf_counter() - start)
    return timings, board


def _new_replies(db: Database, workspace_id: int, round_: int, n: int = BURST) -> None:
    """``n`` replies to the touches sent last (so to the newest cohorts), as the watcher stores
    them: what a live workspace adds between two views."""
    with db.session() as s:
        newest = s.exec(select(Touch.id, Touch.prospect_id, Touch.sent_at)
                        .where(Touch.workspace_id == workspace_id,
                               col(Touch.sent_at).is_not(None))
                        .order_by(col(Touch.sent_at).desc(), col(Touch.id))
                        .offset(round_ * n).limit(n)).all()
        s.add_all([Reply(workspace_id=workspace_id, raw=b"bench", state="processed",
                         intent="interested", uid=10_000_000 + round_ * n + i,
                         prospect_id=prospect, touch_id=touch,
                         received_at=(sent or START) + dt.timedelta(hours=3))
                   for i, (touch, prospect, sent) in enumerate(newest)])


def _measure(url: str, touches: int, runs: int) -> dict[str, Any]:
    db = Database(url)
    try:
        db.migrate()
        start = time.perf_counter()
        filled = fill_history(db, touches=touches)
        fill_seconds = time.perf_counter() - start
        since, until = START, START + dt.timedelta(weeks=WEEKS)
        baseline: list[float] = []
        with db.engine.connect() as conn:
            for _ in range(runs + 1):
                start = time.perf_counter()
                conn.execute(text("SELECT count(*) FROM touch")).scalar_one()
                baseline.append(time.perf_counter() - start)
        with db.engine.connect() as conn:
            logged = conn.execute(text("SELECT count(*) FROM metrics_change")).scalar_one()

        def view(s: Any) -> Any:
            return dashboard(s, workspace_id=filled.workspace_id, since=since, until=until)

        def old(s: Any) -> Any:
            return recomputed_dashboard(s, workspace_id=filled.workspace_id, since=since,
                                        until=until)

        first, _ = _timed(db, 1, view)  # folds the whole history, as the backfill does
        steady, board = _timed(db, runs, view)
        tail, _ = _timed(db, runs, view,
                         lambda i: _new_replies(db, filled.workspace_id, i))
        recomputed, again = _timed(db, runs, old)
        _, board = _timed(db, 1, view)
        ours, base = _ms(steady), _ms(baseline[1:])
        return {"database": "sqlite" if db.is_sqlite else "postgresql",
                "touches": filled.touches, "enrollments": filled.enrollments,
                "replies": filled.replies, "fill_seconds": round(fill_seconds, 1),
                "dashboard_p50_ms": ours, "dashboard_runs_ms": _each(steady),
                "after_new_replies_p50_ms": _ms(tail), "after_new_replies_runs_ms": _each(tail),
                "new_replies_per_view": BURST,
                "first_view_ms": _ms(first), "changes_logged_by_the_fill": logged,
                "recomputed_p50_ms": _ms(recomputed), "recomputed_runs_ms": _each(recomputed),
                "same_answers": board.model_dump() == again.model_dump(),
                "baseline_count_p50_ms": base, "meets_target": ours < TARGET_MS,
                "ratio_to_baseline": round(ours / base, 1) if base else None,
                "speedup_over_recomputed": round(_ms(recomputed) / ours, 1) if ours else None,
                "enrolled": board.total.enrolled, "variant_tests": len(board.variants),
                "plans": _plans(db, filled.workspace_id, since, until)}
    finally:
        db.dispose()


def _each(samples: list[float]) -> list[float]:
    return [round(t * 1000, 1) for t in samples]


def bench_dashboard(touches: int = 100_000, *, database: str | None = None,
                    runs: int = 3) -> dict[str, Any]:
    """The dashboard over ``touches`` touches on SQLite, and on PostgreSQL when ``database``
    names a server (a scratch database is created there and dropped)."""
    from cadenza.bench import machine

    with tempfile.TemporaryDirectory(prefix="cadenza-bench-dashboard-") as workdir:
        results = [_measure(f"sqlite:///{Path(workdir) / 'bench.db'}", touches, runs)]
    if database:
        with _scratch_postgres(database) as url:
            results.append(_measure(url, touches, runs))
    first = results[0]
    return {"benchmark": "dashboard", "touches": touches, "results": results,
            "target_ms": TARGET_MS,
            "baseline": {"name": "SELECT count(*) FROM touch, same database, same run",
                         "p50_ms": first["baseline_count_p50_ms"]},
            "speedup": round(first["baseline_count_p50_ms"] / first["dashboard_p50_ms"], 4)
            if first["dashboard_p50_ms"] else None,
            "machine": machine()}
