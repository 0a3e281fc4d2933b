"""Exactly-once delivery: the touch row is the outbox.

The row (unique on enrollment and step) carries its deterministic Message-ID and moves
``approved → sending`` in a committed, conditional update *before* the SMTP call, then
``sending → sent`` after it. Only one process can win the first update, so concurrent workers
never send the same touch twice; a crash leaves the row in ``sending``, and recovery decides from
the row (and the IMAP Sent folder when there is one) — it never resends on a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlmodel import Session, col, select

from cadenza.store.events import record_event
from cadenza.store.models import Touch

log = logging.getLogger(__name__)
IN_FLIGHT = "sending"


#: A touch may be claimed from these states only: checked and auto-approved in the same run
#: (``pending``: the graph reaches delivery only through the checker and the approval step),
#: or approved by a person. Never from held, awaiting approval, rejected or cancelled.
CLAIMABLE = ("pending", "drafted", "approved")


def claim_for_sending(session: Session, *, touch_id: int, message_id: str,
                      now: dt.datetime, **content: Any) -> bool:
    """Move a drafted/approved touch to ``sending`` with the exact content about to go out
    (one committed, conditional update). False if someone else has it."""
    result = session.connection().execute(_claim_statement(frozenset(content)), {
        **content, "touch_id": touch_id, "message_id": message_id, "now": now})
    session.commit()
    return bool(result.rowcount)


@functools.lru_cache(maxsize=16)
def _claim_statement(columns: frozenset[str]) -> Update:
    """The conditional claim for one set of content columns, built once (it runs for every
    email; building a statement costs more than SQLite takes to run it)."""
    return (update(Touch).where(col(Touch.id) == bindparam("touch_id"),
                                col(Touch.state).in_(CLAIMABLE))
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


def release_claim(session: Session, *, touch_id: int, reason: str, now: dt.datetime) -> None:
    """``sending → approved``: the server refused before accepting, so nothing went out."""
    session.execute(update(Touch).where(col(Touch.id) == touch_id,
                                        col(Touch.state) == IN_FLIGHT)
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
                      ) -> list[Recovery]:
    """Settle touches left in ``sending`` by a crash.

    ``in_sent_folder`` answers True/False when the mailbox has a Sent folder to search, None when
    it cannot tell. Found → ``sent``. Otherwise the touch is ``held`` with reason
    ``delivery_unconfirmed`` for a person: resending could reach the prospect twice, and the
    deterministic Message-ID lets a person (or the recipient's client) recognise a duplicate.
    """
    cutoff = now - older_than
    stuck = session.exec(select(Touch).where(Touch.state == IN_FLIGHT,
                                             col(Touch.sending_at) <= cutoff)).all()
    decisions: list[Recovery] = []
    for touch in stuck:
        found = in_sent_folder(touch) if in_sent_folder is not None else None
        if found:
            touch.state, touch.sent_at, touch.reason = "sent", touch.sending_at, ""
            decision = Recovery(touch.id or 0, "sent", "found in the Sent folder")
        else:
            why = ("not in the Sent folder" if found is False else "no Sent folder to check")
            touch.state, touch.reason = "held", "delivery_unconfirmed"
            decision = Recovery(touch.id or 0, "held", f"crash during delivery; {why}")
        touch.updated_at = now
        session.add(touch)
        record_event(session=session, kind="touch.recovered", workspace_id=touch.workspace_id,
                     subject_type="touch", subject_id=touch.id, decision=decision.decision,
                     reason=decision.reason, message_id=touch.message_id)
        decisions.append(decision)
    session.commit()
    for d in decisions:
        log.warning("recovered touch %s: %s (%s)", d.touch_id, d.decision, d.reason)
    return decisions
