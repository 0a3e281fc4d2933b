"""``cadenza bench claim`` runs end to end on PostgreSQL at a small size."""

from __future__ import annotations

from cadenza.bench import registry
from cadenza.bench.workers import bench_claim

from support.postgres import ADMIN_URL


def test_the_claim_bench_measures_beside_its_baseline(pg: object) -> None:
    assert registry()["claim"].takes_database and registry()["workers"].takes_database
    figures = bench_claim(500, database=ADMIN_URL, runs=2)
    (size,) = figures["sizes"]
    assert size["enrollments"] == 500
    assert size["claim_p50_ms"] > 0 and size["baseline_p50_ms"] > 0
