"""The dashboard's figures kept folded per cohort hour, so a view reads a small table.

Every figure of the dashboard is a count, a sum or a median over the enrollments of the
cohort (and what they led to), and an enrollment belongs to one cohort hour and one
playbook. So :func:`refresh` folds the collected rows
(:func:`cadenza.metrics.compute.collect`, the same code the metrics tables use) once per
(hour, playbook) into a :class:`Partial` — tallies of the enrollment-level figures, of each
step's, and of each variant's — and :func:`read` merges the partials of a period, folding the
partial hours at its edges on the spot (a period of instants, like "the 28 days up to now").
Merging is exact: no two partials share an enrollment, so distinct counts add up, and the
medians are taken over the concatenated minutes. Hours, not days: an edge then holds an
hour's enrollments at most.

Which days to fold again comes from ``metrics_change``, which triggers append to in the
transaction of every change (:mod:`cadenza.store.metrics_tables`). :func:`refresh` takes the
rows it sees off the log and folds their days in the same transaction; on PostgreSQL an advisory
lock per workspace serialises refreshes (SQLite has one writer), so a partial is never replaced
by an older one, and a change committed after the log was read keeps its row for the next
refresh. The figures therefore never drift from a recomputation over the touches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import orjson
from sqlalchemy import Connection, delete, func, insert, select, text
from sqlmodel import Session, col

from cadenza.metrics import sql
from cadenza.metrics.compute import Collected, Grouping, collect, fold_groups, week_of
from cadenza.metrics.groups import Tally, tally
from cadenza.metrics.model import MetricsQuery
from cadenza.store.metrics_tables import MetricsChange, MetricsPartial
from cadenza.store.models import Enrollment, Touch

#: a log longer than this is folded as "every day" (cheaper than resolving each row)
WHOLE_AFTER = 20_000
#: the PostgreSQL advisory-lock class of a workspace's refresh
LOCK_CLASS = 16016
_CHUNK = 500
#: dirty days this close fold together (see :func:`_runs`)
GAP = 3


@dataclass
class Partial:
    """One cohort hour of one playbook: the enrollment-level tally, a tally per step, and per
    step and variant the prospects reached and the successes of each test metric."""

    cohort: Tally = field(default_factory=Tally)
    steps: dict[int, Tally] = field(default_factory=dict)
    #: (step, variant) -> [touched, positive, replied, meetings]
    arms: dict[tuple[int, str], list[int]] = field(default_factory=dict)


def dump(p: Partial) -> bytes:
    return orjson.dumps({"cohort": asdict(p.cohort),
                         "steps": [[step, asdict(t)] for step, t in sorted(p.steps.items())],
                         "arms": [[step, variant, *n]
                                  for (step, variant), n in sorted(p.arms.items())]})


def load(payload: str | bytes) -> Partial:
    data = orjson.loads(payload)
    return Partial(cohort=Tally(**data["cohort"]),
                   steps={int(step): Tally(**t) for step, t in data["steps"]},
                   arms={(int(a[0]), str(a[1])): [int(n) for n in a[2:]] for a in data["arms"]})


def partials(found: Collected) -> dict[tuple[str, int], Partial]:
    """The collected rows (of an ``hourly`` query) folded per (cohort hour, playbook id): the
    distinct counts are taken here, over the sets of one hour's enrollments, so the tallies of
    different hours (and playbooks) never share an enrollment and simply add up."""
    _, groups = fold_groups(found, {
        "cohort": Grouping(lambda at: (at.day, at.playbook_id), per_touch=False),
        "step": Grouping(lambda at: (at.day, at.playbook_id, at.step), per_touch=True,
                         drops_at_step=True),
        "arm": Grouping(lambda at: (at.day, at.playbook_id, at.step, at.variant),
                        per_touch=True)})
    out: dict[tuple[str, int], Partial] = defaultdict(Partial)
    for key, g in groups["cohort"].items():
        hour, playbook_id = cast(tuple[str, int], key)
        out[(hour, playbook_id)].cohort = tally(g)
    for key, g in groups["step"].items():
        hour, playbook_id, step = cast(tuple[str, int, int], key)
        out[(hour, playbook_id)].steps[step] = tally(g)
    for key, g in groups["arm"].items():
        hour, playbook_id, step, variant = cast(tuple[str, int, int, str], key)
        out[(hour, playbook_id)].arms[(step, variant)] = [
            g.touched, len(g.positive), len(g.replied), len(g.meetings)]
    return dict(out)


# -- keeping the partials up to date --------------------------------------------------------
def refresh(session: Session, *, workspace_id: int) -> int:
    """Fold the days the change log names again; returns how many days were folded. Commits."""
    conn = session.connection()
    mine = col(MetricsChange.workspace_id) == workspace_id
    if conn.execute(select(col(MetricsChange.id)).where(mine).limit(1)).first() is None:
        return 0
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:c, :w)"),
                     {"c": LOCK_CLASS, "w": workspace_id})
    taken = conn.execute(delete(MetricsChange).where(mine).returning(
        col(MetricsChange.prospect_id), col(MetricsChange.enrollment_id),
        col(MetricsChange.touch_id), col(MetricsChange.playbook_id),
        col(MetricsChange.day))).all()
    days = _dirty_days(conn, workspace_id, taken)
    for first, last in _runs(days):
        _fold_days(session, conn, workspace_id, first, last)
    session.commit()
    return len(days)


def _dirty_days(conn: Connection, workspace_id: int, taken: Sequence[Any]) -> set[str]:
    """The cohort days the taken log rows may have moved."""
    everything = len(taken) > WHOLE_AFTER or any(all(v is None for v in r) for r in taken)
    day = sql.day_of(col(Enrollment.started_at), conn.dialect.name)
    mine = col(Enrollment.workspace_id) == workspace_id
    if everything:
        found = set(conn.execute(select(day).where(mine).distinct()).scalars())
        return found | {h[:10] for h in conn.execute(select(col(MetricsPartial.hour)).where(
            col(MetricsPartial.workspace_id) == workspace_id)).scalars()}
    days = {r.day for r in taken if r.day is not None}
    prospects = {r.prospect_id for r in taken if r.prospect_id is not None}
    enrollments = {r.enrollment_id for r in taken if r.enrollment_id is not None}
    touches = {r.touch_id for r in taken if r.touch_id is not None}
    books = {r.playbook_id for r in taken if r.playbook_id is not None}
    for column, ids in ((col(Enrollment.prospect_id), prospects), (col(Enrollment.id), enrollments),
                        (col(Enrollment.playbook_id), books)):
        for part in _chunks(ids):
            days.update(conn.execute(select(day).where(mine, column.in_(part)).distinct())
                        .scalars())
    for part in _chunks(touches):
        owners = select(col(Touch.enrollment_id)).where(col(Touch.id).in_(part))
        days.update(conn.execute(select(day).where(
            mine, col(Enrollment.id).in_(owners)).distinct()).scalars())
    return {d for d in days if d}


def _chunks(ids: set[int]) -> Iterable[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _runs(days: set[str]) -> list[tuple[dt.date, dt.date]]:
    """The days as (first, last) runs, each folded by one collect: days at most ``GAP`` apart
    share a run (a collect costs a fixed handful of statements; a weekend between two dirty
    weeks costs less than a second collect)."""
    dates = sorted(dt.date.fromisoformat(d) for d in days)
    runs: list[tuple[dt.date, dt.date]] = []
    for d in dates:
        if runs and (d - runs[-1][1]).days <= GAP:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _hour(at: dt.datetime) -> dt.datetime:
    """The start of the UTC hour ``at`` falls in."""
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _fold_days(session: Session, conn: Connection, workspace_id: int, first: dt.date,
               last: dt.date) -> None:
    since, until = _midnight(first), _midnight(last + dt.timedelta(days=1))
    found = collect(session, MetricsQuery(workspace_id=workspace_id, since=since,
                                          until=until, hourly=True))
    conn.execute(delete(MetricsPartial).where(
        col(MetricsPartial.workspace_id) == workspace_id,
        col(MetricsPartial.hour) >= first.isoformat(),
        col(MetricsPartial.hour) < (last + dt.timedelta(days=1)).isoformat()))
    rows = [{"workspace_id": workspace_id, "hour": hour, "playbook_id": playbook_id,
             "payload": dump(p).decode()} for (hour, playbook_id), p in partials(found).items()]
    if rows:
        conn.execute(insert(MetricsPartial), rows)


# -- reading a period ------------------------------------------------------------------------
@dataclass
class Merged:
    """A period's figures: the tallies the dashboard's views are made of."""

    #: per cohort day (weeks are folded from days)
    days: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    #: per (playbook id, step)
    steps: dict[tuple[int, int], Tally] = field(default_factory=lambda: defaultdict(Tally))
    #: per (playbook id, step, variant): [touched, positive, replied, meetings]
    arms: dict[tuple[int, int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))

    def add(self, hour: str, playbook_id: int, p: Partial) -> None:
        self.days[hour[:10]].add(p.cohort)
        for step, t in p.steps.items():
            self.steps[(playbook_id, step)].add(t)
        for (step, variant), counts in p.arms.items():
            mine = self.arms[(playbook_id, step, variant)]
            for i, n in enumerate(counts):
                mine[i] += n

    def total(self) -> Tally:
        out = Tally()
        for t in self.days.values():
            out.add(t)
        return out

    def weeks(self) -> dict[str, Tally]:
        out: dict[str, Tally] = defaultdict(Tally)
        for day, t in self.days.items():
            out[week_of(day)].add(t)
        return out


def read(session: Session, *, workspace_id: int, since: dt.datetime, until: dt.datetime,
         playbook_ids: list[int] | None) -> Merged:
    """The period's figures: the stored partials of its whole hours, and its partial hours at
    the edges folded now (a period given as instants need not start on the hour)."""
    merged = Merged()
    first = _hour(since - dt.timedelta(microseconds=1)) + dt.timedelta(hours=1)
    last = _hour(until)
    if first >= last:  # within one hour: nothing stored covers it
        _fold_edge(session, merged, workspace_id, since, until, playbook_ids)
        return merged
    stmt = select(col(MetricsPartial.hour), col(MetricsPartial.playbook_id),
                  col(MetricsPartial.payload)).where(
        col(MetricsPartial.workspace_id) == workspace_id,
        col(MetricsPartial.hour) >= f"{first:%Y-%m-%d %H}",
        col(MetricsPartial.hour) < f"{last:%Y-%m-%d %H}")
    if playbook_ids is not None:
        stmt = stmt.where(col(MetricsPartial.playbook_id).in_(playbook_ids))
    for hour, playbook_id, payload in session.connection().execute(stmt):
        merged.add(hour, playbook_id, load(payload))
    for low, high in ((since, first), (last, until)):
        if low < high:
            _fold_edge(session, merged, workspace_id, low, high, playbook_ids)
    return merged


def _fold_edge(session: Session, merged: Merged, workspace_id: int, since: dt.datetime,
               until: dt.datetime, playbook_ids: list[int] | None) -> None:
    found = collect(session, MetricsQuery(workspace_id=workspace_id, since=since, until=until,
                                          hourly=True))
    for (hour, playbook_id), p in partials(found).items():
        if playbook_ids is None or playbook_id in playbook_ids:
            merged.add(hour, playbook_id, p)


def pending(session: Session, *, workspace_id: int) -> int:
    """How many change-log rows wait to be folded (for the bench and the tests)."""
    return int(session.connection().execute(select(func.count()).select_from(MetricsChange)
                                            .where(col(MetricsChange.workspace_id)
                                                   == workspace_id)).scalar_one())
