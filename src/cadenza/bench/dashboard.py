"""``bench_dashboard``: computing the dashboard (totals, funnel per step, A/B tests, weeks) over a
synthetic history of N touches (:mod:`cadenza.bench.history`), on SQLite and — with
``--database postgresql://…`` — on PostgreSQL, in the same run.

The measured path is :func:`cadenza.metrics.dashboard.dashboard` whole, as the page and the API
call it: the reach scan, the cubes, the signals, the folds and the sequential tests. The
baseline, on the same database in the same run, is a bare ``SELECT count(*) FROM touch``: the
least any statement reading every touch costs there. PostgreSQL runs in a scratch database
created on the given server and dropped afterwards; nothing of the server's own is touched.
The query plans of the reach scan and the enrollment cube are reported with the figures.
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

from cadenza.bench.history import START, WEEKS, fill_history
from cadenza.metrics import MetricsQuery, sql
from cadenza.metrics.dashboard import dashboard
from cadenza.store import Database

TARGET_MS = 1000.0


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
    return plans


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
        timings: list[float] = []
        for _ in range(runs + 1):  # the first run warms caches and is not counted
            start = time.perf_counter()
            with db.session() as s:
                board = dashboard(s, workspace_id=filled.workspace_id, since=since,
                                  until=until)
            timings.append(time.perf_counter() - start)
        ours, base = _ms(timings[1:]), _ms(baseline[1:])
        return {"database": "sqlite" if db.is_sqlite else "postgresql",
                "touches": filled.touches, "enrollments": filled.enrollments,
                "replies": filled.replies, "fill_seconds": round(fill_seconds, 1),
                "dashboard_p50_ms": ours, "dashboard_runs_ms": [round(t * 1000, 1)
                                                               for t in timings[1:]],
                "baseline_count_p50_ms": base, "meets_target": ours < TARGET_MS,
                "ratio_to_baseline": round(ours / base, 1) if base else None,
                "enrolled": board.total.enrolled, "variant_tests": len(board.variants),
                "plans": _plans(db, filled.workspace_id, since, until)}
    finally:
        db.dispose()


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
