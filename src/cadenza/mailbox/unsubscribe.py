"""One-click opt-out links: signed tokens that name a recipient without revealing them (the
opt-out itself is :func:`cadenza.replies.optout.apply_opt_out`).

The token is the only credential the unsubscribe endpoint gets (RFC 8058: no cookies, no
login), and it travels in a URL, which ends up in access logs, proxies and mail scanners. So a
new (v2) token is opaque: ``2.<prospect id>.<touch id>.<tag>``, where the tag is an HMAC of the
ids under the installation's key. The prospect row is the recipient: Cadenza only ever mails
a prospect at the address of its row, that address never changes (an import keys prospects by
address; a new address is a new prospect) and rows are never deleted, so the row id is a
stable name for "this address in this workspace" that reveals nothing about it — not the
address, not the workspace. Nothing new is stored per message (the id is already there), and
the tag means a guessed or altered id is refused before the database is asked.

Chosen over the alternatives: encrypting the address would keep the token self-contained but
needs a cipher this project does not ship (and a leaked key would then reveal every address
in old logs; with ids it reveals nothing without the database); a random id per message would
need a new table and a write on every send. What the token does reveal is the size of a
counter and that two links name the same recipient, neither of which says who they are.

Links already sent (v1: ``base64url(1:workspace:touch:address).tag``) keep working — CAN-SPAM
wants a link to work for 30 days and people click old mail much later — but none are issued.
The two shapes cannot be confused (one dot against three) and their tags are computed over
differently labelled inputs, so neither version's tag can vouch for the other's payload.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote

from sqlmodel import Session

from cadenza.store.models import Prospect

_TAG_BYTES = 16  # 128-bit tag: unforgeable, and keeps the URL short
_MAX_TOKEN = 600
_V2 = re.compile(r"2\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,9})\.([A-Za-z0-9_-]{22})")


@dataclass(frozen=True)
class UnsubscribeClaim:
    """What a valid token says: this address, in this workspace, asked to stop."""

    workspace_id: int
    address: str
    touch_id: int | None = None


@dataclass(frozen=True)
class RecipientRef:
    """What a v2 token names: the prospect row (the address, in its workspace) and the touch
    whose message carried the link, if any."""

    prospect_id: int
    touch_id: int | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(key: bytes, label: bytes, payload: bytes) -> bytes:
    # Domain-separated so a webhook signature made with the same key is never a valid token,
    # and a v1 tag never a v2 one.
    return hmac.new(key, label + payload, hashlib.sha256).digest()[:_TAG_BYTES]


def _v2_tag(key: bytes, prospect_id: int, touch_id: int | None) -> bytes:
    return _tag(key, b"cadenza-unsubscribe-v2:", f"{prospect_id}:{touch_id or 0}".encode())


def make_token(*, key: bytes, prospect_id: int, touch_id: int | None = None) -> str:
    """A URL-safe v2 token, about 40 characters, that names the prospect without its
    address."""
    if prospect_id < 1 or (touch_id is not None and touch_id < 1):
        raise ValueError("an unsubscribe token names stored rows (ids from 1)")
    tag = _b64(_v2_tag(key, prospect_id, touch_id))
    return f"2.{prospect_id}.{touch_id or 0}.{tag}"


def read_token(token: str, *, key: bytes) -> UnsubscribeClaim | RecipientRef | None:
    """What a genuine token says — a v1 claim (address inside) or a v2 reference (to look up
    with :func:`claim_for`); ``None`` for anything tampered, truncated or foreign."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN:
        return None
    if token.startswith("2."):
        return _read_v2(token, key)
    return _read_v1(token, key)


def _read_v2(token: str, key: bytes) -> RecipientRef | None:
    match = _V2.fullmatch(token)
    if match is None:
        return None
    prospect_id, touch = int(match[1]), int(match[2]) or None
    try:
        given = _unb64(match[3])
    except (binascii.Error, ValueError):
        return None
    if _b64(given) != match[3] or not hmac.compare_digest(
            given, _v2_tag(key, prospect_id, touch)):
        return None
    return RecipientRef(prospect_id, touch)


def _read_v1(token: str, key: bytes) -> UnsubscribeClaim | None:
    if token.count(".") != 1:
        return None
    body, tag = token.split(".")
    try:
        payload, given = _unb64(body), _unb64(tag)
    except (binascii.Error, ValueError):
        return None
    if _b64(payload) != body or _b64(given) != tag:
        return None  # only the canonical spelling: no padding, no ignored characters
    if not hmac.compare_digest(given, _tag(key, b"cadenza-unsubscribe:", payload)):
        return None
    try:
        version, workspace, touch, address = payload.decode("utf-8").split(":", 3)
        claim = UnsubscribeClaim(workspace_id=int(workspace), address=address,
                                 touch_id=int(touch) if touch else None)
    except (UnicodeDecodeError, ValueError):
        return None
    return claim if version == "1" and "@" in address else None


def claim_for(session: Session, token: str, *, key: bytes) -> UnsubscribeClaim | None:
    """The opt-out a genuine token asks for, of either version: a v2 token's address is its
    prospect row's. ``None`` when the token is not genuine or its prospect is gone."""
    read = read_token(token, key=key)
    if not isinstance(read, RecipientRef):
        return read
    prospect = session.get(Prospect, read.prospect_id)
    if prospect is None:
        return None
    return UnsubscribeClaim(workspace_id=prospect.workspace_id,
                            address=prospect.email.strip().lower(), touch_id=read.touch_id)


def unsubscribe_url(base_url: str, token: str) -> str:
    """The public link ``<base>/u/<token>`` served by :mod:`cadenza.api.unsubscribe`."""
    return f"{base_url.rstrip('/')}/u/{quote(token, safe='.-_')}"
