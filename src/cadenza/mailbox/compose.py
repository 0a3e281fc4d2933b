"""Build the outgoing email of a touch: headers, MIME structure, RFC 8058 unsubscribe.

Two things here are easy to get subtly wrong with the standard library, so they live in one
place with tests on the serialized bytes:

* Python's default policy folds a long ``List-Unsubscribe`` or ``References`` value by turning
  it into RFC 2047 encoded words (``=?utf-8?q?=3Chttps...``), which no mail client can click and
  which breaks the DKIM signature RFC 8058 requires. :data:`OUTBOUND_POLICY` writes those
  structured headers verbatim and folds only between their ``<…>`` items.
* The Message-ID is derived from the touch (:func:`message_id_for`), so a retry after a crash
  reuses it and the outbox/Sent-folder reconciliation can recognise the message.

What is deliberately absent: ``Auto-Submitted`` and ``X-Auto-Response-Suppress`` (they would
suppress the out-of-office and "left the company" replies the watcher relies on), and ``Cc`` /
``Bcc`` (a touch goes to one person, visibly).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, getaddresses
from typing import Any

from cadenza.addresses import normalise_domain, validate_email_address
from cadenza.errors import DeliveryError

#: Headers whose values are lists of ``<…>`` items (or a fixed token) and must never be
#: RFC 2047-encoded; they are folded, when at all, only at the spaces between items.
VERBATIM_HEADERS = frozenset({
    "list-unsubscribe", "list-unsubscribe-post", "message-id", "in-reply-to", "references",
})
#: Never on prospect mail (see the module docstring); refused in ``extra_headers`` too.
FORBIDDEN_HEADERS = frozenset({"bcc", "cc", "auto-submitted", "x-auto-response-suppress"})
#: Set by :func:`compose_email` itself; ``extra_headers`` may not override them.
OWN_HEADERS = frozenset({
    "from", "to", "subject", "date", "message-id", "in-reply-to", "references",
    "list-unsubscribe", "list-unsubscribe-post", "mime-version", "content-type",
    "content-transfer-encoding", "sender", "reply-to", "return-path",
})
ONE_CLICK = "List-Unsubscribe=One-Click"
#: What every transport insists on before sending (see :func:`check_outgoing`).
REQUIRED_HEADERS = ("From", "To", "Message-ID", "Date", "List-Unsubscribe",
                    "List-Unsubscribe-Post")

_MSG_ID = re.compile(r"^<[^<>@\s]+@[^<>@\s]+>$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,76}$")
_SOFT_LIMIT = 78
_HARD_LIMIT = 998


def _fold_items(name: str, value: str, linesep: str) -> str:
    """``Name: value``, folded only at the spaces between items when a line would be too long.

    ``List-Unsubscribe`` stays on one line up to the 998-character hard limit: a folded one has
    been seen to break DKIM at receivers, and RFC 8058 needs it signed.
    """
    limit = _HARD_LIMIT if name.lower() == "list-unsubscribe" else _SOFT_LIMIT
    items = value.split(" ")
    lines: list[str] = []
    current = f"{name}: {items[0]}"
    for item in items[1:]:
        if len(current) + 1 + len(item) > limit:
            lines.append(current)
            current = f" {item}"
        else:
            current = f"{current} {item}"
    lines.append(current)
    return linesep.join(lines) + linesep


#: Headers whose ASCII values this module formats itself: stored unparsed (parsing them with
#: the header registry was ~70 % of the cost of composing), parsed only if someone reads them.
_STORE_RAW = VERBATIM_HEADERS | {"to", "date", "mime-version", "content-transfer-encoding"}


class _CachingRegistry(HeaderRegistry):
    """The stdlib registry builds a new header class on every lookup (~20 µs); build it once."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = super().__getitem__(name)
        return cls


class OutboundPolicy(EmailPolicy):
    """``policy.default`` except that :data:`VERBATIM_HEADERS` are never encoded or split."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if (name.lower() in _STORE_RAW and type(value) is str and value.isascii()
                and "\r" not in value and "\n" not in value):
            return name, value
        return super().header_store_parse(name, value)

    def fold(self, name: str, value: Any) -> str:
        if name.lower() in VERBATIM_HEADERS:
            return _fold_items(name, str(value), self.linesep)
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() in VERBATIM_HEADERS:
            return _fold_items(name, str(value), self.linesep).encode("ascii")
        return bytes(super().fold_binary(name, value))


OUTBOUND_POLICY = OutboundPolicy(header_factory=_CachingRegistry())
#: The same policy with CRLF line ends: what goes on the wire and into IMAP APPEND.
WIRE_POLICY = OUTBOUND_POLICY.clone(linesep="\r\n")


def message_id_for(*, workspace_id: int, enrollment_id: int, step: int, domain: str,
                   key: bytes, attempt: int = 1) -> str:
    """The Message-ID of one touch: the same for every try of the same delivery (a crash, a
    refused connection), unguessable to outsiders; a new delivery of the step after a soft
    bounce (``attempt`` above 1) is a new message with its own id.

    An HMAC rather than a plain hash so a prospect cannot forge the id of another touch (the
    watcher threads replies by it).
    """
    host = normalise_domain(domain)
    if host is None:
        raise DeliveryError(f"cannot build a Message-ID: {domain!r} is not a domain name "
                            "(check the mailbox's email address)", permanent=True)
    seed = f"{workspace_id}:{enrollment_id}:{step}" + (f":{attempt}" if attempt > 1 else "")
    digest = hmac.new(key, seed.encode(),
                      hashlib.sha256).hexdigest()
    return f"<cz.{digest[:20]}@{host}>"


def _clean(name: str, value: str) -> str:
    """Refuse CR/LF (header injection) and NUL in a header value."""
    if any(c in value for c in "\r\n\0"):
        raise DeliveryError(f"refusing header {name}: its value contains a line break "
                            "(possible header injection)", permanent=True)
    return value


def _message_id(name: str, value: str) -> str:
    value = _clean(name, value.strip())
    if not _MSG_ID.match(value) or not value.isascii():
        raise DeliveryError(f"header {name}: {value!r} is not a message id like <id@host>",
                            permanent=True)
    return value


def _uri(kind: str, value: str) -> str:
    value = _clean("List-Unsubscribe", value.strip())
    if not value.isascii() or any(c in value for c in " \t<>,"):
        raise DeliveryError(f"unsubscribe {kind} {value!r} must be ASCII without spaces, "
                            "commas or angle brackets (percent-encode it)", permanent=True)
    return value


def list_unsubscribe_value(url: str, mailto: str | None = None) -> str:
    """``<https://…>, <mailto:…>``: the HTTPS URI first, as RFC 8058 one-click needs it."""
    url = _uri("URL", url)
    if not url.lower().startswith(("https://", "http://")):
        raise DeliveryError(f"unsubscribe URL {url!r} must be http(s); RFC 8058 one-click "
                            "needs https in production (set CADENZA_PUBLIC_BASE_URL)",
                            permanent=True)
    items = [f"<{url}>"]
    if mailto:
        mailto = _uri("mailto", mailto)
        if not mailto.lower().startswith("mailto:"):
            if validate_email_address(mailto) is None:
                raise DeliveryError(f"unsubscribe mailto {mailto!r} is not an address",
                                    permanent=True)
            mailto = f"mailto:{mailto}"
        items.append(f"<{mailto}>")
    return ", ".join(items)


def compose_email(*, from_name: str, from_address: str, to_address: str, subject: str,
                  text: str, html: str, message_id: str, in_reply_to: str | None = None,
                  references: Iterable[str] = (), unsubscribe_url: str,
                  unsubscribe_mailto: str | None = None, date: dt.datetime | None = None,
                  extra_headers: Mapping[str, str] | None = None,
                  cc: Iterable[str] = ()) -> EmailMessage:
    """The message of one touch, ready for a :class:`~cadenza.mailbox.send.MailSender`.

    ``cc`` is for one message only: the handoff introduction that copies the rep into the
    prospect's thread. Touches never carry a copy (the drafts contract says so).

    ``text`` and ``html`` are used as given (the drafter already escaped the HTML); an empty
    ``html`` gives a single text/plain part. Every header value is checked for CR/LF and every
    refusal is a permanent :class:`DeliveryError` naming the header.
    """
    to_norm = validate_email_address(_clean("To", to_address))
    if to_norm is None:
        raise DeliveryError(f"recipient {to_address!r} is not a valid email address",
                            permanent=True)
    from_norm = validate_email_address(_clean("From", from_address))
    if from_norm is None:
        raise DeliveryError(f"sender address {from_address!r} is not a valid email address "
                            "(check the mailbox's email)", permanent=True)
    refs = [_message_id("References", r) for r in references]
    parent = _message_id("In-Reply-To", in_reply_to) if in_reply_to else None
    if parent and parent not in refs:
        refs.append(parent)
    when = date or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        raise DeliveryError("compose_email needs an aware date (UTC)", permanent=True)

    msg = EmailMessage(policy=OUTBOUND_POLICY)
    msg["From"] = Address(display_name=_clean("From", from_name.strip()), addr_spec=from_norm)
    msg["To"] = to_norm
    copies = [validate_email_address(_clean("Cc", c)) for c in cc]
    if any(c is None for c in copies):
        raise DeliveryError(f"a Cc address in {list(cc)!r} is not valid", permanent=True)
    if copies:
        msg["Cc"] = ", ".join(c for c in copies if c)
    msg["Subject"] = _clean("Subject", subject.strip())
    msg["Date"] = format_datetime(when.astimezone(dt.UTC))
    msg["Message-ID"] = _message_id("Message-ID", message_id)
    if parent:
        msg["In-Reply-To"] = parent
    if refs:
        msg["References"] = " ".join(refs)
    msg["List-Unsubscribe"] = list_unsubscribe_value(unsubscribe_url, unsubscribe_mailto)
    msg["List-Unsubscribe-Post"] = ONE_CLICK
    for name, value in (extra_headers or {}).items():
        if not _HEADER_NAME.match(name):
            raise DeliveryError(f"extra header name {name!r} is not a header name",
                                permanent=True)
        if name.lower() in FORBIDDEN_HEADERS:
            raise DeliveryError(f"header {name} is never set on prospect mail", permanent=True)
        if name.lower() in OWN_HEADERS:
            raise DeliveryError(f"header {name} is set by compose_email; pass it as an "
                                "argument instead", permanent=True)
        msg[name] = _clean(name, value)

    # Quoted-printable keeps the body 7-bit clean for servers without 8BITMIME while staying
    # readable in the raw source (which spam filters and humans both look at).
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def _addresses(message: EmailMessage, name: str) -> list[str]:
    return [addr for _, addr in getaddresses([str(v) for v in message.get_all(name, [])])]


def check_outgoing(message: EmailMessage, *, envelope_from: str,
                   recipients: list[str]) -> list[str]:
    """Prospect mail's compliance layer: the headers every prospect email carries (unsubscribe,
    Message-ID, …), none it must never carry (Bcc, Auto-Submitted, …), then
    :func:`check_envelope`. A permanent :class:`DeliveryError` says what is wrong."""
    missing = [name for name in REQUIRED_HEADERS if name not in message]
    if missing:
        raise DeliveryError(f"message {message.get('Message-ID', '?')} lacks the header(s) "
                            f"{', '.join(missing)}; build it with compose_email",
                            permanent=True)
    present = [name for name in message if name.lower() in FORBIDDEN_HEADERS - {"cc"}]
    if present:
        raise DeliveryError(f"message carries {', '.join(present)}, which prospect mail never "
                            "has", permanent=True)
    return check_envelope(message, envelope_from=envelope_from, recipients=recipients)


def check_envelope(message: EmailMessage, *, envelope_from: str,
                   recipients: list[str]) -> list[str]:
    """The normalised recipients, or a permanent :class:`DeliveryError` saying what is wrong.

    For any message Cadenza sends (prospect mail and internal notifications alike): the
    envelope must name exactly the visible To (and Cc) addresses — a hidden recipient is a Bcc
    by another name.
    """
    if validate_email_address(envelope_from) is None:
        # Not even the null sender: bounces of prospect mail must come back to the mailbox.
        raise DeliveryError(f"envelope sender {envelope_from!r} is not an address",
                            permanent=True)
    normalised: list[str] = []
    for rcpt in recipients:
        norm = validate_email_address(rcpt)
        if norm is None:
            raise DeliveryError(f"recipient {rcpt!r} is not a valid address", permanent=True)
        normalised.append(norm)
    to = {a.lower() for a in _addresses(message, "To") + _addresses(message, "Cc")}
    if not normalised or {a.lower() for a in normalised} != to:
        raise DeliveryError(f"envelope recipients {recipients} must be exactly the To/Cc "
                            f"address(es) {sorted(to)}", permanent=True)
    return normalised


def message_bytes(message: EmailMessage) -> bytes:
    """The message as sent on the wire (CRLF line ends, verbatim structured headers)."""
    return message.as_bytes(policy=WIRE_POLICY)
