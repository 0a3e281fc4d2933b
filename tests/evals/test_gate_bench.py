"""The eval-drafts benchmark reports its figures, a baseline and the speedup, fast."""

from __future__ import annotations

from cadenza.bench.eval_drafts import bench_eval_drafts


def test_bench_eval_drafts_small() -> None:
    result = bench_eval_drafts(n_prospects=5)
    assert result["n_prospects"] == 5 and result["n_records"] > 0
    assert result["seconds"] > 0 and result["baseline"]["seconds"] >= 0
    assert 0 < result["speedup"] < 1  # scoring costs more than merely reading the drafts
    assert result["within_target"] is True and result["hard_violations"] == 0
    assert {"python", "cpus"} <= set(result["machine"])
