"""The SMTP client: the one transport that talks to a mail server, for prospect mail and
internal notifications alike (its ``check`` says which rules apply: :func:`check_outgoing` or
:func:`check_envelope`).

It honours the :class:`~cadenza.mailbox.send.MailSender` contract, and maps every smtplib and
socket failure onto that module's errors: whose problem it is (the recipient, the mailbox's
setup, this process's secret) and whether a retry can help.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import ssl
import threading
import time
from email.message import EmailMessage
from typing import Literal, cast

from cadenza.addresses import is_loopback_host
from cadenza.errors import CadenzaError, DeliveryError
from cadenza.mailbox.compose import check_outgoing, message_bytes
from cadenza.mailbox.send import (
    Check,
    DeliveryUncertain,
    RecipientRefused,
    SecretUnavailable,
    SenderSetupError,
    SendResult,
)
from cadenza.secrets import resolve_secret
from cadenza.store.models import Mailbox

log = logging.getLogger(__name__)

Security = Literal["starttls", "tls", "none"]


def _smtp_error(exc: smtplib.SMTPResponseException, what: str,
                kind: type[DeliveryError] = DeliveryError) -> DeliveryError:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
        else str(exc.smtp_error)
    permanent = exc.smtp_code >= 500
    if kind is DeliveryError and permanent and text.startswith("5.1."):
        kind = RecipientRefused  # RFC 3463 5.1.x: bad destination address, said after DATA
    return kind(f"{what}: {exc.smtp_code} {text}", permanent=permanent)


class SMTPSender:
    """Sends over SMTP with STARTTLS, implicit TLS or (loopback only, please) no TLS.

    The connection is kept open between messages (one TCP+TLS+EHLO+AUTH per connection, not
    per message) and replaced when it has been idle longer than ``idle_timeout`` (servers drop
    idle clients, typically after 30–300 s) or after ``max_per_connection`` messages (some
    providers cap messages per session). A connection that turns out to be dead before any
    data was sent is replaced once, silently; after the body was sent it never is.
    """

    def __init__(self, *, host: str, port: int, security: Security = "starttls",
                 username: str = "", password_ref: str = "", timeout: float = 30.0,
                 idle_timeout: float = 10.0, max_per_connection: int = 500,
                 ssl_context: ssl.SSLContext | None = None,
                 local_hostname: str | None = None, check: Check = check_outgoing) -> None:
        if security not in ("starttls", "tls", "none"):
            raise SenderSetupError(f"smtp_security {security!r} must be starttls, tls or none",
                                permanent=True)
        self.check = check
        self.host, self.port, self.security = host, port, security
        self.username, self.password_ref = username, password_ref
        self.timeout, self.idle_timeout = timeout, idle_timeout
        self.max_per_connection = max_per_connection
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname
        self.connections_opened = 0
        self._conn: smtplib.SMTP | None = None
        self._sent_on_conn = 0
        self._last_used = 0.0
        self._lock = threading.Lock()

    def __enter__(self) -> SMTPSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        where = f"{self.host}:{self.port}"
        try:
            password = resolve_secret(self.password_ref) if self.username else ""
        except CadenzaError as exc:
            raise SecretUnavailable(f"SMTP {where}: {exc}") from None
        if self.username and self.security == "none" and not is_loopback_host(self.host):
            log.warning("SMTP %s: logging in without TLS to a host that is not loopback; the "
                        "password crosses the network in clear (set smtp_security)", where)
        conn: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        local_hostname=self.local_hostname,
                                        context=self._context())
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout,
                                    local_hostname=self.local_hostname)
            conn.ehlo()
            if self.security == "starttls":
                conn.starttls(context=self._context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, password)
        except Exception as exc:
            if conn is not None:
                _quietly_close(conn)
            raise _connect_error(exc, where) from None
        except BaseException:
            if conn is not None:
                _quietly_close(conn)
            raise
        self.connections_opened += 1
        self._sent_on_conn = 0
        self._last_used = time.monotonic()
        log.debug("SMTP connection opened to %s (%s)", where, self.security)
        return conn

    def verify(self) -> None:
        """Connect, say EHLO (and STARTTLS), log in when a user is set, and hang up: what
        ``cadenza mailbox test`` checks. Raises a :class:`DeliveryError` naming what failed."""
        _quietly_close(self._connect())

    def close(self) -> None:
        """Say QUIT and drop the kept connection, if any."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(self._conn)
            self._conn = None

    def _fresh_enough(self) -> bool:
        return (self._conn is not None
                and time.monotonic() - self._last_used < self.idle_timeout
                and self._sent_on_conn < self.max_per_connection)

    def send(self, message: EmailMessage, *, envelope_from: str,
             recipients: list[str]) -> SendResult:
        rcpts = self.check(message, envelope_from=envelope_from, recipients=recipients)
        data = message_bytes(message)
        message_id = str(message["Message-ID"])
        with self._lock:
            for attempt in (1, 2):
                reused = self._fresh_enough()
                if not reused:
                    self._drop()
                    self._conn = self._connect()
                try:
                    result = self._transaction(data, envelope_from, rcpts, message_id)
                except _StaleConnection as exc:
                    self._drop()
                    if reused and attempt == 1:
                        log.debug("kept SMTP connection was dead (%s); reconnecting once", exc)
                        continue
                    raise DeliveryError(f"SMTP {self.host}:{self.port} closed the session "
                                        f"before accepting {message_id} ({exc})") from None
                finally:
                    self._last_used = time.monotonic()
                self._sent_on_conn += 1
                return result
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _transaction(self, data: bytes, envelope_from: str, rcpts: list[str],
                     message_id: str) -> SendResult:
        """MAIL, RCPT, DATA by hand, so a broken connection is known to be before or after."""
        conn = self._conn
        assert conn is not None
        try:
            code, resp = conn.mail(envelope_from)
            if code == 421:
                # A kept session the server timed out answers its first command with 421
                # (Postfix does) before closing: nothing was sent, so a new session may retry.
                self._conn = None
                _quietly_close(conn)
                raise _StaleConnection(f"421 {resp.decode('utf-8', 'replace')}")
            if code != 250:
                self._reset_or_drop(code)
                # 5xx to MAIL FROM (530 auth required, 550 sender rejected): the mailbox.
                kind = SenderSetupError if code >= 500 else DeliveryError
                raise _smtp_error(smtplib.SMTPSenderRefused(code, resp, envelope_from),
                                  f"SMTP refused sender {envelope_from}", kind)
            for rcpt in rcpts:
                code, resp = conn.rcpt(rcpt)
                if code not in (250, 251):
                    self._reset_or_drop(code)
                    raise smtplib.SMTPRecipientsRefused({rcpt: (code, resp)})
            code, resp = conn.docmd("DATA")
            if code != 354:
                self._reset_or_drop(code)
                raise smtplib.SMTPDataError(code, resp)
        except smtplib.SMTPRecipientsRefused as exc:
            rcpt, (code, resp) = next(iter(exc.recipients.items()))
            raise _smtp_error(smtplib.SMTPResponseException(code, resp),
                              f"SMTP refused recipient {rcpt}", RecipientRefused) from None
        except smtplib.SMTPResponseException as exc:
            raise _smtp_error(exc, f"SMTP refused message {message_id}") from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _StaleConnection(str(exc) or type(exc).__name__) from None
        # From here on the server may have the message: no silent retry.
        try:
            payload = re.sub(rb"(?m)^\.", b"..", data)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            conn.send(payload + b".\r\n")
            code, resp = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._conn = None
            _quietly_close(conn)
            raise DeliveryUncertain(f"SMTP {self.host}:{self.port}: connection lost after "
                                    f"sending {message_id} ({exc}); it may have been "
                                    "delivered — reconcile before retrying") from None
        if code != 250:
            self._reset_or_drop(code)
            raise _smtp_error(smtplib.SMTPDataError(code, resp),
                              f"SMTP refused message {message_id}")
        return SendResult(message_id=message_id, recipients=tuple(rcpts), transport="smtp",
                          detail=f"{code} {resp.decode('utf-8', 'replace')}")

    def _reset_or_drop(self, code: int) -> None:
        """After a refusal: RSET to reuse the session, or drop it when the server is closing."""
        if code == 421 or self._conn is None:
            conn, self._conn = self._conn, None
            if conn is not None:
                _quietly_close(conn)
            return
        try:
            self._conn.rset()
        except (smtplib.SMTPException, OSError):
            conn, self._conn = self._conn, None
            _quietly_close(conn)


class _StaleConnection(Exception):
    """The connection died before DATA: nothing was delivered, reconnecting is safe."""


def _quietly_close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        conn.close()


def _connect_error(exc: Exception, where: str) -> DeliveryError:
    """Map a failure while connecting/authenticating; config mistakes are permanent."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SenderSetupError(f"SMTP {where}: login refused ({exc.smtp_code}); check "
                             "smtp_username and smtp_password_ref", permanent=True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SenderSetupError(f"SMTP {where}: {exc}; check smtp_security (starttls/tls/none) "
                             "and whether the server offers AUTH", permanent=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SenderSetupError(f"SMTP {where}: the server's TLS certificate failed "
                             f"verification ({exc.verify_message})", permanent=True)
    if isinstance(exc, smtplib.SMTPResponseException):  # e.g. a 554 greeting: our side
        return _smtp_error(exc, f"SMTP {where}",
                           SenderSetupError if exc.smtp_code >= 500 else DeliveryError)
    if isinstance(exc, (OSError, smtplib.SMTPException)):
        return DeliveryError(f"SMTP {where}: cannot connect ({exc or type(exc).__name__})")
    return DeliveryError(f"SMTP {where}: {type(exc).__name__}: {exc}")


def sender_for_mailbox(mailbox: Mailbox, *,
                       ssl_context: ssl.SSLContext | None = None) -> SMTPSender:
    """The SMTP transport configured on a mailbox (password resolved at connect time)."""
    security = mailbox.smtp_security
    if security not in ("starttls", "tls", "none"):
        raise SenderSetupError(f"mailbox {mailbox.email}: smtp_security {security!r} must be "
                            "starttls, tls or none", permanent=True)
    security = cast(Security, security)
    return SMTPSender(host=mailbox.smtp_host, port=mailbox.smtp_port, security=security,
                      username=mailbox.smtp_username, password_ref=mailbox.smtp_password_ref,
                      ssl_context=ssl_context)
