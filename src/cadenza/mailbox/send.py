"""Sending mail: the contract every transport honours (:class:`MailSender`), the errors it
raises, and the two transports that stay on this machine: an outbox folder for demos and an
in-memory twin for tests. The SMTP client is :mod:`cadenza.mailbox.smtp`.

Every transport checks the message the same way before it goes anywhere (the compliance layer
:func:`check_outgoing` for prospect mail, the default), so a test that passes against
:class:`MemorySender` cannot hide a message the real SMTP client would refuse. The one SMTP
client serves internal notifications too, with only :func:`check_envelope` as its check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from cadenza.errors import DeliveryError
from cadenza.mailbox.compose import check_outgoing, message_bytes


class Check(Protocol):
    """What a transport checks before sending: the normalised recipients, or a permanent
    :class:`DeliveryError` (:func:`check_outgoing` for prospect mail)."""

    def __call__(self, message: EmailMessage, *, envelope_from: str,
                 recipients: list[str]) -> list[str]: ...


class DeliveryUncertain(DeliveryError):
    """The connection broke after the message body was handed over: it may have been delivered.

    Transient, but a blind retry could send twice; the caller should reconcile (the Sent folder,
    the outbox row) before trying again.
    """


class RecipientRefused(DeliveryError):
    """The server refused the recipient address itself (RCPT refused, or 5.1.x after DATA).

    Only this, when ``permanent``, is a hard bounce of the prospect; every other permanent
    error is about the mailbox or the message and must not suppress the address.
    """


class SenderSetupError(DeliveryError):
    """The mailbox cannot send at all: login, TLS, secret or sender address refused (permanent).

    Every message from this mailbox will fail the same way until its configuration is fixed;
    it says nothing about the recipient.
    """


class SecretUnavailable(DeliveryError):
    """This process cannot read the mailbox's secret (an unset variable, a missing file).

    The process's own configuration, not the mailbox's: another process with the secret can
    send, so the mailbox stays in rotation and the touch waits; nothing was sent.
    """


@dataclass(frozen=True)
class SendResult:
    """What a transport did with one message."""

    message_id: str
    recipients: tuple[str, ...]
    transport: str
    detail: str = ""


class MailSender(Protocol):
    """The sending contract every transport honours.

    ``send`` delivers one already-composed message to ``recipients`` (the envelope; Cadenza
    always passes exactly the To address) with ``envelope_from`` as the SMTP MAIL FROM, and
    returns a :class:`SendResult` only when the transport accepted it for every recipient.
    Otherwise it raises :class:`DeliveryError` whose ``permanent`` says whether a retry can
    help (5xx, refused login, a malformed message: permanent; 4xx, a dropped or refused
    connection, a timeout: transient). Subclasses say whose problem it is:
    :class:`RecipientRefused` (the address; permanent means hard bounce),
    :class:`SenderSetupError` (the mailbox's configuration; never the prospect's fault), and
    :class:`DeliveryUncertain` (transient: the body was handed over before the connection
    broke). The message is validated first with
    :func:`check_outgoing`; a refusal there is permanent and nothing is sent. Implementations
    never add recipients, never retry a DATA phase on their own, and are safe to call from
    one thread at a time per instance (the SMTP client serialises callers with a lock).
    """

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> SendResult: ...


class OutboxFolderSender:
    """Writes each message as ``<folder>/<UTC timestamp>-<Message-ID hash>.eml`` (demo transport).

    Written to a temporary file in the same folder, flushed to disk, then renamed, so a reader
    polling the folder never sees a half-written message.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> SendResult:
        rcpts = check_outgoing(message, envelope_from=envelope_from, recipients=recipients)
        message_id = str(message["Message-ID"])
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        digest = hashlib.sha256(message_id.encode()).hexdigest()[:16]
        target = self.folder / f"{stamp}-{digest}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(message_bytes(message))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise DeliveryError(f"cannot write {target}: {exc.strerror}") from None
        return SendResult(message_id=message_id, recipients=tuple(rcpts), transport="folder",
                          detail=str(target))


@dataclass
class SentMessage:
    """One message a :class:`MemorySender` accepted."""

    message: EmailMessage
    envelope_from: str
    recipients: list[str]


@dataclass
class MemorySender:
    """The in-memory twin: validates like the real transports, then keeps the message.

    ``fail_next(error)`` queues errors to raise on the next sends, for testing retry paths.
    """

    outbox: list[SentMessage] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)

    def fail_next(self, error: DeliveryError, times: int = 1) -> None:
        self.failures.extend([error] * times)

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> SendResult:
        rcpts = check_outgoing(message, envelope_from=envelope_from, recipients=recipients)
        message_bytes(message)  # must serialise, as it would on the wire
        if self.failures:
            raise self.failures.pop(0)
        self.outbox.append(SentMessage(message, envelope_from, rcpts))
        return SendResult(message_id=str(message["Message-ID"]), recipients=tuple(rcpts),
                          transport="memory")
