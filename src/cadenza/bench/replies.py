"""``cadenza bench replies``: offline classification throughput against a bare MIME parse.

The baseline is measured in the same run on the same messages — ``email.message_from_bytes``
with ``policy.default`` and nothing else — so the ratio says how much our pipeline costs on
top of the parse every mail system needs anyway, independent of the machine. The two are
timed message by message in turn, so a load that comes and goes on a shared machine weighs
on both alike instead of on whichever ran second.
"""

from __future__ import annotations

import email
import email.policy
import logging
import statistics
import time
from pathlib import Path
from typing import Any

from cadenza.bench import machine
from cadenza.replies.classify.message import classify_message
from cadenza.replies.classify.model import load_model

log = logging.getLogger(__name__)

DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "replies"


def bench_replies(n: int = 1000, *, folder: Path | None = None) -> dict[str, Any]:
    """Classify ``n`` messages (cycling the dev set) offline on one core; time the baseline."""
    paths = sorted((folder or DATASET).glob("*.eml"))
    if not paths:
        raise FileNotFoundError(f"no *.eml files in {folder or DATASET}")
    corpus = [p.read_bytes() for p in paths]
    messages = [corpus[i % len(corpus)] for i in range(n)]
    load_model()  # loading the shipped model is start-up cost, not per-message cost
    for raw in corpus[:20]:  # warm regex caches and the parser's header registry
        classify_message(raw)
    baseline, ours = _time_in_turn(messages, _bare_parse, classify_message)
    ours_total, base_total = sum(ours), sum(baseline)
    return {
        "name": "replies",
        "n": n,
        "distinct_messages": len(corpus),
        "msgs_per_s": round(n / ours_total, 1),
        "median_ms": round(statistics.median(ours) * 1000, 3),
        "p95_ms": round(sorted(ours)[int(0.95 * (n - 1))] * 1000, 3),
        "baseline": "email.message_from_bytes(raw, policy=policy.default)",
        "baseline_msgs_per_s": round(n / base_total, 1),
        "baseline_median_ms": round(statistics.median(baseline) * 1000, 3),
        "ratio": round(ours_total / base_total, 2),
        "speedup": round(base_total / ours_total, 3),
        "machine": machine(),
    }


def _bare_parse(raw: bytes) -> object:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _time_in_turn(messages: list[bytes], first: Any,
                  second: Any) -> tuple[list[float], list[float]]:
    """Per message, the time ``first`` and then ``second`` take on it."""
    a: list[float] = []
    b: list[float] = []
    clock = time.perf_counter
    for raw in messages:
        start = clock()
        first(raw)
        middle = clock()
        second(raw)
        a.append(middle - start)
        b.append(clock() - middle)
    return a, b
