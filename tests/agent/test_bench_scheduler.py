"""``cadenza bench scheduler`` and ``cadenza bench claim`` run end to end at small sizes, and
the scheduler bench writes the figures ``formats.md`` promises."""

from __future__ import annotations

from pathlib import Path

from cadenza.bench import registry
from cadenza.bench.scheduler import bench_scheduler
from cadenza.bench.workers import bench_claim

from support.postgres import ADMIN_URL


def test_the_scheduler_bench_keeps_its_contract(pg: object, tmp_path: Path) -> None:
    assert registry()["scheduler"].takes_sizes and registry()["scheduler"].takes_database
    for database, kind in ((ADMIN_URL, "postgresql"), (str(tmp_path / "b.db"), "sqlite")):
        figures = bench_scheduler([200, 2000], database=database, runs=3)
        assert figures["database"] == kind
        assert [r["enrollments"] for r in figures["results"]] == [200, 2000]
        for r in figures["results"]:
            assert set(r) == {"enrollments", "claim_p50_ms", "claim_p95_ms", "baseline_p50_ms"}
        assert figures["growth"] > 0 and figures["speedup"] > 0


def test_the_claim_bench_measures_beside_its_baseline(pg: object) -> None:
    assert registry()["claim"].takes_database and registry()["workers"].takes_database
    figures = bench_claim(500, database=ADMIN_URL, runs=2)
    (size,) = figures["sizes"]
    assert size["enrollments"] == 500
    assert size["claim_p50_ms"] > 0 and size["baseline_p50_ms"] > 0
