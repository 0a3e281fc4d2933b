"""Metrics per dimension: read the reach scan, the cubes and the signals once
(:mod:`cadenza.metrics.sql`), fold them into rows (definitions in :mod:`cadenza.metrics.model`).

:func:`collect` is the one pass over the database; :func:`fold_many` turns it into the tables of
several dimensions in one pass over the collected rows, so the dashboard's views share it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session, select
from sqlmodel.sql.sqltypes import UTCDateTime

from cadenza.handoff.metrics import percentile
from cadenza.metrics import sql
from cadenza.metrics.groups import At, Group, Tally, prepared, tally
from cadenza.metrics.model import (
    TOUCH_DIMENSIONS,
    UNKNOWN,
    Dimension,
    MetricsQuery,
    MetricsRow,
    MetricsTable,
)
from cadenza.playbooks import PlaybookSpec, stored_spec
from cadenza.states import LIVE
from cadenza.store.models import Mailbox, Playbook

_PARTS = re.compile(r"(\d+)")
#: a period this short reads its signals through its touches (the rollup's days and edges)
SHORT_PERIOD = dt.timedelta(days=7)
Row = Any  # a result row of one of the statements (attribute access by label)


@dataclass
class Collected:
    """One pass over the database: what every fold reads."""

    query: MetricsQuery
    playbooks: dict[int, str]
    specs: dict[int, PlaybookSpec]
    mailboxes: dict[int, str]
    #: (day, playbook id, state, mask, variants, extra) -> reached enrollments
    reach: Counter[tuple[Any, ...]]
    enrollments: list[Row]
    resent: list[Row]
    refused: list[Row]
    signals: list[Row]
    #: the enrollments the signals name: their reach mask and first email's time
    reached: dict[int, tuple[int, dt.datetime | None]] = field(default_factory=dict)
    handoffs: dict[int, list[Row]] = field(default_factory=dict)


def collect(session: Session, q: MetricsQuery) -> Collected:
    """Run the statements for ``q`` (its ``by`` picks the extra grouping column, if any)."""
    dialect = session.get_bind().dialect.name
    books = session.exec(select(Playbook.id, Playbook.name, Playbook.definition)
                         .where(Playbook.workspace_id == q.workspace_id)).all()
    playbooks = {int(i or 0): name for i, name, _ in books}
    ids = None if q.playbook is None else [i for i, n in playbooks.items() if n == q.playbook]
    specs = {int(i or 0): stored_spec(dict(d)) for i, _, d in books
             if d and (ids is None or i in ids)}
    mailboxes = {int(i or 0): e for i, e in session.exec(
        select(Mailbox.id, Mailbox.email).where(Mailbox.workspace_id == q.workspace_id))}
    conn = session.connection()
    if dialect == "postgresql":  # compiling these one-off plans costs more than it saves
        conn.exec_driver_sql("SET LOCAL jit = off")
    low, high = conn.execute(sql.cohort_ids(q, ids)).one()
    short = low is not None and q.until - q.since <= SHORT_PERIOD
    signals = list(conn.execute(sql.signals(q, ids, dialect, short=short)))
    named = {int(s.enrollment_id) for s in signals}
    extra = sql.extra_key(q.by) is not None
    reach: Counter[tuple[Any, ...]] = Counter()
    reached: dict[int, tuple[int, dt.datetime | None]] = {}
    if low is not None:
        for day, playbook_id, state, mask, variants, eid, first, *rest in driver_rows(
                conn, sql.reach_rows(q, ids, dialect, low, high, short=short)):
            reach[(day, playbook_id, state, int(mask), variants or "",
                   rest[0] if extra else None)] += 1
            if eid in named:
                reached[eid] = (int(mask), _instant(first))
    found = Collected(
        query=q, playbooks=playbooks, specs=specs, mailboxes=mailboxes, reach=reach,
        enrollments=list(conn.execute(sql.enrollment_cube(q, ids, dialect))),
        resent=list(conn.execute(sql.other_touches(q, ids, dialect, "resent"))),
        refused=list(conn.execute(sql.other_touches(q, ids, dialect, "refused"))),
        signals=signals, reached=reached)
    reply_ids = [s.ref_id for s in found.signals if not s.kind.startswith(("outcome:",
                                                                            "optout_link"))]
    for start in range(0, len(reply_ids), 5000):
        for h in conn.execute(sql.handoffs_from_replies(q.workspace_id,
                                                        reply_ids[start:start + 5000])):
            found.handoffs.setdefault(h.reply_id, []).append(h)
    return found


def _instant(value: Any) -> dt.datetime | None:
    """A time as the driver returned it (SQLite: text in UTC) as an aware datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def driver_rows(conn: Connection, stmt: sql.Query) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as the database driver returns them: the reach scan returns one
    row per enrollment, and building SQLAlchemy rows for them cost more than the query. The
    result's times come as the driver gives them (see :func:`_instant`); instants in the
    parameters are bound as the column type stores them."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    to_db = UTCDateTime().bind_processor(conn.dialect)
    values = {k: to_db(v) if to_db is not None and isinstance(v, dt.datetime) else v
              for k, v in compiled.params.items()}
    params: Any = (tuple(values[k] for k in compiled.positiontup or ())
                   if compiled.positional else values)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@cache
def week_of(day: str) -> str:
    """The Monday of the ISO week a ``YYYY-MM-DD`` day falls in."""
    try:
        date = dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        return UNKNOWN
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def _rate(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def _label(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text or UNKNOWN


def _key_of(found: Collected, by: Dimension) -> Callable[[Any], str]:
    """How a row (or an :class:`At`) names its group under ``by``."""
    names = found.playbooks

    def playbook(r: Any) -> str:
        return names.get(r.playbook_id, f"playbook {r.playbook_id}")

    match by:
        case "workspace":
            return lambda r: "all"
        case "playbook":
            return playbook
        case "week":
            return lambda r: week_of(r.day)
        case "step":
            return lambda r: f"{playbook(r)} / step {r.step}"
        case "variant":
            return lambda r: f"{playbook(r)} / step {r.step} / {r.variant or '-'}"
        case "channel":
            return lambda r: _label(r.channel)
        case "mailbox":
            return lambda r: found.mailboxes.get(
                (r.extra if getattr(r, "extra", None) is not None else
                 getattr(r, "mailbox_id", None)) or 0, "(none)")
        case "language" | "industry" | "company_size" | "country":
            return lambda r: _label(r.extra if getattr(r, "extra", None) is not None
                                    else getattr(r, by, None))
        case _:
            raise ValueError(f"{by!r} is not folded from the cubes")


@cache
def steps_of(spec: PlaybookSpec, mask: int, variants: str) -> tuple[tuple[int, str, str], ...]:
    """The steps a reach mask names, each with the variant it ran and that variant's channel."""
    chosen = dict(part.split(":", 1) for part in variants.split(",") if ":" in part)
    out = []
    for step in range(1, len(spec.steps) + 1):
        if mask >> step & 1:
            variant = chosen.get(str(step), "")
            out.append((step, variant, spec.step_as(step, variant).channel))
    return tuple(out)


@dataclass(frozen=True)
class Grouping:
    """How one table names its groups: a key for each :class:`At`; ``per_touch`` for a step
    dimension (a reached enrollment counts at each step it reached, and a signal's times run
    from the touch it answered); ``drops_at_step``: a drop counts at the step it stopped at."""

    key: Callable[[At], Hashable]
    per_touch: bool
    drops_at_step: bool = False


def fold_groups(found: Collected, groupings: dict[str, Grouping],
                ) -> tuple[Group, dict[str, dict[Hashable, Group]]]:
    """The total and every grouping's groups, in one pass over the collected rows."""
    groups: dict[str, dict[Hashable, Group]] = {name: defaultdict(Group) for name in groupings}
    cohort = [(name, g) for name, g in groupings.items() if not g.per_touch]
    steps = [(name, g) for name, g in groupings.items() if g.per_touch]
    total = Group()
    empty = PlaybookSpec.model_validate({"name": "gone", "steps": [
        {"day": 1, "channel": "manual", "owner": "rep"}]})
    for r in found.enrollments:
        at = At(r.day, r.playbook_id, extra=getattr(r, "extra", None))
        n, ended = int(r.n), r.state not in LIVE
        for g in (total, *(groups[name][how.key(at)] for name, how in cohort)):
            g.enrolled += n
            g.ended += n if ended else 0
    for (day, playbook_id, state, mask, variants, extra), n in found.reach.items():
        spec = found.specs.get(playbook_id, empty)
        agent = (1 << (len(spec.agent_steps()) + 1)) - 2
        done = mask & agent == agent
        reached = steps_of(spec, mask, variants)
        emails = sum(1 for _, _, channel in reached if channel == "email")
        dropped = state not in LIVE and not done
        last = max((step for step, _, _ in reached), default=0)
        at = At(day, playbook_id, extra=extra)
        for g in (total, *(groups[name][how.key(at)] for name, how in cohort)):
            g.touched += n
            g.completed += n if done else 0
            g.sent += n * emails
            g.dropped += n if dropped else 0
        for name, how in steps:
            for step, variant, channel in reached:
                g = groups[name][how.key(At(day, playbook_id, step, variant, channel, extra))]
                g.touched += n
                g.sent += n if channel == "email" else 0
                if how.drops_at_step and dropped and step == last:
                    g.dropped += n
    for rows, attr in ((found.resent, "sent"), (found.refused, "refused")):
        for r in rows:
            at = At(r.day, r.playbook_id, r.step, r.variant, r.channel,
                    getattr(r, "extra", None))
            for g in (total, *(groups[name][how.key(at)] for name, how in groupings.items())):
                setattr(g, attr, getattr(g, attr) + int(r.n))
    for at, apply, at_a_reached_step in prepared(found):
        apply(total, False)
        for name, how in groupings.items():
            if at_a_reached_step or not how.per_touch:
                apply(groups[name][how.key(at)], how.per_touch)
    return total, groups


def fold_many(found: Collected, dims: Iterable[Dimension]) -> dict[Dimension, MetricsTable]:
    """The tables of ``dims`` (none of them ``rep``) in one pass over the collected rows."""
    dims = list(dims)
    total, groups = fold_groups(found, {
        by: Grouping(_key_of(found, by), by in TOUCH_DIMENSIONS, by == "step") for by in dims})
    return {by: table(found.query, by, groups[by], total) for by in dims}


def table(query: MetricsQuery, by: Dimension, groups: Mapping[Any, Group | Tally],
          total: Group | Tally) -> MetricsTable:
    """A dimension's table from its groups (keyed by their row names) and the total."""
    rows = [_row(str(k), g, by) for k, g in sorted(groups.items(),
                                                   key=lambda kv: _order(str(kv[0])))]
    return MetricsTable(by=by, since=query.since, until=query.until,
                        playbook=query.playbook, rows=rows,
                        total=_row("total", total, "workspace"))


def fold(found: Collected, by: Dimension) -> MetricsTable:
    """The table for ``by`` (any dimension but ``rep``, which :mod:`cadenza.metrics.reps`
    reads from the handoffs)."""
    return fold_many(found, [by])[by]


def _order(key: str) -> tuple[tuple[int, Any], ...]:
    """Natural order: step 10 after step 9, numbers before words."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _PARTS.split(key) if p)


def _row(key: str, group: Group | Tally, by: str) -> MetricsRow:
    g = group if isinstance(group, Tally) else tally(group)
    per_touch = by in TOUCH_DIMENSIONS
    eligible = g.ended - g.self_ended
    sent = g.sent + g.refused
    bounced = g.bounced + g.refused
    return MetricsRow(
        key=key, enrolled=None if per_touch else g.enrolled, touched=g.touched,
        completed=None if per_touch else g.completed,
        completion_rate=None if per_touch else _rate(g.completed, eligible),
        sent=sent, delivered=max(0, sent - bounced), bounced=bounced,
        bounce_rate=_rate(bounced, sent),
        replied=g.replied, reply_rate=_rate(g.replied, g.touched),
        positive=g.positive, positive_reply_rate=_rate(g.positive, g.touched),
        meetings=g.meetings, meeting_rate=_rate(g.meetings, g.touched),
        opportunities=g.opportunities, opportunity_rate=_rate(g.opportunities, g.touched),
        pipeline=round(sum(g.pipeline), 2), disqualified=g.disqualified,
        handoffs=g.handed_off, handoff_rate=_rate(g.handed_off, g.touched),
        opt_outs=g.opted_out, opt_out_rate=_rate(g.opted_out, g.touched),
        dropped=None if by in ("channel", "variant") else g.dropped,
        drop_off_rate=None if by in ("channel", "variant") else _rate(g.dropped, g.touched),
        first_reply_minutes_p50=percentile(g.first_reply, 50),
        reply_to_handoff_minutes_p50=percentile(g.reply_to_handoff, 50),
        handoff_to_accept_minutes_p50=percentile(g.handoff_to_accept, 50),
        accept_to_contact_minutes_p50=percentile(g.accept_to_contact, 50))


def metrics_table(session: Session, q: MetricsQuery) -> MetricsTable:
    """One dimension's table over the cohort of ``q``."""
    if q.by == "rep":
        from cadenza.metrics.reps import rep_table

        return rep_table(session, q)
    return fold(collect(session, q), q.by)
