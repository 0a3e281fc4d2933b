"""The one-click opt-out: suppress the address and stop everything in flight for it.

Kept with the reply policy because it is the same decision reached another way (a link
instead of a reply), and it uses the same enrollment moves, so "stopped" and "cancelled" mean
the same whichever way the person asked — a ``held`` draft included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from cadenza.agent.lifecycle import stop_enrollments
from cadenza.mailbox.unsubscribe import UnsubscribeClaim
from cadenza.replies.threading import prospect_by_address
from cadenza.store.events import record_event
from cadenza.store.models import Prospect, Suppression
from cadenza.store.suppressions import suppress

__all__ = ["OptOutResult", "apply_opt_out", "suppress_and_stop"]


@dataclass
class OptOutResult:
    """What :func:`apply_opt_out` changed; all empty/false on a replay."""

    newly_suppressed: bool = False
    stopped_enrollments: list[int] = field(default_factory=list)
    cancelled_touches: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.newly_suppressed or bool(self.stopped_enrollments or self.cancelled_touches)


def apply_opt_out(*, session: Session, claim: UnsubscribeClaim, source: str,
                  now: dt.datetime) -> OptOutResult:
    """Suppress the address and stop everything in flight for it, in the caller's transaction.

    Stops every live enrollment of every prospect with that address in the workspace (not
    only the one whose touch carried the link: an opt-out is about the person) and cancels
    their touches that have not reached the transport. A touch already ``sending`` is left
    alone; the send-time check is what stops it. Idempotent: a replay finds nothing left to
    change and records nothing.
    """
    address = claim.address.strip().lower()
    result = suppress_and_stop(session=session, workspace_id=claim.workspace_id, value=address,
                               reason="unsubscribe", source=source, now=now)
    if result.changed:
        prospect = prospect_by_address(session, claim.workspace_id, address)
        record_event(session=session, kind="prospect.opted_out",
                     workspace_id=claim.workspace_id,
                     subject_type="touch" if claim.touch_id else "",
                     subject_id=claim.touch_id, address=address, source=source,
                     stopped_enrollments=result.stopped_enrollments,
                     cancelled_touches=len(result.cancelled_touches), reason="unsubscribe",
                     via="link", touch_id=claim.touch_id,
                     prospect_id=prospect.id if prospect is not None else None)
    session.flush()
    return result


def suppress_and_stop(*, session: Session, workspace_id: int, value: str, reason: str,
                      source: str, now: dt.datetime) -> OptOutResult:
    """Suppress an address (``a@b``) or a domain (``b``) and stop every live enrollment of
    every prospect it covers: the one move behind an opt-out and an operator's suppression."""
    value = value.strip().lower()
    result = OptOutResult()
    already = session.exec(select(Suppression.id).where(
        Suppression.workspace_id == workspace_id, Suppression.value == value)).first()
    if already is None:
        suppress(session=session, workspace_id=workspace_id, value=value, reason=reason,
                 source=source)
        result.newly_suppressed = True
    email = func.lower(col(Prospect.email))
    covered = email == value if "@" in value else email.endswith(f"@{value}", autoescape=True)
    prospect_ids = [p for p in session.exec(select(Prospect.id).where(
        Prospect.workspace_id == workspace_id, covered)).all() if p is not None]
    for prospect_id in sorted(prospect_ids):
        result.stopped_enrollments += stop_enrollments(
            session, prospect_id=prospect_id, reason=reason, now=now, source=source,
            cancelled_out=result.cancelled_touches)
    return result
