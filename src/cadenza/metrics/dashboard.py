"""The dashboard's data: headline totals, the funnel per step, each A/B test with its verdict,
and the trend per week — merged from the per-day partials (:mod:`cadenza.metrics.rollup`), or
recomputed from every touch (:func:`recomputed_dashboard`, the reference the partials are
tested and benchmarked against)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session, select

from cadenza.metrics import rollup
from cadenza.metrics.compute import Collected, collect, fold_many, steps_of, table
from cadenza.metrics.groups import Tally, step_reached
from cadenza.metrics.model import POSITIVE_INTENTS, MetricsQuery, MetricsRow, MetricsTable
from cadenza.metrics.sequential import DEFAULT_ALPHA, msprt, wilson
from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.states import MACHINE_INTENTS
from cadenza.store.models import Playbook
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
    """The dashboard from the per-day partials (:mod:`cadenza.metrics.rollup`), after folding
    the days changed since the last view. Commits the session (the refresh writes)."""
    rollup.refresh(session, workspace_id=workspace_id)
    books = session.exec(select(Playbook.id, Playbook.name, Playbook.definition)
                         .where(Playbook.workspace_id == workspace_id)).all()
    names = {int(i or 0): name for i, name, _ in books}
    ids = None if playbook is None else [i for i, n in names.items() if n == playbook]
    specs = {int(i or 0): stored_spec(dict(d)) for i, _, d in books
             if d and (ids is None or i in ids)}
    merged = rollup.read(session, workspace_id=workspace_id, since=since, until=until,
                         playbook_ids=ids)
    q = MetricsQuery(workspace_id=workspace_id, since=since, until=until, playbook=playbook)
    steps: dict[str, Tally] = defaultdict(Tally)
    counts = ArmCounts()
    for (playbook_id, step), t in merged.steps.items():
        steps[f"{names.get(playbook_id, f'playbook {playbook_id}')} / step {step}"].add(t)
    for (playbook_id, step, variant), (touched, positive, replied, meetings) in (
            merged.arms.items()):
        if playbook_id in specs:
            key = (names.get(playbook_id, ""), step, variant)
            counts.touched[key] += touched
            for which, won in (("positive_reply_rate", positive), ("reply_rate", replied),
                               ("meeting_rate", meetings)):
                counts.won[which][key] += won
    tests = judged(_arms(specs, names), counts, metric=metric, alpha=alpha)
    total = merged.total()
    step_table = table(q, "step", steps, total)
    week_table = table(q, "week", merged.weeks(), total)
    return _board(session, q, step_table, week_table, tests)


def recomputed_dashboard(session: Session, *, workspace_id: int, since: dt.datetime,
                         until: dt.datetime, playbook: str | None = None,
                         metric: TestMetric = "positive_reply_rate",
                         alpha: float = DEFAULT_ALPHA) -> Dashboard:
    """The same dashboard recomputed from every touch of the period (what :func:`dashboard`
    did before the rollup; the bench's and the tests' reference)."""
    found = collect(session, MetricsQuery(workspace_id=workspace_id, since=since, until=until,
                                          playbook=playbook))
    tests = variant_tests(found, metric=metric, alpha=alpha)
    tables = fold_many(found, ["step", "week"])
    return _board(session, found.query, tables["step"], tables["week"], tests)


def _board(session: Session, q: MetricsQuery, steps: MetricsTable, weeks: MetricsTable,
           tests: list[VariantTest]) -> Dashboard:
    promoted = winners(session, workspace_id=q.workspace_id)
    for t in tests:
        w = promoted.get((t.playbook, t.step))
        if w is not None:
            t.promoted, t.promoted_by, t.promoted_at = w.variant, w.promoted_by, w.promoted_at
    return Dashboard(since=q.since, until=q.until, playbook=q.playbook, total=steps.total,
                     funnel=steps.rows, variants=tests, weeks=weeks.rows)


def _succeeded(kind: str, metric: TestMetric) -> bool:
    if metric == "meeting_rate":
        return kind == "outcome:meeting_booked"
    human = not kind.startswith(("outcome:", "optout_link")) and kind not in MACHINE_INTENTS
    return human and (metric == "reply_rate" or kind in POSITIVE_INTENTS)


@dataclass
class ArmCounts:
    """Per (playbook name, step, variant): the prospects reached, and per metric the
    enrollments that succeeded."""

    touched: dict[tuple[str, int, str], int] = field(default_factory=lambda: defaultdict(int))
    won: dict[str, dict[tuple[str, int, str], int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))


def _arms(specs: dict[int, PlaybookSpec], names: dict[int, str],
          ) -> dict[tuple[str, int], dict[str, Arm]]:
    """An empty arm per variant of every step that has variants."""
    arms: dict[tuple[str, int], dict[str, Arm]] = {}
    for playbook_id, spec in sorted(specs.items()):
        name = names.get(playbook_id, "")
        for number, plain in enumerate(spec.steps, start=1):
            for i, variant in enumerate(plain.variants):
                changes = ", ".join(f"{k} {v}" for k, v in variant.changes().items())
                arms.setdefault((name, number), {})[variant.name] = Arm(
                    name=variant.name, changes=changes or "as written", touched=0,
                    successes=0, rate=None, low=None, high=None, control=i == 0)
    return arms


def variant_tests(found: Collected, *, metric: TestMetric = "positive_reply_rate",
                  alpha: float = DEFAULT_ALPHA) -> list[VariantTest]:
    """A test per (playbook, step) whose stored definition has variants."""
    counts = ArmCounts()
    for (_, playbook_id, _, mask, variants, _), n in found.reach.items():
        reached_spec = found.specs.get(playbook_id)
        if reached_spec is None:
            continue
        for number, arm, _ in steps_of(reached_spec, mask, variants):
            counts.touched[(found.playbooks.get(playbook_id, ""), number, arm)] += n
    won: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    for s in found.signals:
        if _succeeded(str(s.kind), metric) and step_reached(found, s):
            won[(found.playbooks.get(s.playbook_id, ""), s.step, s.variant)].add(
                s.enrollment_id)
    counts.won[metric].update((key, len(ids)) for key, ids in won.items())
    return judged(_arms(found.specs, found.playbooks), counts, metric=metric, alpha=alpha)


def judged(arms: dict[tuple[str, int], dict[str, Arm]], counts: ArmCounts, *,
           metric: TestMetric, alpha: float) -> list[VariantTest]:
    """Each step's arms filled from ``counts`` and judged."""
    tests = []
    won = counts.won[metric]
    for (book, number), by_name in sorted(arms.items()):
        for one in by_name.values():
            one.touched = counts.touched[(book, number, one.name)]
            one.successes = won[(book, number, one.name)]
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
