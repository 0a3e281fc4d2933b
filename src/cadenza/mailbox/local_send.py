"""The transports that need no server: an outbox folder for demos, an in-memory twin for tests.

They run the same compliance check as :class:`~cadenza.mailbox.send.SMTPSender` before they
keep a message, so what passes here would pass on the wire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from cadenza.errors import DeliveryError
from cadenza.mailbox.compose import check_outgoing, message_bytes
from cadenza.mailbox.send import SendResult


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
