"""`cadenza bench dashboard` measures the dashboard beside a bare COUNT(*) on SQLite and on
PostgreSQL (a scratch database, dropped afterwards), with the query plans."""

from __future__ import annotations

import psycopg
import pytest

from cadenza.bench import registry
from cadenza.bench.dashboard import bench_dashboard

from support.postgres import ADMIN_URL, postgres_available


@pytest.mark.slow  # fills two databases and runs the dashboard on each
def test_bench_dashboard_on_both_databases() -> None:
    if postgres_available() is not None:
        pytest.fail("PostgreSQL unavailable")
    scratch = "SELECT datname FROM pg_database WHERE datname LIKE 'cadenza_bench_%'"
    with psycopg.connect(ADMIN_URL) as conn:
        before = {r[0] for r in conn.execute(scratch)}
    figures = bench_dashboard(3000, database=ADMIN_URL, runs=1)
    assert [r["database"] for r in figures["results"]] == ["sqlite", "postgresql"]
    for result in figures["results"]:
        assert result["touches"] >= 3000 and result["enrolled"] > 0
        assert result["variant_tests"] == 2
        assert result["dashboard_p50_ms"] > 0 and result["baseline_count_p50_ms"] > 0
        assert result["plans"]["reach scan"] and result["plans"]["enrollment cube"]
    assert "ix_touch_reach" in " ".join(figures["results"][0]["plans"]["reach scan"])
    assert figures["speedup"] > 0 and figures["target_ms"] == 1000.0
    with psycopg.connect(ADMIN_URL) as conn:  # its scratch database is gone
        assert {r[0] for r in conn.execute(scratch)} <= before
    assert registry()["dashboard"].takes_database
