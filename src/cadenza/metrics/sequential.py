"""Is variant B really better than A? A test that stays honest when people look every day.

**Why a mixture sequential probability ratio test (mSPRT).** Agencies open the dashboard every
morning. A fixed-sample test (a z-test at 95 %) read daily and stopped at the first "significant"
day declares a false winner far more often than 5 % of the time — with daily looks over a month,
roughly a quarter of A/A tests "win". The two honest options are alpha-spending (fix the looks
in advance and spend α across them: people do not look on a schedule) and an *always-valid*
test, whose error guarantee holds at every look whatever the looking pattern. We use the latter:
the mSPRT of Johari, Koomen, Pekelis and Walsh ("Peeking at A/B tests", KDD 2017; Optimizely's
Stats Engine), for the difference of two proportions.

The statistic: with ``d = p̂_B − p̂_A`` and its variance ``s² = p̄(1 − p̄)(1/n_A + 1/n_B)``
(``p̄`` pooled: the variance under "no difference", steadier on small counts), mixing the
alternative ``θ ~ N(0, τ²)`` gives the likelihood ratio of a normal estimate

    Λ = √(s² / (s² + τ²)) · exp(τ² d² / (2 s² (s² + τ²)))

Under "no difference" Λ is a martingale with mean 1, so by Ville's inequality the chance that
it *ever* reaches 1/α is at most α: declaring a winner when ``Λ ≥ 1/α`` keeps the false-winner
rate under α at any number of looks. ``1/Λ`` is the always-valid p-value, and inverting the test
gives the always-valid interval for the difference,

    d ± √((s_u² (s_u² + τ²) / τ²) · (2 ln(1/α) + ln((s_u² + τ²) / s_u²)))

(``s_u²`` the unpooled variance). ``τ`` is the size of difference the test is tuned to find
fastest; reply rates are a few percent, so the default is 2 points. The guarantee is exact for
normal data and holds approximately for counts; ``tests/metrics/test_sequential.py`` measures
the false-winner rate on simulated A/A tests with daily looks (README: "Variants").
With more than two arms, each is compared with the control at α/(k − 1) (Bonferroni).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_TAU = 0.02
DEFAULT_ALPHA = 0.05
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, n: int, z: float = _Z95) -> Interval | None:
    """The Wilson score interval of one proportion (descriptive: a fixed-sample 95 %)."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Comparison:
    """Arm B against the control A, as the mSPRT sees it now."""

    difference: float | None
    interval: Interval | None
    likelihood_ratio: float
    p_value: float
    significant: bool
    alpha: float


def msprt(successes_a: int, n_a: int, successes_b: int, n_b: int, *,
          alpha: float = DEFAULT_ALPHA, tau: float = DEFAULT_TAU) -> Comparison:
    """The always-valid comparison of B with A (see the module docstring)."""
    if n_a <= 0 or n_b <= 0:
        return Comparison(None, None, 1.0, 1.0, False, alpha)
    p_a, p_b = successes_a / n_a, successes_b / n_b
    d = p_b - p_a
    pooled = (successes_a + successes_b) / (n_a + n_b)
    s2 = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    t2 = tau * tau
    if s2 <= 0:
        ratio = 1.0  # every outcome alike in both arms: no evidence either way
    else:
        exponent = t2 * d * d / (2 * s2 * (s2 + t2))
        ratio = math.sqrt(s2 / (s2 + t2)) * math.exp(min(exponent, 700.0))
    unpooled = p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b
    interval = None
    if unpooled > 0:
        half = math.sqrt(unpooled * (unpooled + t2) / t2
                         * (2 * math.log(1 / alpha) + math.log((unpooled + t2) / unpooled)))
        interval = Interval(max(-1.0, d - half), min(1.0, d + half))
    p_value = min(1.0, 1 / ratio)
    return Comparison(d, interval, ratio, p_value, ratio >= 1 / alpha, alpha)
