"""Metrics per dimension: read the cubes and signals once (:mod:`cadenza.metrics.sql`), fold
them into rows (definitions in :mod:`cadenza.metrics.model`).

:func:`collect` is the one pass over the database; :func:`fold` turns its result into a table
for any dimension it covers, so the dashboard folds one collection four ways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from cadenza.handoff.metrics import percentile
from cadenza.metrics import sql
from cadenza.metrics.model import (
    POSITIVE_INTENTS,
    TOUCH_DIMENSIONS,
    UNKNOWN,
    Dimension,
    MetricsQuery,
    MetricsRow,
    MetricsTable,
)
from cadenza.playbooks import stored_spec
from cadenza.states import LIVE, MACHINE_INTENTS
from cadenza.store.models import Mailbox, Playbook

_PARTS = re.compile(r"(\d+)")
Row = Any  # a result row of one of the statements (attribute access by label)


@dataclass
class Collected:
    """One pass over the database: what every fold reads."""

    query: MetricsQuery
    playbooks: dict[int, str]
    agent_steps: dict[int, int]
    mailboxes: dict[int, str]
    touch_cube: list[Row]
    enrollment_cube: list[Row]
    signals: list[Row]
    definitions: dict[int, dict[str, Any]] = field(default_factory=dict)
    handoffs: dict[int, list[Row]] = field(default_factory=dict)


def collect(session: Session, q: MetricsQuery) -> Collected:
    """Run the statements for ``q`` (its ``by`` picks the extra grouping column, if any)."""
    dialect = session.get_bind().dialect.name
    books = session.exec(select(Playbook.id, Playbook.name, Playbook.definition)
                         .where(Playbook.workspace_id == q.workspace_id)).all()
    playbooks = {int(i or 0): name for i, name, _ in books}
    agent_steps = {int(i or 0): len(stored_spec(dict(d)).agent_steps()) if d else 0
                   for i, _, d in books}
    ids = None if q.playbook is None else [i for i, n in playbooks.items() if n == q.playbook]
    mailboxes = {int(i or 0): e for i, e in session.exec(
        select(Mailbox.id, Mailbox.email).where(Mailbox.workspace_id == q.workspace_id))}
    conn = session.connection()
    found = Collected(
        query=q, playbooks=playbooks, agent_steps=agent_steps, mailboxes=mailboxes,
        touch_cube=list(conn.execute(sql.touch_cube(q, ids, dialect))),
        enrollment_cube=list(conn.execute(sql.enrollment_cube(q, ids, dialect))),
        signals=list(conn.execute(sql.signals(q, ids, dialect))),
        definitions={int(i or 0): dict(d) for i, _, d in books
                     if d and (ids is None or i in ids)})
    reply_ids = [s.ref_id for s in found.signals if not s.kind.startswith(("outcome:",
                                                                            "optout_link"))]
    for start in range(0, len(reply_ids), 5000):
        for h in conn.execute(sql.handoffs_from_replies(q.workspace_id,
                                                        reply_ids[start:start + 5000])):
            found.handoffs.setdefault(h.reply_id, []).append(h)
    return found


@dataclass
class _Group:
    """The running figures of one row."""

    enrolled: int = 0
    touched: int = 0
    completed: int = 0
    ended: int = 0
    sent: int = 0
    refused: int = 0
    dropped: int = 0
    bounced: set[int] = field(default_factory=set)
    replied: set[int] = field(default_factory=set)
    positive: set[int] = field(default_factory=set)
    opted_out: set[int] = field(default_factory=set)
    meetings: set[int] = field(default_factory=set)
    opportunities: set[int] = field(default_factory=set)
    disqualified: set[int] = field(default_factory=set)
    handed_off: set[int] = field(default_factory=set)
    pipeline: dict[int, float] = field(default_factory=dict)
    #: enrollments the prospect ended (reply or opt-out) before completing: not in the
    #: completion rate's denominator
    self_ended: set[int] = field(default_factory=set)
    first_reply: dict[int, float] = field(default_factory=dict)
    reply_to_handoff: list[float] = field(default_factory=list)
    handoff_to_accept: list[float] = field(default_factory=list)
    accept_to_contact: list[float] = field(default_factory=list)


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def _rate(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def _label(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text or UNKNOWN


def _key_of(found: Collected, by: Dimension) -> Callable[[Row], str]:
    """How a cube row or a signal names its group under ``by``."""
    names = found.playbooks

    def playbook(r: Row) -> str:
        return names.get(r.playbook_id, f"playbook {r.playbook_id}")

    match by:
        case "workspace":
            return lambda r: "all"
        case "playbook":
            return playbook
        case "week":
            return lambda r: _label(r.week)
        case "step":
            return lambda r: f"{playbook(r)} / step {r.step}"
        case "variant":
            return lambda r: f"{playbook(r)} / step {r.step} / {r.variant or '-'}"
        case "channel":
            return lambda r: _label(r.channel)
        case "mailbox":
            return lambda r: found.mailboxes.get(getattr(r, "extra", None) or
                                                 getattr(r, "mailbox_id", None) or 0,
                                                 "(none)")
        case "language" | "industry" | "company_size" | "country":
            return lambda r: _label(r.extra if hasattr(r, "extra") else getattr(r, by))
        case _:
            raise ValueError(f"{by!r} is not folded from the cubes")


def fold(found: Collected, by: Dimension) -> MetricsTable:
    """The table for ``by`` (any dimension but ``rep``, which :mod:`cadenza.metrics.reps`
    reads from the handoffs)."""
    key = _key_of(found, by)
    per_touch = by in TOUCH_DIMENSIONS
    groups: dict[str, _Group] = defaultdict(_Group)
    total = _Group()
    for r in found.touch_cube:
        for g in (groups[key(r)], total):
            g.sent += int(r.sent or 0)
            g.refused += int(r.refused or 0)
            if per_touch and g is not total:
                g.touched += int(r.touched or 0)
    for r in found.enrollment_cube:
        agent = found.agent_steps.get(r.playbook_id, 0)
        done = r.reached >= agent > 0
        ended = r.state not in LIVE
        n = int(r.n)
        targets = [total] if per_touch else [groups[key(r)], total]
        for g in targets:
            g.enrolled += n
            g.touched += n if r.reached else 0
            g.completed += n if done else 0
            g.ended += n if ended else 0
        if ended and not done and r.last_step is not None:
            total.dropped += n
            if by == "step":
                groups[key(_At(r.playbook_id, r.last_step))].dropped += n
            elif not per_touch:
                groups[key(r)].dropped += n
    for s in found.signals:
        for g in (groups[key(s)], total):
            _add_signal(found, g, s, per_touch and g is not total)
    rows = [_row(k, g, by) for k, g in sorted(groups.items(), key=lambda kv: _order(kv[0]))]
    return MetricsTable(by=by, since=found.query.since, until=found.query.until,
                        playbook=found.query.playbook, rows=rows,
                        total=_row("total", total, "workspace"))


@dataclass(frozen=True)
class _At:
    """A (playbook, step) as a key function reads it."""

    playbook_id: int
    step: int
    variant: str = ""
    channel: str = ""


def _order(key: str) -> tuple[tuple[int, Any], ...]:
    """Natural order: step 10 after step 9, numbers before words."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _PARTS.split(key) if p)


def _add_signal(found: Collected, g: _Group, s: Row, per_touch: bool) -> None:
    enrollment = int(s.enrollment_id)
    done = int(s.reached or 0) >= found.agent_steps.get(s.playbook_id, 0) > 0
    ends_it = s.state not in LIVE and not done
    kind = str(s.kind)
    if kind == "bounce":
        g.bounced.add(int(s.touch_id))
    elif kind == "optout_link":
        g.opted_out.add(enrollment)
        if ends_it:
            g.self_ended.add(enrollment)
    elif kind.startswith("outcome:"):
        outcome = kind.removeprefix("outcome:")
        if outcome == "meeting_booked":
            g.meetings.add(enrollment)
        elif outcome == "opportunity":
            g.opportunities.add(enrollment)
            g.pipeline[enrollment] = float(s.amount or 0)
        elif outcome == "disqualified":
            g.disqualified.add(enrollment)
    elif kind not in MACHINE_INTENTS:
        g.replied.add(enrollment)
        if ends_it:
            g.self_ended.add(enrollment)
        if kind in POSITIVE_INTENTS:
            g.positive.add(enrollment)
        if kind == "unsubscribe":
            g.opted_out.add(enrollment)
        since = s.touch_sent_at if per_touch else s.first_sent
        waited = _minutes(since, s.at)
        if waited is not None and waited >= 0:
            g.first_reply[enrollment] = min(waited, g.first_reply.get(enrollment, waited))
        for h in found.handoffs.get(s.ref_id, []):
            g.handed_off.add(enrollment)
            for bucket, span in ((g.reply_to_handoff, _minutes(s.at, h.created_at)),
                                 (g.handoff_to_accept,
                                  _minutes(h.routed_at or h.created_at, h.accepted_at)),
                                 (g.accept_to_contact, _minutes(h.accepted_at,
                                                                h.contacted_at))):
                if span is not None and span >= 0:
                    bucket.append(span)


def _row(key: str, g: _Group, by: str) -> MetricsRow:
    per_touch = by in TOUCH_DIMENSIONS
    eligible = g.ended - len(g.self_ended)
    sent = g.sent + g.refused
    bounced = len(g.bounced) + g.refused
    return MetricsRow(
        key=key, enrolled=None if per_touch else g.enrolled, touched=g.touched,
        completed=None if per_touch else g.completed,
        completion_rate=None if per_touch else _rate(g.completed, eligible),
        sent=sent, delivered=max(0, sent - bounced), bounced=bounced,
        bounce_rate=_rate(bounced, sent),
        replied=len(g.replied), reply_rate=_rate(len(g.replied), g.touched),
        positive=len(g.positive), positive_reply_rate=_rate(len(g.positive), g.touched),
        meetings=len(g.meetings), meeting_rate=_rate(len(g.meetings), g.touched),
        opportunities=len(g.opportunities),
        opportunity_rate=_rate(len(g.opportunities), g.touched),
        pipeline=round(sum(g.pipeline.values()), 2), disqualified=len(g.disqualified),
        handoffs=len(g.handed_off), handoff_rate=_rate(len(g.handed_off), g.touched),
        opt_outs=len(g.opted_out), opt_out_rate=_rate(len(g.opted_out), g.touched),
        dropped=None if by in ("channel", "variant") else g.dropped,
        drop_off_rate=None if by in ("channel", "variant") else _rate(g.dropped, g.touched),
        first_reply_minutes_p50=percentile(list(g.first_reply.values()), 50),
        reply_to_handoff_minutes_p50=percentile(g.reply_to_handoff, 50),
        handoff_to_accept_minutes_p50=percentile(g.handoff_to_accept, 50),
        accept_to_contact_minutes_p50=percentile(g.accept_to_contact, 50))


def metrics_table(session: Session, q: MetricsQuery) -> MetricsTable:
    """One dimension's table over the cohort of ``q``."""
    if q.by == "rep":
        from cadenza.metrics.reps import rep_table

        return rep_table(session, q)
    return fold(collect(session, q), q.by)
