"""A real SMTP server for tests: aiosmtpd on loopback, collecting what it receives."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from support.dovecot import free_port


@dataclass
class Received:
    """One message as the server received it: envelope and parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class SmtpSink:
    """Handler that stores every message; ``fail_next`` makes the server refuse DATA."""

    messages: list[Received] = field(default_factory=list)
    fail_codes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: called once a message is stored, before the server answers 250: what a test does at
    #: the moment the message has gone out and the client does not know it yet
    on_accept: Callable[[], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.fail_codes:
                return self.fail_codes.pop(0)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(envelope.original_content or envelope.content)))
        if self.on_accept is not None:
            self.on_accept()
        return "250 OK"

    def fail_next(self, code: str = "451 4.3.0 try again later", times: int = 1) -> None:
        with self.lock:
            self.fail_codes.extend([code] * times)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sink: SmtpSink


@contextmanager
def run_smtp(**controller_kwargs: Any) -> Iterator[SmtpServer]:
    """aiosmtpd on a free loopback port (port=0 does not work with its Controller)."""
    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **controller_kwargs)
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=port, sink=sink)
    finally:
        controller.stop()


class HangUpInData:
    """An aiosmtpd handler that takes the message, then drops the connection before answering:
    the sender cannot know whether it was delivered (counted in ``count``)."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        server.transport.close()
        return "250 OK"
