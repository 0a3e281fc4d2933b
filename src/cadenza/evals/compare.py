"""``cadenza eval compare RUN_A RUN_B``: what changed between two eval runs, and is it real.

Agencies pick prompts, playbooks and models by these differences, so each one comes with a
test against noise: pass rates with a two-sided two-proportion z-test, means and macro-F1 with a
seeded bootstrap (95% percentile interval of the difference), counts of hard failures exactly
(any change is real: each one is a listed draft or reply). A *regression* is a decline larger
than the threshold configured for that metric; it makes the CLI exit non-zero so CI can gate on it.
Both kinds of run are understood: ``eval drafts`` (``scores.json``) and ``eval replies``
(``metrics.json``; its per-item values are rebuilt from the confusion matrix).
"""

from __future__ import annotations

import json
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cadenza.errors import InputError
from cadenza.yamlsource import load_yaml, read_text

ALPHA = 0.05
BOOTSTRAP_RESAMPLES = 1000
_SEED = 20260101
#: Numeric per-item values of drafts compared by their mean (personalization is a 0–1 score).
_DRAFT_MEANS = ("personalization", "words", "reading")
_LOWER_IS_BETTER = frozenset({"hard_violations", "critical_errors", "words_mean",
                              "reading_mean", "judge_errors"})


@dataclass(frozen=True)
class MetricDelta:
    """One metric in both runs: the difference ``b - a`` and whether it is beyond noise."""

    name: str
    a: float | None
    b: float | None
    diff: float | None
    higher_is_better: bool
    test: str
    p_value: float | None = None
    ci: tuple[float, float] | None = None
    beyond_noise: bool | None = None
    threshold: float | None = None
    regression: bool = False


@dataclass(frozen=True)
class Comparison:
    """Every compared metric, and the names of those that regressed past their threshold."""

    kind: str
    run_a: str
    run_b: str
    metrics: list[MetricDelta] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when a configured threshold regressed (for CI), else 0."""
        return 1 if self.regressions else 0

    def as_dict(self) -> dict[str, Any]:
        """The ``compare.json`` object."""
        return asdict(self) | {"exit_code": self.exit_code, "alpha": ALPHA}


# -- statistics -----------------------------------------------------------------------------------
def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p-value that two pass rates are equal (pooled z-test); ``None`` if n is 0."""
    if n1 == 0 or n2 == 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0  # both rates 0 or both 1: identical
    z = (x2 / n2 - x1 / n1) / se
    return math.erfc(abs(z) / math.sqrt(2))


def bootstrap_diff(a: Sequence[Any], b: Sequence[Any],
                   statistic: Callable[[Sequence[Any]], float],
                   resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float] | None:
    """95% percentile interval of ``statistic(b) - statistic(a)``, resampling each run."""
    if not a or not b:
        return None
    rng = random.Random(_SEED)
    diffs = sorted(statistic(rng.choices(b, k=len(b))) - statistic(rng.choices(a, k=len(a)))
                   for _ in range(resamples))
    lo = diffs[int(0.025 * (resamples - 1))]
    hi = diffs[math.ceil(0.975 * (resamples - 1))]
    return round(lo, 6), round(hi, 6)


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Macro-F1 over the expected classes of ``(expected, predicted)`` pairs.

    Counted in one pass (the bootstrap calls this thousands of times per comparison)."""
    classes = {e for e, _ in pairs}
    if not classes:
        return 0.0
    expected = Counter(e for e, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    hits = Counter(e for e, p in pairs if e == p)
    total = 0.0
    for c in classes:
        tp = hits[c]
        fp, fn = predicted[c] - tp, expected[c] - tp
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(classes)


# -- per-kind extraction --------------------------------------------------------------------------
@dataclass
class _Side:
    """What one run offers for comparison: scalars, pass/fail lists, numeric lists, pairs."""

    scalars: dict[str, float] = field(default_factory=dict)
    passes: dict[str, list[bool]] = field(default_factory=dict)
    values: dict[str, list[float]] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)


def _drafts_side(scores: dict[str, Any]) -> _Side:
    side = _Side()
    items = [i for i in scores.get("items", []) if i.get("metrics")]
    for item in items:
        for name, m in item["metrics"].items():
            if m.get("passed") is not None:
                side.passes.setdefault(f"{name}_rate", []).append(bool(m["passed"]))
            v = m.get("value")
            if name in _DRAFT_MEANS and isinstance(v, int | float) and not isinstance(v, bool):
                side.values.setdefault(f"{name}_mean", []).append(float(v))
        for crit, grade in (item.get("judge") or {}).items():
            if isinstance(grade, dict) and "score" in grade:
                side.values.setdefault(f"judge_{crit}", []).append(float(grade["score"]))
    headline = scores.get("headline", {})
    side.scalars["hard_violations"] = float(headline.get("hard_violations") or 0)
    if scores.get("judge"):
        side.scalars["judge_errors"] = float(scores["judge"].get("errors") or 0)
    return side


def _replies_side(metrics: dict[str, Any]) -> _Side:
    side = _Side()
    if isinstance(metrics.get("items"), list):
        side.pairs = [(str(i.get("expected") or i.get("intent")), str(i.get("predicted")))
                      for i in metrics["items"]]
    else:
        for exp, row in (metrics.get("confusion") or {}).items():
            for pred, count in row.items():
                side.pairs.extend([(exp, pred)] * int(count))
    n = int(metrics.get("n") or len(side.pairs))
    if side.pairs:
        side.passes["accuracy"] = [e == p for e, p in side.pairs]
    elif "accuracy" in metrics:
        side.scalars["accuracy"] = float(metrics["accuracy"])
    side.scalars["macro_f1"] = float(metrics.get("macro_f1") or 0.0)
    critical = metrics.get("critical_errors", 0)
    side.scalars["critical_errors"] = float(len(critical) if isinstance(critical, list)
                                            else critical or 0)
    for intent, row in (metrics.get("per_intent") or {}).items():
        side.scalars[f"f1.{intent}"] = float(row.get("f1") or 0.0)
    for key, row in (metrics.get("field_accuracy") or {}).items():
        if row.get("n"):
            side.scalars[f"field_accuracy.{key}"] = float(row.get("accuracy") or 0.0)
    side.scalars["n"] = float(n)
    return side


# -- comparing ------------------------------------------------------------------------------------
def _delta(name: str, a: float | None, b: float | None, test: str, *,
           p_value: float | None = None, ci: tuple[float, float] | None = None,
           beyond: bool | None = None, thresholds: dict[str, float]) -> MetricDelta:
    higher = name not in _LOWER_IS_BETTER
    diff = None if a is None or b is None else round(b - a, 6)
    threshold = thresholds.get(name)
    decline = None if diff is None else (-diff if higher else diff)
    regression = threshold is not None and decline is not None and decline > threshold + 1e-12
    return MetricDelta(name, a, b, diff, higher, test, None if p_value is None else
                       round(p_value, 6), ci, beyond, threshold, regression)


def _compare_sides(sa: _Side, sb: _Side, thresholds: dict[str, float]) -> list[MetricDelta]:
    out: list[MetricDelta] = []
    for name in sorted(set(sa.passes) | set(sb.passes)):
        xa, xb = sa.passes.get(name, []), sb.passes.get(name, [])
        ra = sum(xa) / len(xa) if xa else None
        rb = sum(xb) / len(xb) if xb else None
        p = two_proportion_test(sum(xa), len(xa), sum(xb), len(xb))
        out.append(_delta(name, ra, rb, "two-proportion z-test", p_value=p,
                          beyond=None if p is None else p < ALPHA, thresholds=thresholds))
    if sa.pairs and sb.pairs:
        ci = bootstrap_diff(sa.pairs, sb.pairs, macro_f1)
        out.append(_delta("macro_f1", sa.scalars.get("macro_f1"), sb.scalars.get("macro_f1"),
                          "bootstrap 95% CI", ci=ci, beyond=ci is not None and not
                          (ci[0] <= 0 <= ci[1]), thresholds=thresholds))
    for name in sorted(set(sa.values) | set(sb.values)):
        va, vb = sa.values.get(name, []), sb.values.get(name, [])
        ci = bootstrap_diff(va, vb, statistics.fmean)
        out.append(_delta(name, statistics.fmean(va) if va else None,
                          statistics.fmean(vb) if vb else None, "bootstrap 95% CI", ci=ci,
                          beyond=None if ci is None else not (ci[0] <= 0 <= ci[1]),
                          thresholds=thresholds))
    done = {d.name for d in out}
    for name in sorted((set(sa.scalars) | set(sb.scalars)) - done - {"n"}):
        a, b = sa.scalars.get(name), sb.scalars.get(name)
        exact = name in _LOWER_IS_BETTER
        out.append(_delta(name, a, b, "exact count" if exact else "none (no per-item values)",
                          beyond=(a != b) if exact else None, thresholds=thresholds))
    return out


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read eval results: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", file=str(path))
    return data


def run_kind(run: Path) -> str:
    """``drafts`` (a ``scores.json``) or ``replies`` (a ``metrics.json``) for a run folder."""
    if (run / "scores.json").is_file():
        return "drafts"
    if (run / "metrics.json").is_file():
        return "replies"
    raise InputError("not an eval run folder: no scores.json or metrics.json", file=str(run))


def compare_runs(run_a: Path, run_b: Path, *,
                 thresholds: dict[str, float] | None = None) -> Comparison:
    """Compare two run folders of the same kind, metric by metric (``b - a``)."""
    kind_a, kind_b = run_kind(run_a), run_kind(run_b)
    if kind_a != kind_b:
        raise InputError(f"cannot compare a {kind_a} run with a {kind_b} run", file=str(run_b))
    limits = dict(thresholds or {})
    notes: list[str] = []
    if kind_a == "drafts":
        da, db = _load_json(run_a / "scores.json"), _load_json(run_b / "scores.json")
        sa, sb = _drafts_side(da), _drafts_side(db)
        if da.get("meta", {}).get("n_prospects") != db.get("meta", {}).get("n_prospects"):
            notes.append("the runs cover different numbers of prospects")
    else:
        sa = _replies_side(_load_json(run_a / "metrics.json"))
        sb = _replies_side(_load_json(run_b / "metrics.json"))
        if sa.scalars.get("n") != sb.scalars.get("n"):
            notes.append("the runs cover different numbers of messages")
    unknown = sorted(set(limits) - {d.name for d in _compare_sides(sa, sb, {})})
    if unknown:
        notes.append(f"thresholds for metrics not in these runs: {', '.join(unknown)}")
    deltas = _compare_sides(sa, sb, limits)
    return Comparison(kind_a, str(run_a), str(run_b), deltas,
                      [d.name for d in deltas if d.regression], notes)


def load_thresholds(path: Path) -> dict[str, float]:
    """A thresholds file (YAML or JSON): ``{metric: largest tolerated decline}``."""
    data, _ = load_yaml(read_text(path, what="thresholds"), origin=str(path))
    if isinstance(data, dict) and isinstance(data.get("thresholds"), dict):
        data = data["thresholds"]
    if not isinstance(data, dict):
        raise InputError("thresholds must be a mapping of metric name to number", file=str(path))
    out: dict[str, float] = {}
    for key, value in data.items():
        if key == "comment":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"threshold must be a number, got {value!r}", file=str(path),
                             field=str(key))
        out[str(key)] = float(value)
    return out


def default_thresholds() -> dict[str, float]:
    """The ``compare_thresholds`` of the shipped ``gate.json`` (used when no file is given)."""
    from cadenza.evals.gate import load_floors

    raw = load_floors().get("compare_thresholds") or {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.4f}"


def render_comparison(comparison: Comparison) -> str:
    """A plain-text table for the terminal (no colour, no rich markup)."""
    header = ("metric", "A", "B", "diff", "test", "p / 95% CI", "beyond noise", "threshold",
              "verdict")
    rows = [header]
    for d in comparison.metrics:
        stat = (f"p={d.p_value:.4f}" if d.p_value is not None else
                f"[{d.ci[0]:+.4f}, {d.ci[1]:+.4f}]" if d.ci else "-")
        noise = {True: "yes", False: "no", None: "-"}[d.beyond_noise]
        verdict = "REGRESSION" if d.regression else ""
        diff = "-" if d.diff is None else f"{d.diff:+.4f}"
        rows.append((d.name, _fmt(d.a), _fmt(d.b), diff, d.test, stat, noise,
                     _fmt(d.threshold), verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [f"{comparison.kind} runs: A={comparison.run_a}  B={comparison.run_b}"]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.extend(f"note: {n}" for n in comparison.notes)
    lines.append(f"regressions: {', '.join(comparison.regressions)}" if comparison.regressions
                 else "regressions: none")
    return "\n".join(lines)


def write_comparison(comparison: Comparison, path: Path) -> Path:
    """Write ``compare.json``."""
    path.write_text(json.dumps(comparison.as_dict(), indent=2, ensure_ascii=False),
                    encoding="utf-8")
    return path
