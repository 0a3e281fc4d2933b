"""The Sent-folder copy and the recovery look-up, against the real dovecot on loopback."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from imapclient import IMAPClient

from cadenza.errors import MailboxError
from cadenza.mailbox.compose import compose_email, message_bytes, message_id_for
from cadenza.mailbox.sent_folder import append_sent_copy, sent_folder_has
from cadenza.store.models import Mailbox

from support.dovecot import ImapServer, free_port


def _mailbox(imap: ImapServer, monkeypatch: pytest.MonkeyPatch, **overrides: object) -> Mailbox:
    monkeypatch.setenv("IMAP_PW", imap.password)
    fields: dict[str, object] = dict(
        workspace_id=1, email="ana@acme-sales.com", imap_host=imap.host, imap_port=imap.port,
        imap_security="none", imap_username=f"sent-{uuid.uuid4().hex[:8]}",
        imap_password_ref="env:IMAP_PW", sent_folder="Sent",
    )
    fields.update(overrides)
    return Mailbox(**fields)  # type: ignore[arg-type]


def _raw(step: int) -> tuple[str, bytes]:
    mid = message_id_for(workspace_id=1, enrollment_id=9, step=step, domain="acme-sales.com",
                         key=b"k")
    msg = compose_email(from_name="Ana", from_address="ana@acme-sales.com",
                        to_address="jordan.lee@prospect.io", subject=f"Step {step}",
                        text="Hello\n", html="<p>Hello</p>", message_id=mid,
                        unsubscribe_url="https://u.acme-sales.com/u/t",
                        date=dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    return mid, message_bytes(msg)


def _sent_messages(imap: ImapServer, user: str) -> list[tuple[set[bytes], bytes]]:
    with IMAPClient(imap.host, port=imap.port, ssl=False) as client:
        client.login(user, imap.password)
        client.select_folder("Sent", readonly=True)
        fetched = client.fetch(client.search("ALL"), ["FLAGS", "RFC822"])
        return [(set(d[b"FLAGS"]), d[b"RFC822"]) for d in fetched.values()]


def test_append_then_find(imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox = _mailbox(imap_server, monkeypatch)
    mid1, raw1 = _raw(1)
    mid2, _ = _raw(2)
    assert not sent_folder_has(mailbox=mailbox, message_id=mid1)
    assert append_sent_copy(mailbox=mailbox, message=raw1)
    assert sent_folder_has(mailbox=mailbox, message_id=mid1)
    assert not sent_folder_has(mailbox=mailbox, message_id=mid2)
    # A substring of an id that is there is not a match.
    assert not sent_folder_has(mailbox=mailbox, message_id=mid1[:-5] + ">")
    [(flags, stored)] = _sent_messages(imap_server, mailbox.imap_username)
    assert b"\\Seen" in flags
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in stored


def test_append_is_not_repeated_by_a_recovery(imap_server: ImapServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox = _mailbox(imap_server, monkeypatch)
    _, raw = _raw(1)
    lf_only = raw.replace(b"\r\n", b"\n")  # e.g. read back from an .eml written with \n
    assert append_sent_copy(mailbox=mailbox, message=lf_only)
    assert not append_sent_copy(mailbox=mailbox, message=raw)
    assert len(_sent_messages(imap_server, mailbox.imap_username)) == 1


def test_no_sent_folder_configured(imap_server: ImapServer,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox = _mailbox(imap_server, monkeypatch, sent_folder="")
    mid, raw = _raw(1)
    assert append_sent_copy(mailbox=mailbox, message=raw) is False
    with pytest.raises(MailboxError, match="sent_folder"):
        sent_folder_has(mailbox=mailbox, message_id=mid)


def test_errors_name_the_setting(imap_server: ImapServer,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    mid, raw = _raw(1)
    missing = _mailbox(imap_server, monkeypatch, sent_folder="Sent Items")
    with pytest.raises(MailboxError, match="sent_folder 'Sent Items' does not exist"):
        append_sent_copy(mailbox=missing, message=raw)
    with pytest.raises(MailboxError, match="does not exist"):
        sent_folder_has(mailbox=missing, message_id=mid)
    monkeypatch.setenv("IMAP_BAD", "wrong")
    bad_login = _mailbox(imap_server, monkeypatch)
    bad_login.imap_password_ref = "env:IMAP_BAD"
    with pytest.raises(MailboxError, match="imap_password_ref"):
        sent_folder_has(mailbox=bad_login, message_id=mid)
    closed = _mailbox(imap_server, monkeypatch, imap_port=free_port())
    with pytest.raises(MailboxError, match="cannot connect"):
        append_sent_copy(mailbox=closed, message=raw, timeout=3)
