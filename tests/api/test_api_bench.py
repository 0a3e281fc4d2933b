"""The queue benchmark runs end to end at a small size and reports its baseline."""

from __future__ import annotations

from cadenza.bench.queue import bench_queue


def test_bench_queue_small() -> None:
    result = bench_queue(300, n_reps=3, requests=20)
    assert result["page_size"] == 50 and result["rep_open_tickets"] == 100
    assert result["p95_ms"] >= result["p50_ms"] > 0
    assert result["baseline"]["p50_ms"] > 0 and result["speedup"] > 0
