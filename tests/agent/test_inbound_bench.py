"""The inbound benchmark runs end to end at a small size and reports its baseline (figures are
for `cadenza bench inbound`; nothing here is timed)."""

from __future__ import annotations

import pytest

from cadenza.bench.inbound import bench_inbound


@pytest.mark.slow  # a benchmark run: an API server, an SMTP process, a few leads
def test_bench_inbound_small() -> None:
    result = bench_inbound(3, spacing=0.05)
    assert result["delivered"] == 3
    ours = result["arrival_to_delivered_ms"]
    assert ours["max"] >= ours["p95"] >= ours["p50"] > 0
    assert result["baseline"]["ms"]["p50"] > 0 and result["speedup"] > 0
