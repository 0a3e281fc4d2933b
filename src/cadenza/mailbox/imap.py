"""The IMAP mail source: imapclient over TLS, STARTTLS or plain loopback.

Reads never change the mailbox: messages are fetched with ``BODY.PEEK[]`` (a plain ``RFC822``
fetch would set ``\\Seen`` and the person would miss the reply in their client), and folders are
selected read-only unless a keyword or a move was configured. Push uses IDLE, re-issued before
the server's inactivity timeout (RFC 2177 says servers may drop an IDLE after 30 minutes, so the
default renews every 25); servers without IDLE are polled. Every low-level failure becomes a
:class:`MailboxError` so the watcher has one thing to catch and reconnect on.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from cadenza.addresses import is_loopback_host
from cadenza.errors import CadenzaError, MailboxError
from cadenza.mailbox.source import FetchedMessage, FolderError, FolderStatus
from cadenza.secrets import resolve_secret
from cadenza.store.models import Mailbox

log = logging.getLogger(__name__)
T = TypeVar("T")
SECURITIES = ("tls", "starttls", "none", "plain")
_PUSH_RESPONSES = frozenset({b"EXISTS", b"RECENT", b"EXPUNGE", b"FETCH"})


@dataclass(frozen=True)
class ImapConfig:
    """Where and how to connect; built from a :class:`Mailbox` row by :func:`imap_config`."""

    host: str
    port: int
    security: str
    username: str
    password_ref: str
    timeout: float = 30.0
    idle_renew_seconds: float = 25 * 60.0
    poll_seconds: float = 60.0

    @property
    def where(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def imap_config(mailbox: Mailbox, *, idle_renew_seconds: float = 25 * 60.0,
                poll_seconds: float = 60.0) -> ImapConfig:
    """The connection settings of ``mailbox``; raises :class:`MailboxError` naming the field."""
    if not mailbox.imap_host:
        raise MailboxError(f"mailbox {mailbox.email}: imap_host is empty, so it cannot be "
                           "watched (set imap_host, imap_port, imap_security)")
    if mailbox.imap_security not in SECURITIES:
        raise MailboxError(f"mailbox {mailbox.email}: imap_security "
                           f"{mailbox.imap_security!r} must be tls, starttls or none")
    return ImapConfig(host=mailbox.imap_host, port=mailbox.imap_port,
                      security=mailbox.imap_security,
                      username=mailbox.imap_username or mailbox.email,
                      password_ref=mailbox.imap_password_ref,
                      idle_renew_seconds=idle_renew_seconds, poll_seconds=poll_seconds)


def imap_login(cfg: ImapConfig, *, ssl_context: ssl.SSLContext | None = None) -> IMAPClient:
    """A logged-in IMAP client: the one IMAP login every user of a mailbox goes through (the
    watcher's source, the Sent folder). Every failure is a :class:`MailboxError` naming the
    setting to fix, never the secret."""
    try:
        password = resolve_secret(cfg.password_ref)
    except CadenzaError as exc:
        raise MailboxError(f"IMAP {cfg.where}: {exc}") from None
    if cfg.security == "none" and not is_loopback_host(cfg.host):
        log.warning("IMAP %s: logging in without TLS to a host that is not loopback; the "
                    "password crosses the network in clear (set imap_security)", cfg.where)
    context = ssl_context or ssl.create_default_context()
    client: IMAPClient | None = None
    try:
        client = IMAPClient(cfg.host, port=cfg.port, ssl=cfg.security == "tls",
                            ssl_context=context if cfg.security == "tls" else None,
                            timeout=cfg.timeout)
        if cfg.security == "starttls":
            client.starttls(context)
        client.login(cfg.username, password)
    except LoginError:
        _quietly_logout(client)
        # The server's text may echo the attempt; our message names the fix, never the secret.
        raise MailboxError(f"IMAP {cfg.where}: login refused; check imap_username and the "
                           "secret behind imap_password_ref") from None
    except (IMAPClientError, OSError, ssl.SSLError) as exc:
        _quietly_logout(client)
        raise MailboxError(f"IMAP {cfg.where}: cannot connect ({_describe(exc)}); check "
                           "imap_host, imap_port and imap_security") from None
    return client


class ImapSource:
    """A :class:`~cadenza.mailbox.source.MailSource` over one imapclient connection."""

    def __init__(self, config: ImapConfig, *, ssl_context: ssl.SSLContext | None = None,
                 writable: bool = False) -> None:
        self.config = config
        self.ssl_context = ssl_context
        self.writable = writable  # read-only EXAMINE unless we must add keywords or move
        self.push = False
        self._client: IMAPClient | None = None
        self._selected: str | None = None
        self._can_move = False
        self._uidnext: dict[str, int] = {}
        self._arrived = False

    # -- connection -----------------------------------------------------------------------
    def open(self) -> None:
        cfg = self.config
        client = imap_login(cfg, ssl_context=self.ssl_context)
        try:
            self.push = bool(client.has_capability("IDLE"))
            self._can_move = bool(client.has_capability("MOVE"))
        except (IMAPClientError, OSError, ssl.SSLError) as exc:
            _quietly_logout(client)
            raise MailboxError(f"IMAP {cfg.where}: {_describe(exc)}") from None
        self._client = client
        self._selected = None
        log.info("IMAP connected to %s (%s, idle=%s)", cfg.where, cfg.security, self.push)

    def close(self) -> None:
        client, self._client, self._selected = self._client, None, None
        _quietly_logout(client)

    def _call(self, what: str, fn: Callable[[IMAPClient], T]) -> T:
        if self._client is None:
            raise MailboxError(f"IMAP {self.config.where}: not connected")
        try:
            return fn(self._client)
        except FolderError:
            raise
        except (IMAPClientError, imaplib.IMAP4.abort, OSError, ssl.SSLError) as exc:
            self.close()
            raise MailboxError(f"IMAP {self.config.where}: {what} failed "
                               f"({_describe(exc)})") from None

    # -- the contract ---------------------------------------------------------------------
    def select(self, folder: str) -> FolderStatus:
        def run(c: IMAPClient) -> dict[bytes, Any]:
            try:
                return dict(c.select_folder(folder, readonly=not self.writable))
            except imaplib.IMAP4.abort:
                raise  # the connection is gone: _call reports it and closes
            except IMAPClientError as exc:  # a NO: this folder, not the connection
                self._selected = None
                raise FolderError(f"IMAP {self.config.where}: cannot select {folder!r} "
                                  f"({_describe(exc)}); check imap_folders") from None

        info = self._call(f"SELECT {folder}", run)
        self._selected = folder
        status = FolderStatus(folder=folder, uidvalidity=int(info[b"UIDVALIDITY"]),
                              uidnext=_int_or_none(info.get(b"UIDNEXT")),
                              exists=_int_or_none(info.get(b"EXISTS")))
        previous = self._uidnext.get(folder)
        self._uidnext[folder] = status.uidnext or 0
        self._arrived = bool(previous and status.uidnext and status.uidnext > previous)
        return status

    def _ensure(self, folder: str) -> None:
        if self._selected != folder:
            self.select(folder)

    def uids_after(self, folder: str, last_uid: int, since: date | None = None) -> list[int]:
        self._ensure(folder)
        criteria: list[Any] = ["UID", f"{last_uid + 1}:*"]
        if since:
            criteria += ["SINCE", since]
        found = self._call(f"UID SEARCH in {folder}", lambda c: c.search(criteria))
        return sorted(int(u) for u in found if int(u) > last_uid)

    def fetch(self, folder: str, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        if not uids:
            return
        self._ensure(folder)
        data = self._call(f"FETCH in {folder}",
                          lambda c: c.fetch(list(uids), ["BODY.PEEK[]"]))
        for uid in uids:
            item = data.get(uid)
            raw = item.get(b"BODY[]") if item else None
            if isinstance(raw, bytes):
                yield FetchedMessage(uid=uid, raw=raw)
            else:
                log.info("IMAP %s: UID %s in %s vanished before fetch", self.config.where,
                         uid, folder)

    def wait(self, folder: str, timeout: float, stop: threading.Event) -> bool:
        if not self.push:
            stop.wait(min(timeout, self.config.poll_seconds))
            return True
        # A delivery during the last cycle was announced (EXISTS) inside that cycle's SEARCH or
        # FETCH response, and IDLE will not repeat it: re-select and compare UIDNEXT first.
        self.select(folder)
        if self._arrived:
            return True
        deadline = time.monotonic() + min(timeout, self.config.idle_renew_seconds)
        self._call("IDLE", lambda c: c.idle())
        changed = False
        silent_wakeups = 0
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                # Short checks so a stop is noticed quickly; a push returns at once regardless.
                started = time.monotonic()
                responses = self._call("IDLE", lambda c: c.idle_check(timeout=1.0))
                if any(len(r) > 1 and r[1] in _PUSH_RESPONSES for r in responses):
                    changed = True
                    break
                # imapclient's idle_check swallows EOF: a connection the server dropped (a kick,
                # a restart) reads as "readable, nothing said" at once, forever — or as a BYE.
                silent_wakeups = (silent_wakeups + 1 if not responses
                                  and time.monotonic() - started < 0.5 else 0)
                if any(r and r[0] == b"BYE" for r in responses) or silent_wakeups >= 3:
                    self.close()
                    raise MailboxError(f"IMAP {self.config.where}: the server closed the "
                                       "connection during IDLE")
        finally:
            if self._client is not None:
                self._call("IDLE DONE", lambda c: c.idle_done())
        return changed

    def mark(self, folder: str, uid: int, *, keyword: str | None, move_to: str | None) -> None:
        if not (keyword or move_to):
            return
        if not self.writable:
            raise MailboxError(f"IMAP {self.config.where}: marking needs a writable source "
                               "(construct ImapSource with writable=True)")
        self._ensure(folder)
        if keyword:
            self._call("STORE keyword", lambda c: c.add_flags([uid], [keyword], silent=True))
        if move_to and move_to != folder:
            if not self._can_move:
                # COPY + \Deleted + EXPUNGE would delete, which we never do: keep it in place.
                log.warning("IMAP %s lacks MOVE; leaving UID %s in %s", self.config.where,
                            uid, folder)
                return
            self._call(f"MOVE to {move_to}", lambda c: c.move([uid], move_to))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _quietly_logout(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:  # a dead connection cannot log out; drop the socket instead
        try:
            client.shutdown()
        except Exception:
            log.debug("IMAP socket already closed")
