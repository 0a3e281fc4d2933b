"""Turn one stored raw reply into a decision: parse, thread, classify, act — exactly once.

The watcher commits the raw bytes first (state ``stored``); this module does the rest. All the
writes for one reply — its new state, the action and the action's events — happen in one
transaction, so a crash before the commit leaves the reply ``stored`` and the next pass retries
it, and a crash after leaves it done. The transaction starts with a conditional
``UPDATE … WHERE state = 'stored'``: on PostgreSQL it waits for a concurrent worker's row lock and
then sees zero rows; on SQLite it takes the write lock. Either way a reply is acted on once.

Classification is a pure function of the raw bytes, so it runs *before* that transaction: a slow
LLM call must not hold the database's write lock. A message that cannot be parsed or classified
is kept and sent to triage with the error, never dropped and never allowed to crash the watcher.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from cadenza.config import Settings
from cadenza.errors import CadenzaError
from cadenza.handoff.outcomes import record_outcome
from cadenza.mailbox.calendar import find_invitation
from cadenza.replies.base import ActionResult, ReplyContext, classified, open_task
from cadenza.replies.classify.intents import Classification
from cadenza.replies.classify.message import ClassifiedReply, classify_message
from cadenza.replies.classify.standards import detect_machine
from cadenza.replies.policy import apply_action
from cadenza.replies.threading import ThreadMatch, match_reply, own_addresses
from cadenza.states import REPLY_DONE
from cadenza.store.database import Database
from cadenza.store.events import record_event
from cadenza.store.models import Reply

log = logging.getLogger(__name__)
T = TypeVar("T")
DONE_STATES = REPLY_DONE
_EXCERPT = 1000


#: The outcome state of a reply a watcher left alone because it no longer holds the mailbox.
FENCED = "fenced"
#: A check run in the processing transaction before a reply is claimed (a lease's fence).
Fence = Callable[[Session], bool]


class Classify(Protocol):
    """The classifier the pipeline calls: ``classify_message`` or a test's stand-in."""

    def __call__(self, raw: bytes, *, own_addresses: frozenset[str] = ...,
                 threshold: float = ...) -> ClassifiedReply: ...


@dataclass
class ProcessOutcome:
    """What processing one reply did; ``changed`` is False when it was already done."""

    reply_id: int
    changed: bool
    state: str
    action: str = ""
    intent: str = ""
    handoff_ids: list[int] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    sender: str = ""
    confidence: float | None = None
    reason: str = ""


def default_classifier(settings: Settings) -> Classify:
    """``classify_message`` with the configured LLM, or the offline layers when none is."""
    from cadenza.llm import llm_from_settings

    llm = llm_from_settings(base_url=settings.llm_base_url, model=settings.llm_model,
                            api_key=settings.llm_api_key())
    return partial(classify_message, llm=llm) if llm is not None else classify_message


def message_key(raw: bytes) -> str:
    """The dedupe key of a raw message: its Message-ID, or a hash of the bytes when absent."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        value = str(headers.get("Message-ID") or "").strip()
    except Exception:  # header parsing of hostile bytes must never lose the message
        value = ""
    # NUL or a control character cannot be stored (PostgreSQL) and is no one's Message-ID
    if value and " " not in value and len(value) <= 900 and value.isprintable():
        return value
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def sender_of(raw: bytes) -> str:
    """The From address of a raw message (lower case), or "" — read when the message is
    stored, so the send-time check can see a reply from the prospect before it is processed."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        addresses = getaddresses([str(headers.get("From") or "")])
    except Exception:  # header parsing of hostile bytes must never lose the message
        return ""
    for _, address in addresses:
        if "@" in address:
            return address.strip().lower()[:320]
    return ""


def process_reply(*, session: Session, reply_id: int, classify: Classify, now: dt.datetime,
                  threshold: float, fence: Fence | None = None) -> ProcessOutcome:
    """Process one stored reply in the caller's transaction (the caller commits).

    Idempotent: a reply not in state ``stored`` is left alone. A duplicate delivery (the same
    Message-ID already stored for the mailbox under a lower id, e.g. the message in two
    folders) is marked ``duplicate`` and not acted on again. With a ``fence`` (the watcher's
    mailbox lease), nothing is done unless it still holds, checked in this transaction before
    the reply is claimed: a watcher that lost its lease does not act (state ``fenced``).
    """
    reply = session.get(Reply, reply_id)
    if reply is None or reply.state != "stored":
        return ProcessOutcome(reply_id, False, reply.state if reply else "missing")
    workspace_id = reply.workspace_id
    own = own_addresses(session, workspace_id)
    try:
        result: ClassifiedReply | None = classify(reply.raw, own_addresses=own,
                                                  threshold=threshold)
        crash = ""
    except Exception as exc:  # a classifier bug must not stop the mailbox: a person looks
        log.exception("classifier failed on reply %s", reply_id)
        result, crash = None, f"classifier error: {type(exc).__name__}: {exc}"
    if fence is not None and not fence(session):
        session.rollback()
        return ProcessOutcome(reply_id, False, FENCED)
    claimed = session.execute(update(Reply).where(col(Reply.id) == reply_id,
                                                  col(Reply.state) == "stored")
                              .values(state="processing"))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return ProcessOutcome(reply_id, False, "busy")
    session.refresh(reply)
    duplicate = _first_copy(session, reply)
    if duplicate is not None:
        return _finish(session, reply, now, ActionResult(
            "duplicate", f"duplicate_of:{duplicate}", "same Message-ID already stored"),
            ThreadMatch("none"), result.classification if result else None)
    if result is None or result.parsed is None:
        error = crash or (result.error if result else "") or "unparseable message"
        return _malformed(session, reply, now, error)
    parsed = result.parsed
    c = result.classification
    reply.from_address = (parsed.from_addr or "")[:320]
    reply.subject = parsed.subject[:998]
    reply.text = (result.stripped.text if result.stripped else parsed.text)[:20_000]
    reply.sent_at = parsed.date
    machine = detect_machine(parsed) if c.intent in ("bounce", "auto_reply",
                                                     "unsubscribe") else None
    recipients = list(machine.recipients) if machine else []
    match = match_reply(session=session, workspace_id=workspace_id, parsed=parsed,
                        classification=c, now=now, own=own, bounce_recipients=recipients)
    ctx = ReplyContext(reply=reply, match=match, classification=c, now=now,
                       threshold=threshold, sender=parsed.from_addr,
                       senders=[a for a in [parsed.from_addr, *parsed.reply_to] if a],
                       bounce_recipients=recipients,
                       left_company=bool(machine and machine.left_company),
                       excerpt=reply.text[:_EXCERPT])
    action = apply_action(session, ctx)
    if match.prospect is not None and match.prospect.id is not None:
        _meeting_from_invitation(session, reply, parsed.message, match.prospect.id, now)
    return _finish(session, reply, now, action, match, c)


def _meeting_from_invitation(session: Session, reply: Reply, message: Message,
                             prospect_id: int, now: dt.datetime) -> None:
    """A calendar invitation (``METHOD:REQUEST``) in the reply books the meeting: recorded as
    the prospect's outcome without a person, in the reply's transaction. A problem here is
    logged and never stops the reply's processing."""
    invitation = find_invitation(message)
    if invitation is None:
        return
    try:
        with session.begin_nested():
            record_outcome(session, workspace_id=reply.workspace_id, kind="meeting_booked",
                           source="ics", by="calendar invitation", now=now,
                           prospect_id=prospect_id, meeting_at=invitation.start,
                           external_ref=invitation.uid or f"reply {reply.id}",
                           reason=invitation.summary)
    except CadenzaError as exc:
        log.warning("reply %s: calendar invitation not recorded: %s", reply.id, exc)


def _first_copy(session: Session, reply: Reply) -> int | None:
    if not reply.message_id:
        return None
    return session.exec(select(Reply.id).where(
        Reply.mailbox_id == reply.mailbox_id, Reply.message_id == reply.message_id,
        col(Reply.id) < reply.id).order_by(col(Reply.id))).first()


def _malformed(session: Session, reply: Reply, now: dt.datetime, error: str) -> ProcessOutcome:
    reply.error = error[:2000]
    c = Classification(intent="unclear", confidence=0.0, reason=error[:200], method="parse")
    ctx = ReplyContext(reply=reply, match=ThreadMatch("none"), classification=c, now=now,
                       threshold=1.0)
    task_id = open_task(session, ctx=ctx, kind="triage",
                        title=f"Unreadable message in {reply.folder} (UID {reply.uid})",
                        body=error, data={"reason": error})
    action = ActionResult("triage", "triage", f"malformed: {error}", task_ids=[task_id])
    record_event(session=session, kind="reply.action", workspace_id=reply.workspace_id,
                 subject_type="reply", subject_id=reply.id, action="triage",
                 reason=action.reason)
    return _finish(session, reply, now, action, ThreadMatch("none"), c)


def _finish(session: Session, reply: Reply, now: dt.datetime, action: ActionResult,
            match: ThreadMatch, c: Classification | None) -> ProcessOutcome:
    reply.state, reply.action, reply.processed_at = action.state, action.action, now
    reply.thread_method = match.method
    reply.touch_id = match.touch.id if match.touch else None
    reply.prospect_id = match.prospect.id if match.prospect else None
    if c is not None:
        reply.intent, reply.confidence = c.intent, c.confidence
        reply.classifier = c.method
        reply.fields = c.model_dump(exclude={"intent", "confidence", "reason", "method"},
                                    exclude_defaults=True) | {"reason": c.reason}
    session.add(reply)
    record_event(session=session, kind="reply.processed", workspace_id=reply.workspace_id,
                 subject_type="reply", subject_id=reply.id, state=action.state,
                 action=action.action, intent=reply.intent, thread_method=match.method,
                 reason=action.reason)
    if c is not None and action.action != "own_message":
        classified(session, reply, c, action.action)
    return ProcessOutcome(reply.id or 0, True, action.state, action.action, reply.intent,
                          list(action.handoff_ids), list(action.task_ids),
                          sender=reply.from_address or "", confidence=reply.confidence,
                          reason=action.reason)


def process_stored(*, db: Database, classify: Classify, threshold: float,
                   mailbox_id: int | None = None, reply_ids: list[int] | None = None,
                   now: Callable[[], dt.datetime] | None = None,
                   on_handoff: Callable[[int], None] | None = None,
                   on_processed: Callable[[ProcessOutcome], None] | None = None,
                   fence: Fence | None = None) -> list[ProcessOutcome]:
    """Process stored replies (given ids, or every ``stored`` one of the mailbox), one commit each.

    Callbacks run after the commit, so a handoff router sees a committed row. A reply whose
    processing raises is rolled back, stays ``stored`` and is retried on the next pass. Once
    the ``fence`` fails the pass ends: the rest belong to the mailbox's new holder.
    """
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    if reply_ids is None:
        with db.session() as s:
            stmt = select(Reply.id).where(Reply.state == "stored")
            if mailbox_id is not None:
                stmt = stmt.where(Reply.mailbox_id == mailbox_id)
            reply_ids = [i for i in s.exec(stmt.order_by(col(Reply.id))).all() if i is not None]
    outcomes: list[ProcessOutcome] = []
    for reply_id in reply_ids:
        try:
            with db.session() as s:
                outcome = process_reply(session=s, reply_id=reply_id, classify=classify,
                                        now=clock(), threshold=threshold, fence=fence)
        except Exception:
            log.exception("processing reply %s failed; it stays stored for a retry", reply_id)
            continue
        outcomes.append(outcome)
        if outcome.state == FENCED:
            break
        if not outcome.changed:
            continue
        for handoff_id in outcome.handoff_ids:
            _callback(on_handoff, handoff_id)
        _callback(on_processed, outcome)
    return outcomes


def _callback(fn: Callable[[T], None] | None, value: T) -> None:
    if fn is None:
        return
    try:
        fn(value)
    except Exception:  # someone else's hook must not undo or stall our processing
        log.exception("callback %r failed", fn)

