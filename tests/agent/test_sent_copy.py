"""A delivered email is copied to the mailbox's Sent folder (#11 item 6), end to end: the
scheduler sends through aiosmtpd and the copy lands in dovecot, once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from imapclient import IMAPClient
from world import Clock, add_prospects, enroll, make_world

from cadenza.agent.service import open_agent
from cadenza.store import Database
from cadenza.store.models import Mailbox

from support.dovecot import ImapServer
from support.smtp import SmtpServer


@pytest.mark.calendar
def test_each_sent_touch_is_copied_to_sent(sqlite_db: Database, tmp_path: Path,
                                           smtp_server: SmtpServer, imap_server: ImapServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", imap_server.password)
    user = f"sent-{uuid.uuid4().hex[:8]}"
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port, sent_folder="Sent",
                       imap_port=imap_server.port)
    with sqlite_db.session() as s:
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None
        box.imap_username = user
    add_prospects(world, [{"id": "s1", "email": "sam@copyco.example", "first_name": "Sam"}])
    enroll(world)
    with open_agent(world.settings, sqlite_db, clock=Clock(), jitter=(0.0, 0.0)) as agent:
        assert agent.scheduler.tick().count("sent") == 1
    (mail,) = smtp_server.sink.messages
    with IMAPClient(imap_server.host, port=imap_server.port, ssl=False) as client:
        client.login(user, imap_server.password)
        client.select_folder("Sent", readonly=True)
        stored = [d[b"RFC822"] for d in client.fetch(client.search("ALL"), ["RFC822"]).values()]
    assert len(stored) == 1
    assert mail.message["Message-ID"].encode() in stored[0]
