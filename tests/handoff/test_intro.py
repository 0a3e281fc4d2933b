"""The rep copied into the prospect's thread, over the real SMTP server (opt-in)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from handoff_world import MONDAY_10, handoff, prospect, rep, workspace
from sqlmodel import select
from test_notify import receiver  # noqa: F401  (the real HTTP receiver fixture)

from cadenza.handoff.intro import ThreadIntroNotifier
from cadenza.handoff.routing import route_pending
from cadenza.mailbox.smtp import sender_for_mailbox
from cadenza.store import Database
from cadenza.store.models import (
    Enrollment,
    Event,
    Mailbox,
    Playbook,
    Reply,
    Touch,
    Workspace,
)

from support.smtp import SmtpServer

SENDER = {"company": "Northwind Labs", "postal_address": "500 Howard St, San Francisco",
          "sender": {"first_name": "Maya", "last_name": "Chen"},
          "unsubscribe": {"text": "Reply 'unsubscribe' and I won't write again."}}


def _world(db: Database, smtp: SmtpServer, *, opt_in: bool, with_reply: bool = True) -> None:
    with db.session() as s:
        ws = workspace(s)
        ws.sender = SENDER
        ws.settings = {**ws.settings, "routing": {"cc_rep_in_thread": opt_in}}
        s.add(ws)
        rep(s, ws, "ana@agency.example", name="Ana Ruiz")
        p = prospect(s, ws, email="dana@kestrel.example", first_name="Dana",
                     company="Kestrel Freight")
        box = Mailbox(workspace_id=ws.id or 0, email="maya@northwindlabs.io",
                      smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="none")
        pb = Playbook(workspace_id=ws.id or 0, name="x", content_hash="h")
        s.add(box)
        s.add(pb)
        s.flush()
        e = Enrollment(workspace_id=ws.id or 0, prospect_id=p.id or 0, playbook_id=pb.id or 0,
                       mailbox_id=box.id, state="stopped")
        s.add(e)
        s.flush()
        s.add(Touch(workspace_id=ws.id or 0, enrollment_id=e.id or 0, prospect_id=p.id or 0,
                    step=1, channel="email", state="sent", subject="exceptions at Kestrel",
                    message_id="<cz.first@northwindlabs.io>"))
        reply_id = None
        if with_reply:
            r = Reply(workspace_id=ws.id or 0, raw=b"x", message_id="<r1@kestrel.example>",
                      subject="Re: exceptions at Kestrel", from_address=p.email,
                      intent="interested")
            s.add(r)
            s.flush()
            reply_id = r.id
        handoff(s, ws, p, enrollment_id=e.id, reply_id=reply_id, intent="interested")


def _notifier() -> ThreadIntroNotifier:
    return ThreadIntroNotifier(sender_for=sender_for_mailbox, signing_key=b"k",
                               public_base_url="https://cadenza.example")


def test_rep_is_copied_into_the_prospects_thread(database: Database,
                                                  smtp_server: SmtpServer) -> None:
    _world(database, smtp_server, opt_in=True)
    with database.session() as s:
        route_pending(session=s, now=MONDAY_10, notifier=_notifier())
    [sent] = smtp_server.sink.messages
    assert sorted(sent.rcpt_tos) == ["ana@agency.example", "dana@kestrel.example"]
    msg = sent.message
    assert msg["To"] == "dana@kestrel.example" and msg["Cc"] == "ana@agency.example"
    assert msg["In-Reply-To"] == "<r1@kestrel.example>"
    assert "<cz.first@northwindlabs.io>" in msg["References"]
    assert msg["Subject"] == "Re: exceptions at Kestrel"
    body = msg.get_content()
    assert "copying Ana Ruiz" in body and "500 Howard St" in body
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with database.session() as s:
        assert s.exec(Event.__table__.select().where(  # type: ignore[attr-defined]
            Event.__table__.c.kind == "handoff.intro_sent")).first() is not None  # type: ignore[attr-defined]


def test_no_intro_unless_the_workspace_opts_in(database: Database,
                                               smtp_server: SmtpServer) -> None:
    _world(database, smtp_server, opt_in=False)
    with database.session() as s:
        route_pending(session=s, now=MONDAY_10, notifier=_notifier())
    assert smtp_server.sink.messages == []


def test_no_intro_for_a_cadence_that_ended_without_a_reply(database: Database,
                                                           smtp_server: SmtpServer) -> None:
    _world(database, smtp_server, opt_in=True, with_reply=False)
    with database.session() as s:
        route_pending(session=s, now=MONDAY_10, notifier=_notifier())
    assert smtp_server.sink.messages == []


def test_workspace_notifier_fans_out_to_the_workspaces_channels(
        database: Database, smtp_server: SmtpServer, request: pytest.FixtureRequest) -> None:
    """What `cadenza run` uses: the rep's email, the signed webhook and the thread intro, all
    from the workspace's own rules."""
    hooks: Any = request.getfixturevalue("receiver")
    from cadenza.handoff.dispatch import WorkspaceNotifier
    from cadenza.handoff.webhook import verify_signature

    _world(database, smtp_server, opt_in=True)
    with database.session() as s:
        ws = s.exec(select(Workspace)).one()
        ws.settings = {**ws.settings, "routing": {
            "cc_rep_in_thread": True,
            "notifications": {"email": True,
                              "webhook": {"url": hooks.url, "secret": "env:HOOK_SECRET"}}}}
        s.add(ws)
    os.environ["HOOK_SECRET"] = "s3cret"
    notifier = WorkspaceNotifier(sender_for=sender_for_mailbox, signing_key=b"k",
                                 public_base_url="https://cadenza.example")
    try:
        with pytest.raises(RuntimeError), database.session() as s:
            route_pending(session=s, now=MONDAY_10, notifier=notifier)
            raise RuntimeError("the pass fails and rolls back")
        assert smtp_server.sink.messages == [] and hooks.requests == []  # nobody was told
        with database.session() as s:
            route_pending(session=s, now=MONDAY_10, notifier=notifier)
            # no network call inside the transaction: the notices wait for the commit
            assert smtp_server.sink.messages == [] and hooks.requests == []
    finally:
        del os.environ["HOOK_SECRET"]
    to_rep = [m for m in smtp_server.sink.messages if m.rcpt_tos == ["ana@agency.example"]]
    intro = [m for m in smtp_server.sink.messages if "dana@kestrel.example" in m.rcpt_tos]
    assert len(to_rep) == 1 and len(intro) == 1
    assert to_rep[0].message["Auto-Submitted"] == "auto-generated"
    [hook] = hooks.requests
    header = {k.lower(): v for k, v in hook["headers"].items()}["x-cadenza-signature"]
    assert verify_signature(hook["body"], header, "s3cret")


def test_notices_queued_in_a_savepoint_wait_for_the_outer_commit(
        database: Database, smtp_server: SmtpServer) -> None:
    """Triage resolution routes inside a SAVEPOINT, and SQLAlchemy fires ``after_commit`` when
    a SAVEPOINT is released: the notices must still wait for the outer transaction (on SQLite
    a delivery there found the database locked; anywhere, the outer one may still roll back)."""
    from cadenza.handoff.dispatch import service_notifier

    _world(database, smtp_server, opt_in=False)
    with database.session() as s:
        ws = s.exec(select(Workspace)).one()
        ws.settings = {**ws.settings, "routing": {"notifications": {"email": True}}}
        s.add(ws)
    notifier = service_notifier(signing_key=b"k", public_base_url="https://cadenza.example")
    with pytest.raises(RuntimeError), database.session() as s:
        _decide(s)
        with s.begin_nested():
            route_pending(session=s, now=MONDAY_10, notifier=notifier)
        assert smtp_server.sink.messages == []  # released savepoint: nobody told yet
        raise RuntimeError("the outer transaction rolls back")
    assert smtp_server.sink.messages == []
    with database.session() as s:
        _decide(s)
        with s.begin_nested():
            route_pending(session=s, now=MONDAY_10, notifier=notifier)
        assert smtp_server.sink.messages == []
    assert [m.rcpt_tos for m in smtp_server.sink.messages] == [["ana@agency.example"]]


def _decide(s: Any) -> None:
    """What triage resolution writes before it routes (so the SAVEPOINT is inside a real
    transaction, as there)."""
    from cadenza.store.events import record_event

    record_event(session=s, kind="triage.decided", workspace_id=1, subject_type="reply",
                 subject_id=1)
