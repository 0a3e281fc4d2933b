"""The figures behind "how good is the reply classifier" that a single accuracy hides.

A score over a pooled set is dominated by its largest language and by the writers the model
was tuned on, and the errors that matter are not all alike. So every figure is broken down by
language and by writer, with a 95 % interval (Wilson for a share, a seeded bootstrap for
macro-F1: the same numbers on every run), and the errors are counted by what they cost:

- ``missed_opt_out``: an opt-out acted on as something else (not sent to a person): the law
  and the brand;
- ``false_opt_out``: a reply that was no opt-out read as one: a prospect lost for good;
- ``positive_as_negative``: interest, a meeting or a question read as a no, an absence or an
  automatic answer: a lost meeting;
- ``to_person``: a human reply sent to a person (``unclear``): cheap, but counted, since a
  queue that grows is read less carefully.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from cadenza.replies.classify.intents import LABELED_INTENTS, NEGATIVE_READINGS, POSITIVE_INTENTS

#: Gold intents of a person writing (an absence notice typed by hand is still a person's).
HUMAN_INTENTS = frozenset(LABELED_INTENTS) - {"auto_reply", "bounce"}
_Z = 1.959964


def wilson(successes: int, n: int) -> list[float]:
    """The 95 % Wilson score interval of ``successes / n`` (``[0, 0]`` when ``n`` is 0)."""
    if n == 0:
        return [0.0, 0.0]
    p = successes / n
    denominator = 1 + _Z * _Z / n
    centre = (p + _Z * _Z / (2 * n)) / denominator
    half = _Z * math.sqrt(p * (1 - p) / n + _Z * _Z / (4 * n * n)) / denominator
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def macro_f1(expected: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the gold intents present in ``expected``."""
    classes = sorted(set(expected))
    if not classes:
        return 0.0
    total = 0.0
    for c in classes:
        tp = sum(1 for e, p in zip(expected, predicted, strict=True) if e == c and p == c)
        fp = sum(1 for e, p in zip(expected, predicted, strict=True) if e != c and p == c)
        fn = sum(1 for e, p in zip(expected, predicted, strict=True) if e == c and p != c)
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(classes)


def bootstrap_macro_f1(expected: Sequence[str], predicted: Sequence[str], *,
                       rounds: int = 400, seed: int = 13) -> list[float]:
    """A 95 % percentile interval of macro-F1 by resampling messages (seeded)."""
    n = len(expected)
    if n == 0:
        return [0.0, 0.0]
    rng = random.Random(seed)
    scores = []
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        scores.append(macro_f1([expected[i] for i in idx], [predicted[i] for i in idx]))
    scores.sort()
    return [round(scores[int(0.025 * rounds)], 4), round(scores[int(0.975 * rounds) - 1], 4)]


def costly_errors(expected: str, predicted: str) -> list[str]:
    """The costly error kinds (see the module docstring) of one prediction."""
    kinds: list[str] = []
    if expected == "unsubscribe" and predicted not in ("unsubscribe", "unclear"):
        kinds.append("missed_opt_out")
    if predicted == "unsubscribe" and expected != "unsubscribe":
        kinds.append("false_opt_out")
    if expected in POSITIVE_INTENTS and predicted in NEGATIVE_READINGS:
        kinds.append("positive_as_negative")
    return kinds


def summary(expected: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """n, accuracy and macro-F1 with intervals, costly errors and the share sent to a person."""
    n = len(expected)
    correct = sum(1 for e, p in zip(expected, predicted, strict=True) if e == p)
    counts: dict[str, int] = defaultdict(int)
    for e, p in zip(expected, predicted, strict=True):
        for kind in costly_errors(e, p):
            counts[kind] += 1
    human = [p for e, p in zip(expected, predicted, strict=True) if e in HUMAN_INTENTS]
    to_person = sum(1 for p in human if p == "unclear")
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "accuracy_ci": wilson(correct, n),
        "macro_f1": round(macro_f1(expected, predicted), 4),
        "macro_f1_ci": bootstrap_macro_f1(expected, predicted),
        "missed_opt_out": counts["missed_opt_out"],
        "false_opt_out": counts["false_opt_out"],
        "positive_as_negative": counts["positive_as_negative"],
        "to_person": to_person,
        "to_person_share": round(to_person / len(human), 4) if human else 0.0,
        "to_person_share_ci": wilson(to_person, len(human)),
    }


def breakdown(groups: Sequence[str | None], expected: Sequence[str],
              predicted: Sequence[str]) -> dict[str, dict[str, Any]]:
    """:func:`summary` for each group (a language, a writer); ``None`` groups as "unknown"."""
    items: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for g, e, p in zip(groups, expected, predicted, strict=True):
        items[g or "unknown"].append((e, p))
    return {g: summary([e for e, _ in pairs], [p for _, p in pairs])
            for g, pairs in sorted(items.items())}
