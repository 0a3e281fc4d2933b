"""Raw RFC 5322 bytes to a :class:`ParsedMessage` that never lies and rarely refuses.

Replies come from every mail system on earth: wrong charsets, broken encoded-words, missing
dates, HTML-only bodies. The parser reads headers from the raw values (so one malformed
address header cannot take the message down), decodes bodies through a charset fallback
chain, and records each problem in ``defects`` instead of raising. Only input that is not a
message at all raises :class:`ParseError`.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from cadenza.errors import MailboxError
from cadenza.mailbox.html_text import html_to_text
from cadenza.mailbox.mimeparts import content_type, decoded_payload, header_param
from cadenza.mailbox.mimeparts import disposition as part_disposition

log = logging.getLogger(__name__)

_MSGID = re.compile(r"<[^<>\s]+>|[^<>\s,]+@[^<>\s,]+")
_SPLIT_IDS = re.compile(r"[\s,]+")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SURROGATES = re.compile("[\udc80-\udcff]")
# Lone surrogates (a utf-7 body can decode to one) and NUL cannot be stored by SQLite or
# PostgreSQL; C0 controls other than tab/line breaks are never a person's text.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")
_MAX_TEXT = 200_000  # a reply longer than this is history or an attachment pasted inline


class ParseError(MailboxError):
    """The bytes are not an email message in any usable sense."""


@dataclass
class ParsedMessage:
    """Everything downstream needs from one message; ``message`` keeps all MIME parts reachable."""

    message: Message
    headers: dict[str, list[str]]
    from_addr: str | None
    from_name: str | None
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    subject: str
    date: datetime | None
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    text: str
    content_type: str
    html_only: bool = False
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), decoded, or ``None``."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def header_all(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), decoded."""
        return self.headers.get(name.lower(), [])


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one raw message; raise :class:`ParseError` only for totally unusable input.

    Any other exception escaping the stdlib or a codec named by the message (``charset=idna``,
    a codec that raises something exotic) is converted to :class:`ParseError` here, so one
    hostile message is contained to itself by every caller.
    """
    try:
        return _parse(raw)
    except ParseError:
        raise
    except Exception as exc:  # hostile input must not escape as anything but a ParseError
        log.debug("message parse failed", exc_info=True)
        raise ParseError(f"unparseable message: {type(exc).__name__}: {exc}") from None


def _parse(raw: bytes) -> ParsedMessage:
    if not isinstance(raw, bytes | bytearray):
        raise ParseError(f"expected raw message bytes, got {type(raw).__name__}")
    if not raw.strip():
        raise ParseError("empty message")
    try:
        msg = email.message_from_bytes(bytes(raw), policy=email.policy.default)
    except Exception as exc:  # the stdlib parser is tolerant; anything escaping it is fatal
        raise ParseError(f"unparseable message: {exc}") from None
    defects = [type(d).__name__ for d in msg.defects]
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(_storable(name.strip().lower()), []).append(
            _decode_header(str(value), defects))
    if not headers:
        raise ParseError("no headers found: not an RFC 5322 message")

    def first(name: str) -> str | None:
        values = headers.get(name)
        return values[0] if values else None

    from_pairs = _addresses(headers.get("from", []))
    from_name, from_addr = from_pairs[0] if from_pairs else (None, None)
    text, html_only, top_type = _body_text(msg, defects)
    return ParsedMessage(
        message=msg,
        headers=headers,
        from_addr=from_addr,
        from_name=from_name,
        to=[a for _, a in _addresses(headers.get("to", []))],
        cc=[a for _, a in _addresses(headers.get("cc", []))],
        reply_to=[a for _, a in _addresses(headers.get("reply-to", []))],
        subject=" ".join((first("subject") or "").split()),
        date=_date(first("date"), defects),
        message_id=_first_id(first("message-id")),
        in_reply_to=split_ids(first("in-reply-to")),
        references=split_ids(first("references")),
        text=text,
        content_type=top_type,
        html_only=html_only,
        defects=defects,
    )


def split_ids(value: str | None) -> list[str]:
    """Message-IDs of an In-Reply-To/References value; Exchange and iOS separate with commas."""
    if not value:
        return []
    ids: list[str] = []
    for match in _MSGID.finditer(value):
        token = match.group(0)
        token = token if token.startswith("<") else f"<{token}>"
        if token not in ids:
            ids.append(token)
    if not ids:
        ids = [t for t in _SPLIT_IDS.split(value) if t]
    return ids


def decode_bytes(data: bytes, declared: str | None, defects: list[str] | None = None) -> str:
    """Decode body bytes: valid UTF-8 wins over a wrong label, then declared → cp1252 → latin-1."""
    charset = (declared or "").strip().strip('"').lower() or None
    if charset is not None:
        try:
            info = codecs.lookup(charset)
            # rot13, base64, zlib… are registered codecs but not text encodings
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(f"{info.name} is not a text encoding")
            charset = info.name
        except Exception:  # the label is the sender's: any failure means "unknown"
            if defects is not None:
                defects.append(f"UnknownCharset:{charset}")
            charset = None
    non_ascii = not data.isascii()
    if non_ascii and (charset is None or not charset.startswith(("utf-16", "utf-32"))):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if charset not in (None, "utf-8") and defects is not None:
                defects.append(f"CharsetMismatch:{charset}->utf-8")
            return text
    candidates = ([charset] if charset else []) + [c for c in _FALLBACK_CHARSETS if c != charset]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except Exception:  # idna, punycode… raise UnicodeError, a foreign codec anything
            if defects is not None and candidate == charset:
                defects.append(f"CharsetDecodeError:{charset}")
    return data.decode("latin-1", errors="replace")


def _decode_header(value: str, defects: list[str]) -> str:
    if not value.isascii() and _SURROGATES.search(value):
        # Raw 8-bit header bytes (RFC 6532 UTF-8, or a legacy charset) arrive surrogate-escaped.
        value = decode_bytes(value.encode("utf-8", "surrogateescape"), None)
    if "=?" not in value:
        return _storable(" ".join(value.split()))
    try:
        return _storable(" ".join(str(make_header(decode_header(value))).split()))
    except Exception:  # an encoded-word may name any codec; its failure is the sender's
        defects.append("HeaderDecodeError")
        return _storable(" ".join(value.split()))


def _storable(text: str) -> str:
    """``text`` without lone surrogates, NUL and other C0 controls (never a person's text)."""
    return _UNSTORABLE.sub("", text) if _UNSTORABLE.search(text) else text


def _addresses(values: list[str]) -> list[tuple[str | None, str]]:
    pairs: list[tuple[str | None, str]] = []
    try:
        parsed = getaddresses(values)
    except (ValueError, IndexError, TypeError):  # getaddresses is lenient but not total
        return pairs
    for name, addr in parsed:
        addr = addr.strip().strip("<>").lower()
        if "@" in addr:
            pairs.append((name.strip() or None, addr))
    return pairs


def _date(value: str | None, defects: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append("InvalidDateHeader")
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _first_id(value: str | None) -> str | None:
    ids = split_ids(value)
    return ids[0] if ids else None


def _body_text(msg: Message, defects: list[str]) -> tuple[str, bool, str]:
    """The human text of the message: inline text/plain parts, else converted HTML."""
    plain: list[str] = []
    html: list[str] = []
    _collect(msg, plain, html, defects, depth=0)
    top_type = content_type(msg)
    text = "\n\n".join(p for p in plain if p.strip())
    if text.strip():
        return _clean(text), False, top_type
    if html:
        return _clean("\n\n".join(html_to_text(h) for h in html)), True, top_type
    return "", False, top_type


def _collect(part: Message, plain: list[str], html: list[str], defects: list[str],
             depth: int) -> None:
    if depth > 20:  # a hostile nesting depth is not a reply
        defects.append("NestingTooDeep")
        return
    ctype = content_type(part)
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if ctype == "multipart/alternative":
            chosen = _prefer_plain([c for c in children if isinstance(c, Message)])
            if chosen is not None:
                _collect(chosen, plain, html, defects, depth + 1)
            return
        for child in children:
            if isinstance(child, Message):
                _collect(child, plain, html, defects, depth + 1)
        return
    if ctype.startswith("message/"):
        return  # an attached or bounced message is not the sender's text
    disposition = part_disposition(part)
    if disposition == "attachment" or ctype not in ("text/plain", "text/html"):
        return
    text = _part_text(part, defects)
    (plain if ctype == "text/plain" else html).append(text)


def _prefer_plain(children: list[Message]) -> Message | None:
    plain = [c for c in children if content_type(c) == "text/plain"]
    if plain and _part_text(plain[0], []).strip():
        return plain[0]
    rich = [c for c in children if c.is_multipart() or content_type(c) == "text/html"]
    if rich:
        return rich[-1]
    return children[0] if children else None


def _part_text(part: Message, defects: list[str]) -> str:
    try:
        payload = decoded_payload(part)
    except Exception:  # a broken transfer encoding must not lose the message
        defects.append("PayloadDecodeError")
        try:
            raw = part.get_payload()
        except Exception:  # nothing more can be recovered from this part
            return ""
        return raw if isinstance(raw, str) else ""
    declared = header_param(part, "content-type", "charset")
    return decode_bytes(payload[: _MAX_TEXT * 4], declared, defects)


def _clean(text: str) -> str:
    text = _storable(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.isascii():
        # Zero-width and bidi controls split words ("un\u200bsubscribe"); NFKC folds
        # full-width and ligature look-alikes, so phrase matching sees what a reader sees.
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return text[:_MAX_TEXT].strip()
