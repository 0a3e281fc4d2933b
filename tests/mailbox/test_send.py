"""SMTPSender against a real aiosmtpd on loopback: plain, STARTTLS, implicit TLS, AUTH, errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from cadenza.errors import DeliveryError
from cadenza.mailbox.compose import compose_email, message_id_for
from cadenza.mailbox.send import (
    DeliveryUncertain,
    MemorySender,
    OutboxFolderSender,
    RecipientRefused,
    SecretUnavailable,
    SenderSetupError,
)
from cadenza.mailbox.smtp import SMTPSender, sender_for_mailbox
from cadenza.store.models import Mailbox

from support.dovecot import free_port
from support.smtp import HangUpInData, SmtpServer, run_smtp
from support.tls import SelfSignedCert, make_self_signed, openssl_available

SENT_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # the messages' Date
FROM = "ana@acme-sales.com"


def _message(n: int = 1, to: str = "jordan.lee@prospect.io") -> EmailMessage:
    return compose_email(
        from_name="Ana Souza", from_address=FROM, to_address=to,
        subject=f"Touch {n}", text=f"Hello {n}\n.\nA line starting with a dot.\n",
        html=f"<p>Hello {n}</p>",
        message_id=message_id_for(workspace_id=1, enrollment_id=n, step=1,
                                  domain="acme-sales.com", key=b"k"),
        unsubscribe_url=f"https://u.acme-sales.com/u/tok{n}", date=SENT_AT,
    )


def _send(sender: Any, msg: EmailMessage) -> Any:
    return sender.send(msg, envelope_from=FROM, recipients=[str(msg["To"])])


def _refusal(msg: EmailMessage, **sender_args: Any) -> DeliveryError:
    """The error a fresh SMTPSender built from ``sender_args`` raises for ``msg``."""
    with SMTPSender(**sender_args) as sender, pytest.raises(DeliveryError) as info:
        _send(sender, msg)
    return info.value


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCert:
    if not openssl_available():
        pytest.skip("the openssl CLI is needed to make a test certificate")
    return make_self_signed(tmp_path_factory.mktemp("tls"))


class _Auth:
    """aiosmtpd authenticator accepting one login."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False)


def test_plain_send_through_the_mailbox_settings(smtp_server: SmtpServer) -> None:
    mailbox = Mailbox(workspace_id=1, email=FROM, smtp_host=smtp_server.host,
                      smtp_port=smtp_server.port, smtp_security="none")
    msg = _message()
    with sender_for_mailbox(mailbox) as sender:
        result = _send(sender, msg)
    assert result.message_id == msg["Message-ID"] and result.transport == "smtp"
    assert result.recipients == ("jordan.lee@prospect.io",)
    [got] = smtp_server.sink.messages
    assert got.mail_from == FROM and got.rcpt_tos == ["jordan.lee@prospect.io"]
    assert b"\r\nList-Unsubscribe: <https://u.acme-sales.com/u/tok1>\r\n" in got.data
    assert got.message["Message-ID"] == msg["Message-ID"]
    plain = got.message.get_body(("plain",))
    assert plain is not None
    assert "\n.\nA line starting with a dot." in plain.get_content().replace("\r\n", "\n")


def test_starttls_with_a_verified_self_signed_certificate(cert: SelfSignedCert) -> None:
    with run_smtp(tls_context=cert.server_context(), require_starttls=True) as server:
        with SMTPSender(host=server.host, port=server.port, security="starttls",
                        ssl_context=cert.client_context()) as sender:
            _send(sender, _message())
        assert len(server.sink.messages) == 1
        # Refusing an unknown certificate is a configuration problem: permanent.
        error = _refusal(_message(2), host=server.host, port=server.port, security="starttls")
        assert error.permanent and "certificate" in str(error)
        assert isinstance(error, SenderSetupError)
        # A server that insists on STARTTLS refuses a client that skips it.
        error = _refusal(_message(3), host=server.host, port=server.port, security="none")
        assert error.permanent
        assert len(server.sink.messages) == 1


def test_starttls_requested_but_not_offered_is_permanent(smtp_server: SmtpServer) -> None:
    error = _refusal(_message(), host=smtp_server.host, port=smtp_server.port,
                     security="starttls")
    assert error.permanent and "smtp_security" in str(error)
    assert isinstance(error, SenderSetupError)


def test_implicit_tls(cert: SelfSignedCert) -> None:
    with run_smtp(ssl_context=cert.server_context()) as server:
        with SMTPSender(host=server.host, port=server.port, security="tls",
                        ssl_context=cert.client_context()) as sender:
            _send(sender, _message())
        assert len(server.sink.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_auth_over_plain_and_a_wrong_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_PW", "s3cret")
    monkeypatch.setenv("SMTP_BAD_PW", "nope")
    with run_smtp(authenticator=_Auth("ana", "s3cret"), auth_required=True,
                  auth_require_tls=False) as server:
        with SMTPSender(host=server.host, port=server.port, security="none",
                        username="ana", password_ref="env:SMTP_PW") as sender:
            _send(sender, _message())
        assert len(server.sink.messages) == 1
        error = _refusal(_message(2), host=server.host, port=server.port, security="none",
                         username="ana", password_ref="env:SMTP_BAD_PW")
        assert error.permanent and "smtp_password_ref" in str(error)
        assert isinstance(error, SenderSetupError)
        error = _refusal(_message(3), host=server.host, port=server.port, security="none")
        assert error.permanent  # 530 authentication required
        assert isinstance(error, SenderSetupError)
        error = _refusal(_message(4), host=server.host, port=server.port, security="none",
                         username="ana", password_ref="env:NOT_SET_ANYWHERE")
        # this process's environment, not the mailbox: not permanent, never a SenderSetupError
        assert isinstance(error, SecretUnavailable) and not error.permanent
        assert "NOT_SET_ANYWHERE" in str(error)
        assert len(server.sink.messages) == 1


def test_auth_after_starttls(cert: SelfSignedCert, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_PW", "s3cret")
    with run_smtp(tls_context=cert.server_context(), require_starttls=True,
                  authenticator=_Auth("ana", "s3cret"), auth_required=True) as server:
        with SMTPSender(host=server.host, port=server.port, security="starttls",
                        username="ana", password_ref="env:SMTP_PW",
                        ssl_context=cert.client_context()) as sender:
            _send(sender, _message())
        assert len(server.sink.messages) == 1


def test_4xx_is_transient_5xx_is_permanent_and_the_session_survives(
        smtp_server: SmtpServer) -> None:
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none") as sender:
        smtp_server.sink.fail_next("451 4.3.0 try again later")
        with pytest.raises(DeliveryError) as info:
            _send(sender, _message(1))
        assert not info.value.permanent and "451" in str(info.value)
        assert not isinstance(info.value, DeliveryUncertain)
        smtp_server.sink.fail_next("550 5.1.1 no such user")
        with pytest.raises(DeliveryError) as info:
            _send(sender, _message(2))
        assert info.value.permanent and "550" in str(info.value)
        assert isinstance(info.value, RecipientRefused)  # 5.1.1: a hard bounce
        smtp_server.sink.fail_next("554 5.7.1 message looks like spam")
        with pytest.raises(DeliveryError) as info:
            _send(sender, _message(4))
        assert info.value.permanent
        assert not isinstance(info.value, (RecipientRefused, SenderSetupError))
        _send(sender, _message(3))
        assert sender.connections_opened == 1
    assert [m.message["Subject"] for m in smtp_server.sink.messages] == ["Touch 3"]


def test_connection_refused_is_transient() -> None:
    error = _refusal(_message(), host="127.0.0.1", port=free_port(), security="none",
                     timeout=2)
    assert not error.permanent


@pytest.mark.slow  # a volume run
def test_one_connection_for_a_hundred_sends(smtp_server: SmtpServer) -> None:
    messages = [_message(n) for n in range(100)]
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none") as sender:
        started = time.perf_counter()
        for msg in messages:
            _send(sender, msg)
        elapsed = time.perf_counter() - started
        assert sender.connections_opened == 1
    assert len(smtp_server.sink.messages) == 100
    assert len({m.message["Message-ID"] for m in smtp_server.sink.messages}) == 100
    print(f"\n100 sends over one SMTP connection: {100 / elapsed:.0f} messages/s")


def test_idle_timeout_and_per_connection_cap_open_new_connections(
        smtp_server: SmtpServer) -> None:
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none",
                    idle_timeout=0.0) as sender:
        for n in range(3):
            _send(sender, _message(n))
        assert sender.connections_opened == 3
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none",
                    max_per_connection=2) as sender:
        for n in range(5):
            _send(sender, _message(n))
        assert sender.connections_opened == 3
    assert len(smtp_server.sink.messages) == 8


def test_a_kept_connection_the_server_dropped_is_replaced_once() -> None:
    # aiosmtpd closes a connection idle for `timeout` seconds, as real servers do.
    with run_smtp(timeout=0.1) as server:
        with SMTPSender(host=server.host, port=server.port, security="none",
                        idle_timeout=60) as sender:
            _send(sender, _message(1))
            time.sleep(0.4)  # four times the server's idle timeout
            _send(sender, _message(2))
            assert sender.connections_opened == 2
        assert len(server.sink.messages) == 2


class _TimesOutLikePostfix:
    """Answers the second MAIL with 421 and hangs up, as Postfix does to an idle client."""

    def __init__(self) -> None:
        self.mails = 0
        self.messages = 0

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        self.mails += 1
        if self.mails == 2:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return "421 4.4.2 mail.example Error: timeout exceeded"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


def test_a_421_on_a_kept_connection_is_retried_on_a_new_one() -> None:
    handler = _TimesOutLikePostfix()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with SMTPSender(host="127.0.0.1", port=port, security="none") as sender:
            _send(sender, _message(1))
            _send(sender, _message(2))
            assert sender.connections_opened == 2
    finally:
        controller.stop()
    assert (handler.mails, handler.messages) == (3, 2)


class _RefusesOneRecipient:
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if address.startswith("gone"):
            return "550 5.1.1 <gone@prospect.io>: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def test_a_refused_recipient_is_a_permanent_recipient_refusal() -> None:
    port = free_port()
    controller = Controller(_RefusesOneRecipient(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with SMTPSender(host="127.0.0.1", port=port, security="none") as sender:
            with pytest.raises(RecipientRefused) as info:
                _send(sender, _message(1, to="gone@prospect.io"))
            assert info.value.permanent and "gone@prospect.io" in str(info.value)
            _send(sender, _message(2))  # the session was reset and is still usable
            assert sender.connections_opened == 1
    finally:
        controller.stop()



def test_connection_lost_after_data_is_uncertain_and_not_retried() -> None:
    handler = HangUpInData()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with SMTPSender(host="127.0.0.1", port=port, security="none") as sender:
            with pytest.raises(DeliveryUncertain) as info:
                _send(sender, _message())
            assert not info.value.permanent
    finally:
        controller.stop()
    assert handler.count == 1  # the body went over once, and was not sent again


def test_outbox_folder_writes_parseable_eml_atomically(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    sender = OutboxFolderSender(folder)
    results = [_send(sender, _message(n)) for n in range(3)]
    files = sorted(folder.iterdir())
    assert len(files) == 3 and all(f.suffix == ".eml" for f in files)
    assert not [f for f in folder.iterdir() if f.name.startswith(".tmp-")]
    for result, path in zip(results, files, strict=True):
        assert result.detail == str(path)
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert parsed["Message-ID"] == result.message_id
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_outbox_folder_refuses_an_unwritable_target(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DeliveryError):
        _send(OutboxFolderSender(blocker), _message())


def test_memory_sender_validates_like_the_real_one() -> None:
    sender = MemorySender()
    _send(sender, _message())
    assert len(sender.outbox) == 1
    stripped = _message(2)
    del stripped["List-Unsubscribe"]
    with pytest.raises(DeliveryError, match="List-Unsubscribe") as info:
        _send(sender, stripped)
    assert info.value.permanent
    with pytest.raises(DeliveryError, match="exactly the To"):
        sender.send(_message(3), envelope_from=FROM,
                    recipients=["jordan.lee@prospect.io", "hidden@other.io"])
    with pytest.raises(DeliveryError, match="exactly the To"):
        sender.send(_message(3), envelope_from=FROM, recipients=["someone@else.io"])
    flagged = _message(4)
    flagged["Auto-Submitted"] = "auto-generated"
    with pytest.raises(DeliveryError, match="Auto-Submitted"):
        _send(sender, flagged)
    sender.fail_next(DeliveryError("451 later"))
    with pytest.raises(DeliveryError, match="451"):
        _send(sender, _message(5))
    _send(sender, _message(5))
    assert [m.message["Subject"] for m in sender.outbox] == ["Touch 1", "Touch 5"]


def test_real_sender_refuses_the_same_invalid_message(smtp_server: SmtpServer) -> None:
    stripped = _message()
    del stripped["List-Unsubscribe-Post"]
    with SMTPSender(host=smtp_server.host, port=smtp_server.port, security="none") as sender:
        with pytest.raises(DeliveryError) as info:
            _send(sender, stripped)
        assert info.value.permanent
        assert sender.connections_opened == 0  # refused before connecting
    assert smtp_server.sink.messages == []


def test_mailbox_with_an_unknown_security_is_refused() -> None:
    with pytest.raises(DeliveryError, match="smtp_security"):
        sender_for_mailbox(Mailbox(workspace_id=1, email=FROM, smtp_security="ssl"))


def test_a_clear_text_login_beyond_loopback_is_warned_about(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """0.0.0.0 reaches this machine (nothing leaves it) but is not a loopback name: the
    password would cross a network in clear, so the operator is told (#12 item 18)."""
    from cadenza.addresses import is_loopback_host

    from support.dovecot import free_port

    assert is_loopback_host("127.0.0.1") and is_loopback_host("localhost")
    assert is_loopback_host("[::1]") and not is_loopback_host("0.0.0.0")
    assert not is_loopback_host("smtp.example.com")
    monkeypatch.setenv("SMTP_PW", "s3cret")
    with caplog.at_level("WARNING", logger="cadenza.mailbox.smtp"):
        _refusal(_message(), host="0.0.0.0", port=free_port(), security="none",
                 username="ana", password_ref="env:SMTP_PW")
    assert any("without TLS" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="cadenza.mailbox.smtp"):
        _refusal(_message(), host="127.0.0.1", port=free_port(), security="none",
                 username="ana", password_ref="env:SMTP_PW")
    assert not any("without TLS" in r.getMessage() for r in caplog.records)
