"""The handoff ticket a rep acts on, and its state machine.

:func:`build_ticket` gathers everything a rep needs to act within a minute: who, the facts our
touches used, the whole thread in time order, what the classifier concluded, a one-line
summary, a next step and a reply draft, the SLA. Every text in it is plain text: replies are
re-parsed from their raw bytes (HTML parts become text, scripts and hidden parts dropped) and
their quoted history and signatures stripped; nothing carries HTML through. Pages must still
escape it (it is untrusted text).

States: ``new → accepted → contacted → meeting_booked | disqualified | returned_to_agent``;
``new`` and ``accepted`` may also go straight to ``disqualified`` or ``returned_to_agent``.
``returned_to_agent`` records that the rep hands the prospect back; it does not restart any
enrollment (the agent's own rules decide whether and when to contact them again), so the
return is an event an operator can act on, not a hidden side effect.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Literal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from cadenza.errors import CadenzaError, MailboxError, NotFoundError
from cadenza.handoff.routing import ROUTING_KEY
from cadenza.handoff.suggest import (
    Suggestion,
    ThreadLine,
    llm_suggestion,
    template_suggestion,
)
from cadenza.handoff.summary import first_line, person, priority_of, summarize
from cadenza.llm import LLM
from cadenza.mailbox.parse import parse_message
from cadenza.mailbox.quotes import strip_reply
from cadenza.store.events import record_event
from cadenza.store.models import Fact, Handoff, Prospect, Rep, Reply, Touch
from cadenza.store.results import upsert_outcome

log = logging.getLogger(__name__)

State = Literal["new", "accepted", "contacted", "meeting_booked", "disqualified",
                "returned_to_agent"]
OPEN_STATES: tuple[State, ...] = ("new", "accepted", "contacted")
CLOSED_STATES: tuple[State, ...] = ("meeting_booked", "disqualified", "returned_to_agent")
TRANSITIONS: dict[str, tuple[State, ...]] = {
    "new": ("accepted", "disqualified", "returned_to_agent"),
    "accepted": ("contacted", "disqualified", "returned_to_agent"),
    "contacted": ("meeting_booked", "disqualified", "returned_to_agent"),
}


class TransitionError(CadenzaError):
    """A ticket cannot move to the requested state (the message lists the allowed moves)."""


class ProspectCard(BaseModel):
    id: int
    name: str
    email: str
    title: str
    company: str
    company_domain: str
    country: str
    timezone: str
    language: str
    linkedin_url: str


class RepCard(BaseModel):
    id: int
    name: str
    email: str
    timezone: str


class FactCard(BaseModel):
    key: str
    kind: str
    text: str
    date: dt.date | None
    source: str


class ThreadItem(BaseModel):
    """One message: ``ours`` (a sent touch) or ``theirs`` (a reply), plain text only."""

    direction: Literal["ours", "theirs"]
    at: dt.datetime | None
    subject: str
    text: str
    channel: str = "email"
    touch_id: int | None = None
    reply_id: int | None = None
    step: int | None = None
    quoted_removed: bool = False


class Ticket(BaseModel):
    """Everything the rep's ticket page and the API show for one handoff."""

    id: int
    workspace_id: int
    state: str
    priority: int
    intent: str
    confidence: float
    fields: dict[str, Any]
    summary: str
    next_step: str
    suggested_subject: str
    suggested_reply: str
    suggestion_source: Literal["llm", "template", "stored"]
    prospect: ProspectCard
    rep: RepCard | None
    queue: str
    facts: list[FactCard]
    thread: list[ThreadItem]
    route_reason: str
    reassignments: int
    created_at: dt.datetime
    routed_at: dt.datetime | None
    accepted_at: dt.datetime | None
    contacted_at: dt.datetime | None
    closed_at: dt.datetime | None
    sla_due_at: dt.datetime | None
    sla_breached: bool
    escalated_at: dt.datetime | None


def reply_plain_text(reply: Reply) -> tuple[str, bool]:
    """A reply's new text (quotes and signature stripped) and whether history was removed."""
    text = reply.text
    try:
        text = parse_message(reply.raw).text
    except MailboxError:
        log.debug("reply %s does not parse; using its stored text", reply.id)
    stripped = strip_reply(text)
    return stripped.text, bool(stripped.quoted)


def thread_for(session: Session, prospect_id: int, extra_reply_id: int | None) -> list[ThreadItem]:
    """Our sent touches and their replies, oldest first."""
    items: list[ThreadItem] = []
    touches = session.exec(select(Touch).where(Touch.prospect_id == prospect_id,
                                               col(Touch.sent_at).is_not(None))).all()
    for t in touches:
        items.append(ThreadItem(direction="ours", at=t.sent_at, subject=t.subject, text=t.body,
                                channel=t.channel, touch_id=t.id, step=t.step))
    replies = list(session.exec(select(Reply).where(Reply.prospect_id == prospect_id)).all())
    if extra_reply_id is not None and all(r.id != extra_reply_id for r in replies):
        extra = session.get(Reply, extra_reply_id)
        if extra is not None:
            replies.append(extra)
    for r in replies:
        text, quoted = reply_plain_text(r)
        items.append(ThreadItem(direction="theirs", at=r.sent_at or r.received_at,
                                subject=r.subject, text=text, reply_id=r.id,
                                quoted_removed=quoted))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    items.sort(key=lambda i: (i.at or epoch, i.direction == "theirs"))
    return items


def facts_used(session: Session, prospect_id: int) -> list[FactCard]:
    """The prospect's facts our touches cited (``Touch.fact_ids`` are fact keys or ids)."""
    cited: list[str] = []
    for ids in session.exec(select(Touch.fact_ids).where(Touch.prospect_id == prospect_id)):
        cited += [str(i) for i in ids or [] if str(i) not in cited]
    if not cited:
        return []
    facts = session.exec(select(Fact).where(Fact.prospect_id == prospect_id)).all()
    by = {f.key: f for f in facts} | {str(f.id): f for f in facts}
    return [FactCard(key=f.key, kind=f.kind, text=f.text, date=f.date, source=f.source)
            for f in (by.get(c) for c in cited) if f is not None]


def build_ticket(*, session: Session, handoff_id: int, now: dt.datetime | None = None,
                 llm: LLM | None = None, regenerate: bool = False) -> Ticket:
    """The ticket for one handoff.

    The draft is the one stored on the handoff when there is one (so every page view shows
    the same text and an LLM is not called per view); otherwise, or with ``regenerate``, it is
    made by ``llm`` when given, else from the intent's template, and stored.
    """
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.id is None:
        raise NotFoundError(f"no handoff {handoff_id}")
    prospect = session.get(Prospect, handoff.prospect_id)
    if prospect is None or prospect.id is None:
        raise NotFoundError(f"handoff {handoff_id} points at missing prospect "
                            f"{handoff.prospect_id}")
    rep = session.get(Rep, handoff.rep_id) if handoff.rep_id is not None else None
    now = now or dt.datetime.now(dt.UTC)
    thread = thread_for(session, prospect.id, handoff.reply_id)
    facts = facts_used(session, prospect.id)
    said = next((i.text for i in reversed(thread) if i.direction == "theirs"), "")
    last_subject = next((i.subject for i in reversed(thread) if i.subject), "")
    suggestion = _suggestion(session, handoff, prospect, rep, thread, facts, said,
                             last_subject, llm, regenerate)
    meta = (handoff.fields or {}).get(ROUTING_KEY) or {}
    due = handoff.sla_due_at
    return Ticket(
        id=handoff.id, workspace_id=handoff.workspace_id, state=handoff.state,
        priority=handoff.priority or priority_of(handoff.intent), intent=handoff.intent,
        confidence=handoff.confidence,
        fields={k: v for k, v in (handoff.fields or {}).items() if not k.startswith("_")},
        summary=summarize(handoff, prospect, said), next_step=suggestion.next_step,
        suggested_subject=suggestion.subject, suggested_reply=suggestion.body,
        suggestion_source=suggestion.source,
        prospect=ProspectCard(
            id=prospect.id, name=person(prospect).split(" (")[0], email=prospect.email,
            title=prospect.title, company=prospect.company,
            company_domain=prospect.company_domain, country=prospect.country,
            timezone=prospect.timezone, language=prospect.language,
            linkedin_url=prospect.linkedin_url),
        rep=RepCard(id=rep.id, name=rep.name, email=rep.email, timezone=rep.timezone)
        if rep is not None and rep.id is not None else None,
        queue=handoff.queue, facts=facts, thread=thread, route_reason=handoff.route_reason,
        reassignments=int(meta.get("reassignments", 0)), created_at=handoff.created_at,
        routed_at=handoff.routed_at, accepted_at=handoff.accepted_at,
        contacted_at=handoff.contacted_at, closed_at=handoff.closed_at, sla_due_at=due,
        sla_breached=due is not None and (handoff.accepted_at or now) > due,
        escalated_at=handoff.escalated_at)


def _suggestion(session: Session, handoff: Handoff, prospect: Prospect, rep: Rep | None,
                thread: list[ThreadItem], facts: list[FactCard], said: str, subject: str,
                llm: LLM | None, regenerate: bool) -> Suggestion:
    template = template_suggestion(
        intent=handoff.intent, first_name=prospect.first_name,
        rep_name=rep.name.split(" ")[0] if rep is not None else "", company=prospect.company,
        subject=subject, said=first_line(said, 100))
    if handoff.suggested_reply and not regenerate:
        return Suggestion(next_step=template.next_step, subject=template.subject,
                       body=handoff.suggested_reply, source="stored")
    result = template
    if llm is not None:
        lines = [ThreadLine(direction=i.direction, at=i.at.isoformat() if i.at else "",
                            subject=i.subject, text=i.text) for i in thread[-6:]]
        result = llm_suggestion(llm=llm, intent=handoff.intent, prospect=person(prospect),
                                language=prospect.language,
                                rep_name=rep.name if rep is not None else "",
                                facts=[f"{f.kind}: {f.text}" for f in facts], thread=lines,
                                fallback=template)
    handoff.suggested_reply = result.body
    session.add(handoff)
    return result


def transition(*, session: Session, handoff_id: int, to: str, by: str, now: dt.datetime,
               rep_id: int | None = None, note: str = "") -> Handoff:
    """Move a ticket to ``to``; invalid moves raise :class:`TransitionError`.

    ``rep_id``: the rep acting. Accepting a queue ticket assigns it to them; a rep may not act
    on another rep's ticket. ``by`` names the actor in the event (``rep:3``, an email, …).
    """
    handoff = session.get(Handoff, handoff_id, with_for_update=True)
    if handoff is None:
        raise NotFoundError(f"no handoff {handoff_id}")
    allowed = TRANSITIONS.get(handoff.state, ())
    if to not in allowed:
        options = ", ".join(allowed) if allowed else f"none ({handoff.state} is final)"
        raise TransitionError(f"handoff {handoff_id} cannot go from {handoff.state} to {to}; "
                              f"allowed: {options}")
    if rep_id is not None and handoff.rep_id is not None and handoff.rep_id != rep_id:
        raise TransitionError(f"handoff {handoff_id} is assigned to another rep")
    previous = handoff.state
    if rep_id is not None and handoff.rep_id is None:
        handoff.rep_id, handoff.queue = rep_id, "rep"
    handoff.state = to
    if to == "accepted":
        handoff.accepted_at = now
    elif to == "contacted":
        handoff.contacted_at = now
    if to in CLOSED_STATES:
        handoff.closed_at = now
    session.add(handoff)
    session.flush()
    record_event(session=session, kind=f"handoff.{to}", workspace_id=handoff.workspace_id,
                 subject_type="handoff", subject_id=handoff.id, previous=previous, by=by,
                 rep_id=handoff.rep_id, note=note[:1000], handoff_id=handoff.id,
                 prospect_id=handoff.prospect_id, at=now.isoformat(),
                 **({"accepted_at": now.isoformat()} if to == "accepted" else {}))
    if to == "meeting_booked":  # the CRM's own name for it (cadenza.event_types)
        record_event(session=session, kind="meeting.booked", workspace_id=handoff.workspace_id,
                     subject_type="handoff", subject_id=handoff.id, handoff_id=handoff.id,
                     prospect_id=handoff.prospect_id, rep_id=handoff.rep_id, by=by,
                     booked_at=now.isoformat())
    if to in ("meeting_booked", "disqualified"):  # the metrics count outcomes, however given
        upsert_outcome(session, workspace_id=handoff.workspace_id,
                       prospect_id=handoff.prospect_id, kind=to, now=now, source="rep", by=by,
                       handoff_id=handoff.id, reply_id=handoff.reply_id,
                       reason=note[:500] if to == "disqualified" else "", if_missing=True)
    return handoff
