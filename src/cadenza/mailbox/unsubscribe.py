"""One-click opt-out: HMAC-signed tokens for the unsubscribe link, and the opt-out itself.

The token is the only credential the unsubscribe endpoint gets (RFC 8058: no cookies, no
login), so it carries the workspace, the address and the touch, signed with the workspace
installation's key. The address is base64-encoded rather than encrypted: a token only ever
travels to that address's own inbox, and keeping it self-contained means an opt-out still
works when the touch row has been archived — CAN-SPAM wants the link to work for 30 days.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlmodel import Session, col, func, select

from cadenza.store.events import record_event
from cadenza.store.models import Enrollment, Prospect, Suppression, Touch
from cadenza.store.suppressions import suppress

_VERSION = "1"
_TAG_BYTES = 16  # 128-bit tag: unforgeable, and keeps the URL short
_MAX_TOKEN = 600
#: Touch states that have not reached the transport yet and can still be called off.
CANCELLABLE_TOUCH_STATES = ("pending", "drafted", "awaiting_approval", "approved", "deferred")
STOPPABLE_ENROLLMENT_STATES = ("active", "paused")


@dataclass(frozen=True)
class UnsubscribeClaim:
    """What a valid token says: this address, in this workspace, asked to stop."""

    workspace_id: int
    address: str
    touch_id: int | None = None


@dataclass
class OptOutResult:
    """What :func:`apply_opt_out` changed; all empty/false on a replay."""

    newly_suppressed: bool = False
    stopped_enrollments: list[int] = field(default_factory=list)
    cancelled_touches: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.newly_suppressed or bool(self.stopped_enrollments or self.cancelled_touches)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(key: bytes, payload: bytes) -> bytes:
    # Domain-separated so a webhook signature made with the same key is never a valid token.
    return hmac.new(key, b"cadenza-unsubscribe:" + payload, hashlib.sha256).digest()[:_TAG_BYTES]


def make_token(*, key: bytes, workspace_id: int, address: str,
               touch_id: int | None = None) -> str:
    """A URL-safe token: ``base64url(payload).base64url(tag)``, about 80 characters."""
    payload = ":".join([_VERSION, str(workspace_id), "" if touch_id is None else str(touch_id),
                        address.strip().lower()]).encode("utf-8")
    return f"{_b64(payload)}.{_b64(_tag(key, payload))}"


def read_token(token: str, *, key: bytes) -> UnsubscribeClaim | None:
    """The claim of a genuine token; ``None`` for anything tampered, truncated or foreign."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN or token.count(".") != 1:
        return None
    body, tag = token.split(".")
    try:
        payload, given = _unb64(body), _unb64(tag)
    except (binascii.Error, ValueError):
        return None
    if _b64(payload) != body or _b64(given) != tag:
        return None  # only the canonical spelling: no padding, no ignored characters
    if not hmac.compare_digest(given, _tag(key, payload)):
        return None
    try:
        version, workspace, touch, address = payload.decode("utf-8").split(":", 3)
        claim = UnsubscribeClaim(workspace_id=int(workspace), address=address,
                                 touch_id=int(touch) if touch else None)
    except (UnicodeDecodeError, ValueError):
        return None
    return claim if version == _VERSION and "@" in address else None


def unsubscribe_url(base_url: str, token: str) -> str:
    """The public link ``<base>/u/<token>`` served by :mod:`cadenza.api.unsubscribe`."""
    return f"{base_url.rstrip('/')}/u/{quote(token, safe='.-_')}"


def apply_opt_out(*, session: Session, claim: UnsubscribeClaim, source: str,
                  now: dt.datetime) -> OptOutResult:
    """Suppress the address and stop everything in flight for it, in the caller's transaction.

    Stops every active or paused enrollment of every prospect with that address in the
    workspace (not only the one whose touch carried the link: an opt-out is about the person)
    and cancels their touches that have not reached the transport. A touch already ``sending``
    is left alone; the send-time suppression check is what stops it. Idempotent: a replay
    finds nothing left to change and records nothing.
    """
    ws, address = claim.workspace_id, claim.address.strip().lower()
    result = OptOutResult()
    already = session.exec(select(Suppression.id).where(
        Suppression.workspace_id == ws, Suppression.value == address)).first()
    if already is None:
        suppress(session=session, workspace_id=ws, value=address, reason="unsubscribe",
                 source=source)
        result.newly_suppressed = True
    prospect_ids = list(session.exec(select(Prospect.id).where(
        Prospect.workspace_id == ws, func.lower(col(Prospect.email)) == address)).all())
    if prospect_ids:
        enrollments = session.exec(select(Enrollment).where(
            Enrollment.workspace_id == ws, col(Enrollment.prospect_id).in_(prospect_ids),
            col(Enrollment.state).in_(STOPPABLE_ENROLLMENT_STATES),
        ).order_by(col(Enrollment.id))).all()
        for enrollment in enrollments:
            previous = enrollment.state
            enrollment.state, enrollment.stop_reason = "stopped", "unsubscribe"
            enrollment.next_due_at, enrollment.updated_at = None, now
            session.add(enrollment)
            assert enrollment.id is not None
            result.stopped_enrollments.append(enrollment.id)
            record_event(session=session, kind="enrollment.stopped", workspace_id=ws,
                         subject_type="enrollment", subject_id=enrollment.id,
                         reason="unsubscribe", previous_state=previous, source=source)
        touches = session.exec(select(Touch).where(
            Touch.workspace_id == ws, col(Touch.prospect_id).in_(prospect_ids),
            col(Touch.state).in_(CANCELLABLE_TOUCH_STATES),
        ).order_by(col(Touch.id))).all()
        for touch in touches:
            previous = touch.state
            touch.state, touch.reason, touch.updated_at = "cancelled", "unsubscribe", now
            session.add(touch)
            assert touch.id is not None
            result.cancelled_touches.append(touch.id)
            record_event(session=session, kind="touch.cancelled", workspace_id=ws,
                         subject_type="touch", subject_id=touch.id, reason="unsubscribe",
                         previous_state=previous, source=source)
    if result.changed:
        record_event(session=session, kind="prospect.unsubscribed", workspace_id=ws,
                     subject_type="touch" if claim.touch_id else "",
                     subject_id=claim.touch_id, address=address, source=source,
                     stopped_enrollments=result.stopped_enrollments,
                     cancelled_touches=len(result.cancelled_touches))
    session.flush()
    return result
