"""The real local servers the suite relies on answer as expected."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage

from imapclient import IMAPClient

from support.dovecot import ImapServer
from support.smtp import SmtpServer


def test_dovecot_append_and_fetch(imap_server: ImapServer) -> None:
    user = f"u{uuid.uuid4().hex[:8]}@example.test"
    with IMAPClient(imap_server.host, port=imap_server.port, ssl=False) as c:
        c.login(user, imap_server.password)
        c.append("INBOX", b"Subject: hi\r\nMessage-ID: <a@b>\r\n\r\nhello\r\n")
        c.select_folder("INBOX")
        uids = c.search(["ALL"])
        data = c.fetch(uids, ["BODY.PEEK[]"])
        assert b"hello" in data[uids[0]][b"BODY[]"]
        assert "Sent" in [f[2] for f in c.list_folders()]


def test_smtp_sink_receives(smtp_server: SmtpServer) -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.test"
    msg["To"] = "b@example.test"
    msg["Subject"] = "x"
    msg.set_content("body")
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as s:
        s.send_message(msg)
    assert smtp_server.sink.messages[0].message["Subject"] == "x"
