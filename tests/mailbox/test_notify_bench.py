"""The reply → rep-notified benchmark runs end to end (small; no timing is asserted).

Against dovecot: every APPENDed positive reply becomes a handoff routed to a rep whose email
reaches the benchmark's SMTP sink, and the bare IDLE push baseline is measured beside it.
"""

from __future__ import annotations

import uuid

import pytest

from cadenza.bench.notify import bench_handoff_notify

from support.dovecot import ImapServer


@pytest.mark.slow  # a benchmark run, if a small one
def test_every_reply_reaches_a_rep_and_the_baseline_is_measured(
        imap_server: ImapServer) -> None:
    result = bench_handoff_notify(6, host=imap_server.host, port=imap_server.port,
                                  user=f"bench-{uuid.uuid4().hex[:10]}",
                                  password=imap_server.password, rate=20.0, reps=2)
    notified = result["notified"]
    assert notified["appended"] == notified["handoffs"] == 6
    assert notified["routed_to_a_rep"] == notified["reps_notified"] == notified["n"] == 6
    assert result["baseline"]["n"] == 6
    assert set(result["ratio"]) == {"p50", "p95"}
    assert notified["max_ms"] >= notified["p95_ms"] >= notified["p50_ms"] > 0
