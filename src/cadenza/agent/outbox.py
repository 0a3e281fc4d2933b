"""Exactly-once delivery: the touch row is the outbox.

The row (unique on enrollment and step) carries its deterministic Message-ID and moves
``approved → sending`` in a committed, conditional update *before* the SMTP call, then
``sending → sent`` after it. Only one process can win the first update, so concurrent workers
never send the same touch twice; a crash leaves the row in ``sending``, and recovery decides from
the row (and the IMAP Sent folder when there is one) — it never resends on a guess.

The claim is also the last line of defence: whatever path led here (the scheduler, an approval,
an edit, a resume after a crash, a retry), the same conditional update only succeeds while the
address and its domain are not suppressed, the enrollment is still ``active`` at this step and
attempt, no message from a person has come from the prospect since the touch was scheduled,
and no message from the address waits unprocessed (the watcher stores a message before it
reads it: the send waits for the verdict). Checked in the statement that takes the row, so
nothing can change in between.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Update, and_, bindparam, exists, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from cadenza.states import (
    CLAIMABLE,
    MACHINE_INTENTS,
    EnrollmentState,
    ReplyState,
    TouchState,
)
from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Playbook, Reply, Suppression, Touch

log = logging.getLogger(__name__)
IN_FLIGHT = TouchState.SENDING


@dataclass(frozen=True)
class Claim:
    """The outcome of a claim: ``won``, or why not (``safety`` when a send-time check said no,
    as opposed to another worker having the touch)."""

    won: bool
    reason: str = ""
    safety: bool = False

    def __bool__(self) -> bool:
        return self.won


def _candidates(address: str) -> tuple[str, str]:
    address = address.strip().lower()
    return address, address.rsplit("@", 1)[-1] if "@" in address else address


# The three send-time conditions, on the row being claimed.
_SUPPRESSED = exists().where(col(Suppression.workspace_id) == col(Touch.workspace_id),
                             col(Suppression.value).in_([bindparam("check_address"),
                                                         bindparam("check_domain")]))
_STILL_DUE = exists().where(col(Enrollment.id) == col(Touch.enrollment_id),
                            col(Enrollment.state) == EnrollmentState.ACTIVE,
                            col(Enrollment.next_step) == col(Touch.step),
                            col(Enrollment.attempt) == col(Touch.attempt))
_REPLIED: ColumnElement[bool] = exists().where(
    col(Reply.workspace_id) == col(Touch.workspace_id),
    col(Reply.received_at) >= col(Touch.created_at),
    or_(col(Reply.prospect_id) == col(Touch.prospect_id),
        func.lower(col(Reply.from_address)) == bindparam("check_address")),
    or_(col(Reply.state) == ReplyState.TRIAGE,
        and_(col(Reply.state) == ReplyState.PROCESSED,
             col(Reply.intent).not_in(sorted(MACHINE_INTENTS)))))


#: A message from the address that is stored but not processed yet: wait for its verdict.
_UNREAD = exists().where(
    col(Reply.workspace_id) == col(Touch.workspace_id),
    col(Reply.state).in_([ReplyState.STORED, ReplyState.PROCESSING]),
    func.lower(col(Reply.from_address)) == bindparam("check_address"))


def claim_for_sending(session: Session, *, touch_id: int, message_id: str,
                      now: dt.datetime, **content: Any) -> Claim:
    """Move a drafted/approved touch to ``sending`` with the exact content about to go out
    (one committed, conditional update, with the send-time checks in it).

    ``content`` must carry ``to_address``. A refused claim says why: another worker has it,
    or a send-time check failed (then ``safety`` is True and nothing may go out).
    """
    address, domain = _candidates(str(content.get("to_address") or ""))
    checks = {"check_address": address, "check_domain": domain}
    result = session.connection().execute(_claim_statement(frozenset(content)), {
        **content, **checks, "touch_id": touch_id, "message_id": message_id, "now": now})
    if result.rowcount:
        session.commit()
        return Claim(True)
    claim = _refusal(session, touch_id, checks)
    session.commit()
    return claim


_WHY = (sa_select(col(Touch.state), _SUPPRESSED.label("suppressed"),
               _STILL_DUE.label("due"), _REPLIED.label("replied"), _UNREAD.label("unread"))
        .where(col(Touch.id) == bindparam("touch_id")))


def _refusal(session: Session, touch_id: int, checks: dict[str, str]) -> Claim:
    row = session.connection().execute(_WHY, {**checks, "touch_id": touch_id}).first()
    if row is None:
        return Claim(False, "the touch is gone")
    if row.state not in CLAIMABLE:
        return Claim(False, f"claimed by another worker (touch is {row.state})")
    if row.suppressed:
        return Claim(False, "suppressed", safety=True)
    if row.replied:
        return Claim(False, "replied: a person wrote since this touch was scheduled",
                     safety=True)
    if not row.due:
        return Claim(False, "enrollment no longer due at this step", safety=True)
    if row.unread:
        return Claim(False, "unread: a message from this address is not processed yet",
                     safety=True)
    return Claim(False, "claim refused")


@functools.lru_cache(maxsize=16)
def _claim_statement(columns: frozenset[str]) -> Update:
    """The conditional claim for one set of content columns, built once (it runs for every
    email; building a statement costs more than SQLite takes to run it)."""
    return (update(Touch).where(col(Touch.id) == bindparam("touch_id"),
                                col(Touch.state).in_(sorted(CLAIMABLE)),
                                ~_SUPPRESSED, _STILL_DUE, ~_REPLIED, ~_UNREAD)
            .values(state=IN_FLIGHT, message_id=bindparam("message_id"),
                    sending_at=bindparam("now"), updated_at=bindparam("now"),
                    attempts=Touch.attempts + 1,
                    **{name: bindparam(name) for name in sorted(columns)}))


_MARK_SENT = (update(Touch).where(col(Touch.id) == bindparam("touch_id"))
              .values(state="sent", sent_at=bindparam("now"), updated_at=bindparam("now"),
                      reason=""))


def mark_sent(session: Session, *, touch_id: int, now: dt.datetime) -> None:
    """``sending → sent``: the SMTP server accepted the message."""
    session.connection().execute(_MARK_SENT, {"touch_id": touch_id, "now": now})
    session.commit()


def release_claim(session: Session, *, touch_id: int, reason: str, now: dt.datetime,
                  sending_at: dt.datetime | None = None) -> None:
    """``sending → approved``: the server refused before accepting, so nothing went out.
    ``sending_at``: only the claim made at that moment (a run giving back its own claim
    leaves another run's touch at SMTP alone)."""
    where = [col(Touch.id) == touch_id, col(Touch.state) == IN_FLIGHT]
    if sending_at is not None:
        where.append(col(Touch.sending_at) == sending_at)
    session.execute(update(Touch).where(*where)
                    .values(state="approved", reason=reason, updated_at=now))
    session.commit()


@dataclass(frozen=True)
class Recovery:
    """What recovery decided for one touch found in flight."""

    touch_id: int
    decision: str  # "sent" (found in the Sent folder) or "held" (a person decides)
    reason: str


def recover_in_flight(session: Session, *, now: dt.datetime,
                      older_than: dt.timedelta = dt.timedelta(minutes=2),
                      in_sent_folder: Callable[[Touch], bool | None] | None = None,
                      only: Collection[int] | None = None) -> list[Recovery]:
    """Settle touches left in ``sending`` by a crash.

    ``in_sent_folder`` answers True/False when the mailbox has a Sent folder to search, None when
    it cannot tell. Found → ``sent``. Otherwise the touch is ``held`` with reason
    ``delivery_unconfirmed`` for a person: resending could reach the prospect twice, and the
    deterministic Message-ID lets a person (or the recipient's client) recognise a duplicate.
    ``only``: these touches alone (a dead worker's, found by :mod:`cadenza.agent.workers`).
    """
    cutoff = now - older_than
    where: list[ColumnElement[bool]] = [col(Touch.state) == IN_FLIGHT,
                                        col(Touch.sending_at) <= cutoff]
    if only is not None:
        where.append(col(Touch.id).in_(list(only)))
    stuck = session.exec(select(Touch).where(*where)).all()
    decisions: list[Recovery] = []
    for touch in stuck:
        found = in_sent_folder(touch) if in_sent_folder is not None else None
        if found:
            touch.state, touch.sent_at, touch.reason = "sent", touch.sending_at, ""
            decision = Recovery(touch.id or 0, "sent", "found in the Sent folder")
        else:
            why = ("not in the Sent folder" if found is False else "no Sent folder to check")
            touch.state, touch.reason = TouchState.HELD, "delivery_unconfirmed"
            decision = Recovery(touch.id or 0, "held", f"crash during delivery; {why}")
        touch.updated_at = now
        session.add(touch)
        record_event(session=session, kind="touch.recovered", workspace_id=touch.workspace_id,
                     subject_type="touch", subject_id=touch.id, decision=decision.decision,
                     reason=decision.reason, message_id=touch.message_id)
        if decision.decision == "sent":
            _announce_sent(session, touch)
        decisions.append(decision)
    session.commit()
    for d in decisions:
        log.warning("recovered touch %s: %s (%s)", d.touch_id, d.decision, d.reason)
    return decisions


def _announce_sent(session: Session, touch: Touch) -> None:
    """``touch.sent`` for a touch recovery found in the Sent folder: the graph's ``record``
    never ran for it, and a subscriber must still hear that it went out."""
    playbook = session.exec(select(Playbook.name).join(
        Enrollment, col(Enrollment.playbook_id) == Playbook.id).where(
        Enrollment.id == touch.enrollment_id)).first()
    record_event(session=session, kind="touch.sent", workspace_id=touch.workspace_id,
                 subject_type="touch", subject_id=touch.id, step=touch.step,
                 channel=touch.channel, reason="found in the Sent folder after a crash",
                 enrollment_id=touch.enrollment_id, touch_id=touch.id,
                 prospect_id=touch.prospect_id, playbook=playbook or "", attempt=touch.attempt,
                 subject=touch.subject, message_id=touch.message_id,
                 to_address=touch.to_address,
                 sent_at=touch.sent_at.isoformat() if touch.sent_at else None)
