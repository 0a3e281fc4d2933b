"""One-click opt-out links: HMAC-signed tokens (the opt-out itself is
:func:`cadenza.replies.optout.apply_opt_out`).

The token is the only credential the unsubscribe endpoint gets (RFC 8058: no cookies, no
login), so it carries the workspace, the address and the touch, signed with the workspace
installation's key. The address is base64-encoded rather than encrypted: a token only ever
travels to that address's own inbox, and keeping it self-contained means an opt-out still
works when the touch row has been archived — CAN-SPAM wants the link to work for 30 days.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

_VERSION = "1"
_TAG_BYTES = 16  # 128-bit tag: unforgeable, and keeps the URL short
_MAX_TOKEN = 600


@dataclass(frozen=True)
class UnsubscribeClaim:
    """What a valid token says: this address, in this workspace, asked to stop."""

    workspace_id: int
    address: str
    touch_id: int | None = None


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
