"""The dashboard's data: headline totals, the funnel per step, each A/B test with its verdict,
and the trend per week — one pass over the database (:func:`cadenza.metrics.compute.collect`),
folded four ways."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from cadenza.metrics.compute import Collected, collect, fold_many, steps_of
from cadenza.metrics.model import POSITIVE_INTENTS, MetricsQuery, MetricsRow
from cadenza.metrics.sequential import DEFAULT_ALPHA, msprt, wilson
from cadenza.states import MACHINE_INTENTS
from cadenza.store.results import winners

TestMetric = Literal["positive_reply_rate", "reply_rate", "meeting_rate"]
METRIC_WORDS = {"positive_reply_rate": "positive-reply rate", "reply_rate": "reply rate",
                "meeting_rate": "meeting-booked rate"}


class Arm(BaseModel):
    """One variant of a step: how many it reached, how many succeeded, its rate and 95 %
    interval, and how it differs from the step as written."""

    name: str
    changes: str
    touched: int
    successes: int
    rate: float | None
    low: float | None
    high: float | None
    control: bool = False
    #: against the control (None for the control itself)
    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None
    p_value: float | None = None
    significant: bool = False


class VariantTest(BaseModel):
    """A step's A/B test: its arms, the sequential test's verdict in words, the promotion."""

    playbook: str
    step: int
    metric: TestMetric
    arms: list[Arm]
    verdict: str
    significant: bool
    leader: str | None = None
    promoted: str | None = None
    promoted_by: str | None = None
    promoted_at: dt.datetime | None = None


class Dashboard(BaseModel):
    since: dt.datetime
    until: dt.datetime
    playbook: str | None
    total: MetricsRow
    funnel: list[MetricsRow]
    variants: list[VariantTest]
    weeks: list[MetricsRow]


def dashboard(session: Session, *, workspace_id: int, since: dt.datetime, until: dt.datetime,
              playbook: str | None = None, metric: TestMetric = "positive_reply_rate",
              alpha: float = DEFAULT_ALPHA) -> Dashboard:
    found = collect(session, MetricsQuery(workspace_id=workspace_id, since=since, until=until,
                                          playbook=playbook))
    promoted = winners(session, workspace_id=workspace_id)
    tests = variant_tests(found, metric=metric, alpha=alpha)
    for t in tests:
        w = promoted.get((t.playbook, t.step))
        if w is not None:
            t.promoted, t.promoted_by, t.promoted_at = w.variant, w.promoted_by, w.promoted_at
    tables = fold_many(found, ["step", "week"])
    return Dashboard(since=since, until=until, playbook=playbook,
                     total=tables["step"].total, funnel=tables["step"].rows,
                     variants=tests, weeks=tables["week"].rows)


def _succeeded(kind: str, metric: TestMetric) -> bool:
    if metric == "meeting_rate":
        return kind == "outcome:meeting_booked"
    human = not kind.startswith(("outcome:", "optout_link")) and kind not in MACHINE_INTENTS
    return human and (metric == "reply_rate" or kind in POSITIVE_INTENTS)


def variant_tests(found: Collected, *, metric: TestMetric = "positive_reply_rate",
                  alpha: float = DEFAULT_ALPHA) -> list[VariantTest]:
    """A test per (playbook, step) whose stored definition has variants."""
    arms: dict[tuple[str, int], dict[str, Arm]] = {}
    for playbook_id, spec in sorted(found.specs.items()):
        name = found.playbooks.get(playbook_id, "")
        for number, plain in enumerate(spec.steps, start=1):
            for i, variant in enumerate(plain.variants):
                changes = ", ".join(f"{k} {v}" for k, v in variant.changes().items())
                arms.setdefault((name, number), {})[variant.name] = Arm(
                    name=variant.name, changes=changes or "as written", touched=0,
                    successes=0, rate=None, low=None, high=None, control=i == 0)
    touched: dict[tuple[str, int, str], int] = defaultdict(int)
    for (_, playbook_id, _, mask, variants, _), n in found.reach.items():
        reached_spec = found.specs.get(playbook_id)
        if reached_spec is None:
            continue
        for number, arm, _ in steps_of(reached_spec, mask, variants):
            touched[(found.playbooks.get(playbook_id, ""), number, arm)] += n
    won: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    for s in found.signals:
        if _succeeded(str(s.kind), metric):
            won[(found.playbooks.get(s.playbook_id, ""), s.step, s.variant)].add(s.enrollment_id)
    tests = []
    for (book, number), by_name in sorted(arms.items()):
        for one in by_name.values():
            one.touched = touched[(book, number, one.name)]
            one.successes = len(won[(book, number, one.name)])
            one.rate = round(one.successes / one.touched, 4) if one.touched else None
            interval = wilson(one.successes, one.touched)
            if interval is not None:
                one.low, one.high = round(interval.low, 4), round(interval.high, 4)
        tests.append(_judge(book, number, list(by_name.values()), metric, alpha))
    return tests


def _judge(book: str, step: int, arms: list[Arm], metric: TestMetric,
           alpha: float) -> VariantTest:
    control = arms[0]
    level = alpha / max(1, len(arms) - 1)
    for arm in arms[1:]:
        c = msprt(control.successes, control.touched, arm.successes, arm.touched, alpha=level)
        arm.difference = None if c.difference is None else round(c.difference, 4)
        if c.interval is not None:
            arm.difference_low = round(c.interval.low, 4)
            arm.difference_high = round(c.interval.high, 4)
        arm.p_value, arm.significant = round(c.p_value, 4), c.significant
    words = METRIC_WORDS[metric]
    better = [a for a in arms[1:] if a.significant and (a.difference or 0) > 0]
    worse = [a for a in arms[1:] if a.significant and (a.difference or 0) < 0]
    if better:
        best = max(better, key=lambda a: a.difference or 0)
        verdict = (f"Variant {best.name} beats {control.name} on {words}: "
                   f"{_points(best.difference)} (always-valid interval "
                   f"{_points(best.difference_low)} to {_points(best.difference_high)}).")
        return VariantTest(playbook=book, step=step, metric=metric, arms=arms,
                           verdict=verdict, significant=True, leader=best.name)
    if worse and len(worse) == len(arms) - 1:
        verdict = (f"The control {control.name} beats every other variant on {words}.")
        return VariantTest(playbook=book, step=step, metric=metric, arms=arms,
                           verdict=verdict, significant=True, leader=control.name)
    reached = sum(a.touched for a in arms)
    verdict = (f"Not yet significant: no variant differs from {control.name} on {words} "
               f"beyond chance ({reached} prospects so far). Keep the test running; this "
               "test may be read every day without inflating false winners.")
    return VariantTest(playbook=book, step=step, metric=metric, arms=arms, verdict=verdict,
                       significant=False)


def _points(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f} points"
