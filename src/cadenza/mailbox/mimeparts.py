"""Cheap accessors for MIME parts, reading raw header values.

``Message.get_content_type()`` under ``policy.default`` runs the full header registry parser on
every call, which made it the most expensive step of classifying a reply. These helpers read
the raw header once with simple, lenient rules — enough for routing parts, never raising.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from email.message import Message

_PARAM = re.compile(r";\s*([\w.-]+)\s*=\s*(\"[^\"]*\"|[^;\s]*)")


def raw_header(part: Message, name: str) -> str | None:
    """The first raw value of header ``name`` (case-insensitive), unparsed."""
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def content_type(part: Message) -> str:
    """``maintype/subtype`` in lower case; RFC 2045 defaults when missing or invalid."""
    value = raw_header(part, "content-type")
    if value:
        ctype = value.split(";", 1)[0].strip().lower()
        if ctype.count("/") == 1 and all(ctype.split("/")):
            return ctype
    return part.get_default_type()


def header_param(part: Message, header: str, name: str) -> str | None:
    """Parameter ``name`` of a raw header such as Content-Type (quotes removed)."""
    value = raw_header(part, header)
    if not value:
        return None
    for key, val in _PARAM.findall(" ".join(value.split())):
        if key.lower() == name:
            return val.strip('"').strip() or None
    return None


def disposition(part: Message) -> str | None:
    """``inline``/``attachment`` or ``None``."""
    value = raw_header(part, "content-disposition")
    return value.split(";", 1)[0].strip().lower() or None if value else None


def decoded_payload(part: Message) -> bytes:
    """The body bytes after Content-Transfer-Encoding; a broken encoding yields what decodes."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return b""
    try:
        data = payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        data = payload.encode("utf-8", "surrogateescape")
    cte = (raw_header(part, "content-transfer-encoding") or "").strip().lower()
    if cte == "base64":
        compact = b"".join(data.split())
        compact = compact[: len(compact) - len(compact) % 4] if len(compact) % 4 == 1 else compact
        try:
            return base64.b64decode(compact + b"=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            return base64.b64decode(re.sub(rb"[^A-Za-z0-9+/]", b"", compact)[:len(compact) // 4 * 4]
                                    or b"")
    if cte == "quoted-printable":
        return quopri.decodestring(data)
    # 7bit/8bit/binary/uuencode: the stdlib restores the original bytes (get_payload()
    # without decode would replace them, losing text in undeclared charsets).
    decoded = part.get_payload(decode=True)
    return decoded if isinstance(decoded, bytes) else data
