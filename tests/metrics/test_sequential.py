"""The sequential test keeps its promise when people look every day.

Simulated A/A tests (both arms the same rate) read once a day for a month: the mSPRT may call a
winner in at most α of them (within simulation error), where a fixed-sample z-test read daily
calls one in about a quarter. And it still finds a real difference. The measured rates are the
README's ("Variants").
"""

from __future__ import annotations

import math
import random

import pytest

from cadenza.metrics.sequential import msprt, wilson

ALPHA = 0.05


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def peeking_run(rng: random.Random, *, p_a: float, p_b: float, per_day: int,
                days: int) -> tuple[bool, bool]:
    """One test read every day: did the mSPRT, did a daily z-test, ever call a winner?"""
    xa = xb = n = 0
    msprt_called = z_called = False
    for _ in range(days):
        n += per_day
        xa += _binomial(rng, per_day, p_a)
        xb += _binomial(rng, per_day, p_b)
        msprt_called = msprt_called or msprt(xa, n, xb, n, alpha=ALPHA).significant
        pooled = (xa + xb) / (2 * n)
        se = math.sqrt(pooled * (1 - pooled) * 2 / n) if 0 < pooled < 1 else 0
        z_called = z_called or (se > 0 and abs(xb - xa) / n / se > 1.959964)
    return msprt_called, z_called


@pytest.mark.slow  # 2,400 simulated month-long tests, read daily
@pytest.mark.parametrize(("rate", "per_day"), [(0.03, 60), (0.05, 40), (0.10, 25)])
def test_aa_false_winners_stay_under_alpha_with_daily_peeking(rate: float,
                                                              per_day: int) -> None:
    rng = random.Random(16)
    runs = 800
    results = [peeking_run(rng, p_a=rate, p_b=rate, per_day=per_day, days=30)
               for _ in range(runs)]
    msprt_rate = sum(m for m, _ in results) / runs
    z_rate = sum(z for _, z in results) / runs
    error = 2 * math.sqrt(ALPHA * (1 - ALPHA) / runs)   # two standard errors at α
    print(f"A/A rate {rate}, {per_day}/day/arm, 30 daily looks: "
          f"mSPRT {msprt_rate:.3f}, daily z-test {z_rate:.3f}")
    assert msprt_rate <= ALPHA + error
    assert z_rate > 2 * ALPHA          # the naive test really does inflate: the check can fail


def test_a_real_difference_is_found_and_the_interval_covers_it() -> None:
    rng = random.Random(7)
    found = sum(peeking_run(rng, p_a=0.04, p_b=0.08, per_day=80, days=30)[0]
                for _ in range(60))
    assert found >= 50                 # power: most month-long tests find +4 points
    c = msprt(400, 10_000, 800, 10_000)
    assert c.significant and c.interval is not None
    assert c.interval.low < 0.04 < c.interval.high and c.interval.low > 0
    assert c.p_value < ALPHA and c.likelihood_ratio >= 1 / ALPHA


def test_small_and_degenerate_counts() -> None:
    assert not msprt(1, 2, 0, 2).significant           # four prospects prove nothing
    empty = msprt(0, 0, 0, 10)
    assert empty.difference is None and not empty.significant
    same = msprt(0, 500, 0, 500)                       # nobody replied in either arm
    assert same.likelihood_ratio == 1.0 and not same.significant
    w = wilson(0, 20)
    assert w is not None and w.low == 0 and 0.1 < w.high < 0.2
    assert wilson(0, 0) is None
