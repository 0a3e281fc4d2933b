"""A handoff is routed, and its rep told, by the process that created it (#11 item 4).

Against dovecot and aiosmtpd: a reply APPENDed to the mailbox is handed off, routed to the
workspace's rep and announced by email within the watcher's own cycle — no sweep runs here.
The sweep that runs later finds nothing left to route.
"""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from cadenza.config import Settings
from cadenza.handoff.dispatch import route_on_creation
from cadenza.handoff.notify import EmailNotifier, SmtpNotificationMailer
from cadenza.handoff.routing import route_pending
from cadenza.replies.processing import ProcessOutcome
from cadenza.replies.watcher import watch_once
from cadenza.store import Database
from cadenza.store.models import Handoff, Mailbox, Rep

from support.clock import wall_clock
from support.dovecot import ImapServer, append
from support.mail_builders import make_world, reply_bytes
from support.smtp import SmtpServer


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch: pytest.MonkeyPatch, imap_server: ImapServer) -> None:
    monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", imap_server.password)


def test_the_watcher_routes_and_notifies_at_once(database: Database, imap_server: ImapServer,
                                                 smtp_server: SmtpServer) -> None:
    user = f"route-{uuid.uuid4().hex[:10]}"
    world = make_world(database, imap_host=imap_server.host, imap_port=imap_server.port,
                       imap_user=user, imap_security="none", now=wall_clock())
    with database.session() as s:
        s.add(Rep(workspace_id=world.workspace_id, email="rep@agency.test", name="Rep",
                  timezone="UTC", working_hours={"mon-sun": "00:00-24:00"}))
    append(imap_server, user, reply_bytes("Sounds interesting, can you send pricing for 40 "
                                          "seats? Happy to talk next week.",
                                          in_reply_to=world.message_ids[0]))
    notifier = EmailNotifier(
        mailer=SmtpNotificationMailer(host=smtp_server.host, port=smtp_server.port,
                                      security="none"),
        from_address="cadenza@agency.test", public_base_url="https://cadenza.agency.test")
    said: list[ProcessOutcome] = []
    watch_once(db=database, settings=Settings(), mailbox_ids=[world.mailbox_id],
               clock=wall_clock, on_processed=said.append,
               on_handoff=route_on_creation(db=database, notifier=notifier, clock=wall_clock))
    with database.session() as s:
        (handoff,) = s.exec(select(Handoff)).all()
        rep = s.exec(select(Rep)).one()
    assert handoff.rep_id == rep.id and handoff.routed_at is not None
    (mail,) = smtp_server.sink.messages
    assert mail.rcpt_tos == ["rep@agency.test"]
    assert f"/tickets/{handoff.id}" in mail.message.get_content()
    (outcome,) = said
    assert outcome.sender == "jane@prospect.example" and outcome.action == "handoff"
    assert outcome.confidence is not None and outcome.reason
    with database.session() as s:  # the sweep has nothing left to do
        assert route_pending(session=s, now=wall_clock()) == []


def test_cadenza_watch_says_what_it_did_routes_and_emails_the_rep(
        tmp_path, imap_server: ImapServer, smtp_server: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``cadenza watch`` as shipped: its own notifier (the workspace's channels, delivered
    after the routing commits) emails the rep from the mailbox's SMTP, in the one cycle."""
    from typer.testing import CliRunner

    from cadenza.cli import app

    db = Database(f"sqlite:///{tmp_path / 'watch.db'}")
    db.migrate()
    user = f"cli-{uuid.uuid4().hex[:10]}"
    world = make_world(db, imap_host=imap_server.host, imap_port=imap_server.port,
                       imap_user=user, imap_security="none", now=wall_clock())
    with db.session() as s:
        s.add(Rep(workspace_id=world.workspace_id, email="rep@agency.test", name="Rep",
                  timezone="UTC", working_hours={"mon-sun": "00:00-24:00"}))
        box = s.get(Mailbox, world.mailbox_id)
        assert box is not None
        box.smtp_host, box.smtp_port, box.smtp_security = (smtp_server.host, smtp_server.port,
                                                           "none")
        s.add(box)
    append(imap_server, user, reply_bytes("Yes, let's talk. Does Tuesday at 3pm work?",
                                          in_reply_to=world.message_ids[0]))
    monkeypatch.setenv("CADENZA_DATABASE_URL", f"sqlite:///{tmp_path / 'watch.db'}")
    result = CliRunner().invoke(app, ["watch", "--once", "--mailbox", str(world.mailbox_id)])
    assert result.exit_code == 0, result.output
    assert "from jane@prospect.example: meeting_request" in result.output
    assert "-> handoff (processed)" in result.output
    with db.session() as s:
        (handoff,) = s.exec(select(Handoff)).all()
        assert handoff.rep_id is not None and handoff.routed_at is not None
    (mail,) = smtp_server.sink.messages
    assert mail.rcpt_tos == ["rep@agency.test"]
    assert f"/tickets/{handoff.id}" in mail.message.get_content()
    db.dispose()
