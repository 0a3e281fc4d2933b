"""A row's running figures, and what each signal (a reply, an opt-out click, an outcome) adds
to the rows it counts in — prepared once per signal, applied to every dimension's row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from cadenza.metrics import sql
from cadenza.metrics.model import POSITIVE_INTENTS
from cadenza.states import LIVE, MACHINE_INTENTS

if TYPE_CHECKING:
    from cadenza.metrics.compute import Collected

Row = Any


@dataclass
class Group:
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


@dataclass
class Tally:
    """A group's figures as plain numbers — its distinct counts counted, the minutes behind
    its medians and its pipeline amounts listed — which is all a row is made of. Tallies of
    groups that share no enrollment add up to the tally of their union (the rollup's merge)."""

    enrolled: int = 0
    touched: int = 0
    completed: int = 0
    ended: int = 0
    sent: int = 0
    refused: int = 0
    dropped: int = 0
    bounced: int = 0
    replied: int = 0
    positive: int = 0
    opted_out: int = 0
    meetings: int = 0
    opportunities: int = 0
    disqualified: int = 0
    handed_off: int = 0
    self_ended: int = 0
    pipeline: list[float] = field(default_factory=list)
    first_reply: list[float] = field(default_factory=list)
    reply_to_handoff: list[float] = field(default_factory=list)
    handoff_to_accept: list[float] = field(default_factory=list)
    accept_to_contact: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _LISTS:
            getattr(self, name).extend(getattr(other, name))


_COUNTS = tuple(f.name for f in fields(Tally) if f.type in ("int", int))
_LISTS = tuple(f.name for f in fields(Tally) if f.name not in _COUNTS)


def tally(g: Group) -> Tally:
    """The numbers of a group."""
    t = Tally(pipeline=list(g.pipeline.values()), first_reply=list(g.first_reply.values()),
              reply_to_handoff=list(g.reply_to_handoff),
              handoff_to_accept=list(g.handoff_to_accept),
              accept_to_contact=list(g.accept_to_contact))
    for name in _COUNTS:
        value = getattr(g, name)
        setattr(t, name, len(value) if isinstance(value, set) else value)
    return t


def minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


@dataclass(frozen=True)
class At:
    """What a key function reads: a row's day, playbook, step, variant, channel, extra."""

    day: str
    playbook_id: int
    step: int = 0
    variant: str = ""
    channel: str = ""
    extra: Any = None
    mailbox_id: int | None = None


Apply = Callable[[Group, bool], None]


def step_reached(found: Collected, s: Row) -> bool:
    """Whether the step a signal is credited to reached its prospect (its first attempt went
    out). A reply threaded to a touch the server refused, or an outcome a rep pinned on it,
    still counts for the enrollment, but not for that step or variant: a step's rates are
    over the prospects it reached, so its successes must be among them (else an arm could
    show two meetings for one prospect touched)."""
    mask, _ = found.reached.get(int(s.enrollment_id), (0, None))
    return bool(mask >> int(s.step) & 1)


def prepared(found: Collected) -> list[tuple[At, Apply, bool]]:
    """Each signal once: where it counts (its touch's context), what it adds to a group
    (``per_touch``: a group of a step dimension, where times run from the answered touch),
    and whether it counts in a step dimension at all (:func:`step_reached`)."""
    out: list[tuple[At, Apply, bool]] = []
    agents = {i: (1 << (len(spec.agent_steps()) + 1)) - 2 for i, spec in found.specs.items()}
    for s in found.signals:
        agent = agents.get(s.playbook_id, 0)
        mask, first_sent = found.reached.get(int(s.enrollment_id), (0, None))
        done = agent > 0 and mask & agent == agent
        enrollment, kind = int(s.enrollment_id), str(s.kind)
        ends_it = s.state not in LIVE and not done
        at = At(s.day, s.playbook_id, int(s.step), s.variant or "", s.channel or "",
                 None, s.mailbox_id)
        at = _with_segments(at, s, found.query.by)
        out.append((at, _effect(found, s, kind, enrollment, ends_it, first_sent),
                    step_reached(found, s)))
    return out


def _with_segments(at: At, s: Row, by: str) -> At:
    if by in sql.PROSPECT_DIMENSIONS:
        return At(at.day, at.playbook_id, at.step, at.variant, at.channel, getattr(s, by),
                   at.mailbox_id)
    if by == "mailbox":
        return At(at.day, at.playbook_id, at.step, at.variant, at.channel, s.mailbox_id or 0,
                   at.mailbox_id)
    return at


def _effect(found: Collected, s: Row, kind: str, enrollment: int, ends_it: bool,
            first_sent: dt.datetime | None) -> Apply:
    if kind == "bounce":
        touch = int(s.touch_id)
        return lambda g, _: g.bounced.add(touch)
    if kind == "optout_link":
        def opted(g: Group, _: bool) -> None:
            g.opted_out.add(enrollment)
            if ends_it:
                g.self_ended.add(enrollment)
        return opted
    if kind.startswith("outcome:"):
        outcome, amount = kind.removeprefix("outcome:"), float(s.amount or 0)

        def reported(g: Group, _: bool) -> None:
            if outcome == "meeting_booked":
                g.meetings.add(enrollment)
            elif outcome == "opportunity":
                g.opportunities.add(enrollment)
                g.pipeline[enrollment] = amount
            elif outcome == "disqualified":
                g.disqualified.add(enrollment)
        return reported
    if kind in MACHINE_INTENTS:
        return lambda g, _: None
    from_first, from_touch = minutes(first_sent, s.at), minutes(s.touch_sent_at, s.at)
    spans = [(minutes(s.at, h.created_at), minutes(h.routed_at or h.created_at,
                                                     h.accepted_at),
              minutes(h.accepted_at, h.contacted_at)) for h in found.handoffs.get(s.ref_id, [])]
    positive, unsubscribe = kind in POSITIVE_INTENTS, kind == "unsubscribe"

    def replied(g: Group, per_touch: bool) -> None:
        g.replied.add(enrollment)
        if ends_it:
            g.self_ended.add(enrollment)
        if positive:
            g.positive.add(enrollment)
        if unsubscribe:
            g.opted_out.add(enrollment)
        waited = from_touch if per_touch else from_first
        if waited is not None and waited >= 0:
            g.first_reply[enrollment] = min(waited, g.first_reply.get(enrollment, waited))
        for to_handoff, to_accept, to_contact in spans:
            g.handed_off.add(enrollment)
            for bucket, span in ((g.reply_to_handoff, to_handoff),
                                 (g.handoff_to_accept, to_accept),
                                 (g.accept_to_contact, to_contact)):
                if span is not None and span >= 0:
                    bucket.append(span)
    return replied
