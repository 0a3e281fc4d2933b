"""Builders for the watcher/threading/actions tests: real MIME (stdlib) and a seeded database."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlmodel import select

from cadenza.mailbox.parse import parse_message
from cadenza.playbooks import load_builtin
from cadenza.replies.classify.intents import Classification
from cadenza.replies.classify.message import ClassifiedReply
from cadenza.replies.processing import Classify, message_key
from cadenza.store import Database
from cadenza.store.models import Enrollment, Mailbox, Prospect, Reply, Touch
from cadenza.store.playbooks import save_playbook
from cadenza.store.workspaces import ensure_workspace

OURS = "sam@sender.example"
_counter = itertools.count(1)


def reply_bytes(body: str, *, sender: str = "Jane Doe <jane@prospect.example>",
                to: str = f"Sam <{OURS}>", subject: str = "Re: Quick question",
                in_reply_to: str | None = None, references: str | None = None,
                message_id: str | None = None, date: dt.datetime | None = None,
                headers: dict[str, str] | None = None) -> bytes:
    """A plain-text reply as a mail client writes it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = message_id or make_msgid(f"r{next(_counter)}", "prospect.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def dsn_bytes(*, original_id: str, recipient: str = "jane@prospect.example",
              status: str = "5.1.1", action: str = "failed",
              diagnostic: str = "smtp; 550 5.1.1 user unknown") -> bytes:
    """An RFC 3464 delivery report the way an MTA writes it."""
    boundary = f"dsn{next(_counter)}"
    return (
        "Return-Path: <>\r\n"
        "From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>\r\n"
        f"To: {OURS}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Wed, 01 Apr 2026 10:00:00 +0000\r\n"
        f"Message-ID: <{boundary}@mx.sender.example>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"I'm sorry to have to inform you that your message could not be delivered to "
        f"<{recipient}>.\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.sender.example\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: {diagnostic}\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\n"
        f"From: {OURS}\r\n"
        f"To: {recipient}\r\n"
        "Subject: Quick question\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def scripted(**fields: Any) -> Classify:
    """A classifier that parses for real and answers with a fixed classification."""
    fields.setdefault("confidence", 0.9)

    def classify(raw: bytes, *, own_addresses: frozenset[str] = frozenset(),
                 threshold: float = 0.55) -> ClassifiedReply:
        return ClassifiedReply(Classification(**fields), parsed=parse_message(raw))
    return classify


def store(db: Database, world: World, raw: bytes, *, folder: str = "INBOX",
          uid: int | None = None) -> int:
    """Store ``raw`` as the watcher does (state ``stored``); returns the reply id."""
    with db.session() as s:
        n = len(s.exec(select(Reply.id)).all())
        reply = Reply(workspace_id=world.workspace_id, mailbox_id=world.mailbox_id,
                      folder=folder, uidvalidity=1, uid=uid or n + 1, raw=raw,
                      message_id=message_key(raw))
        s.add(reply)
        s.flush()
        assert reply.id is not None
        return reply.id


@dataclass
class World:
    """A workspace with one mailbox, one prospect and its enrollments; step 1 sent in each."""

    workspace_id: int
    mailbox_id: int
    prospect_id: int
    playbook_ids: list[int] = field(default_factory=list)
    enrollment_ids: list[int] = field(default_factory=list)
    touch_ids: list[int] = field(default_factory=list)  # the sent step-1 touch of each enrollment
    pending_ids: list[int] = field(default_factory=list)  # an approved, unsent step 2
    message_ids: list[str] = field(default_factory=list)


def make_world(db: Database, *, email: str = "jane@prospect.example", playbooks: int = 1,
               slug: str | None = None, imap_host: str = "", imap_port: int = 993,
               imap_user: str = "", imap_security: str = "none",
               folders: tuple[str, ...] = ("INBOX",), now: dt.datetime,
               company: str = "Prospect Inc", company_domain: str = "prospect.example",
               ) -> World:
    names = ["ai-sdr-first-four", "traditional-b2b", "high-intensity"]
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug=slug or f"ws{next(_counter)}")
        assert ws.id is not None
        box = Mailbox(workspace_id=ws.id, email=OURS, imap_host=imap_host, imap_port=imap_port,
                      imap_security=imap_security, imap_username=imap_user,
                      imap_password_ref="env:CADENZA_TEST_IMAP_PASSWORD" if imap_host else "",
                      imap_folders=list(folders), created_at=now - dt.timedelta(days=3))
        prospect = Prospect(workspace_id=ws.id, email=email, first_name="Jane",
                            last_name="Doe", company=company, company_domain=company_domain)
        s.add(box)
        s.add(prospect)
        s.flush()
        assert box.id is not None and prospect.id is not None
        world = World(ws.id, box.id, prospect.id)
        for i in range(playbooks):
            loaded = load_builtin(names[i])
            pb = save_playbook(session=s, workspace_id=ws.id, name=names[i],
                               content_hash=loaded.content_hash,
                               definition=loaded.spec.model_dump(mode="json"),
                               source_yaml=loaded.source)
            assert pb.id is not None
            enrollment = Enrollment(workspace_id=ws.id, prospect_id=prospect.id,
                                    playbook_id=pb.id, mailbox_id=box.id, state="active",
                                    next_step=2, next_due_at=now + dt.timedelta(days=2))
            s.add(enrollment)
            s.flush()
            assert enrollment.id is not None
            mid = f"<cz.{ws.id}x{enrollment.id}x1@sender.example>"
            sent = Touch(workspace_id=ws.id, enrollment_id=enrollment.id,
                         prospect_id=prospect.id, step=1, channel="email", state="sent",
                         to_address=email, subject=f"Quick question {i + 1}",
                         message_id=mid, sent_at=now - dt.timedelta(days=1))
            pending = Touch(workspace_id=ws.id, enrollment_id=enrollment.id,
                            prospect_id=prospect.id, step=2, channel="email",
                            state="approved", to_address=email)
            s.add(sent)
            s.add(pending)
            s.flush()
            assert sent.id is not None and pending.id is not None
            world.playbook_ids.append(pb.id)
            world.enrollment_ids.append(enrollment.id)
            world.touch_ids.append(sent.id)
            world.pending_ids.append(pending.id)
            world.message_ids.append(mid)
    return world
