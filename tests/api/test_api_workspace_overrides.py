"""A workspace's own ``public_base_url`` and ``classify_threshold`` (#11), set over the API,
used where the process's settings were: the unsubscribe link of its emails (the agent's touch
and the handoff introduction), the ticket link of its rep notices, and the threshold the
watcher holds its replies to. Another workspace keeps the process's values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from api_world import MONDAY, PEOPLE, auth, monday, settings_for
from fastapi.testclient import TestClient
from sqlmodel import col, select

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.api import create_app
from cadenza.config import Settings
from cadenza.demo import sample_file
from cadenza.handoff.dispatch import WorkspaceNotifier
from cadenza.handoff.routing import route_pending
from cadenza.handoff.rules import save_routing
from cadenza.mailbox.smtp import sender_for_mailbox
from cadenza.mailbox.source import MailSource, MemorySource
from cadenza.playbooks import load_builtin
from cadenza.replies.watcher import WatchOptions, watch_once
from cadenza.store import Database
from cadenza.store.models import Enrollment, Handoff, Mailbox, Prospect, Rep, Reply, Touch
from cadenza.store.suppressions import is_suppressed
from cadenza.store.tokens import issue_token
from cadenza.store.workspaces import ensure_workspace

from support.mail_builders import reply_bytes, scripted
from support.smtp import SmtpServer

OWN = "https://sdr.acme.example"
PROCESS = "http://127.0.0.1:8000"  # settings_for leaves CADENZA_PUBLIC_BASE_URL at its default


@dataclass
class Tenant:
    workspace_id: int
    token: str
    mailbox_id: int
    prospect: str  # the address the agent writes to


def tenant(db: Database, slug: str, smtp: SmtpServer, person: dict[str, Any]) -> Tenant:
    """A workspace that sends without approval, with a rep, one prospect enrolled at MONDAY,
    and the notices and the thread introduction switched on."""
    sender = json.loads(sample_file("prospects", "sender.json").read_text("utf-8"))
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug=slug, sender=sender,
                                 settings={"approval": {"mode": "never"}, "timezone": "UTC"})
        wid = ws.id or 0
        box = Mailbox(workspace_id=wid, email="maya@northwindlabs.io", display_name="Maya",
                      smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="none",
                      daily_cap=500, min_gap_seconds=0)
        s.add(box)
        s.add(Rep(workspace_id=wid, name="Ana Ruiz", email=f"ana@{slug}.example",
                  timezone="UTC", working_hours={"mon-sun": "00:00-24:00"}))
        s.add(Prospect(workspace_id=wid, timezone="UTC", language="en", **person))
        s.flush()
        save_routing(session=s, workspace_id=wid, now=MONDAY, config={
            "cc_rep_in_thread": True, "notifications": {"email": True}})
        s.refresh(ws)
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                         now=MONDAY)
        token = issue_token(session=s, workspace_id=wid, role="operator", name=slug).token
        return Tenant(wid, token, box.id or 0, person["email"])


@pytest.fixture
def world(database: Database, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[
        tuple[TestClient, Settings, Tenant, Tenant]]:
    acme = tenant(database, "acme", smtp_server, PEOPLE[0])
    bolt = tenant(database, "bolt", smtp_server, PEOPLE[1])
    settings = settings_for(database, tmp_path)
    with TestClient(create_app(settings, database, clock=monday)) as client:
        r = client.patch("/api/policy", headers=auth(acme.token),
                         json={"public_base_url": OWN, "classify_threshold": 0.8})
        assert r.status_code == 200, r.text
        yield client, settings, acme, bolt


def sent_to(smtp: SmtpServer, address: str) -> list[EmailMessage]:
    return [m.message for m in smtp.sink.messages if address in m.rcpt_tos]


def unsubscribe_link(message: EmailMessage) -> str:
    """The https link of the List-Unsubscribe header (the other one is a mailto:)."""
    links = [part.strip(" <>") for part in str(message["List-Unsubscribe"]).split(",")]
    (link,) = [x for x in links if x.startswith("http")]
    return link


def test_the_workspaces_emails_carry_its_own_unsubscribe_link(
        world: tuple[TestClient, Settings, Tenant, Tenant], database: Database,
        smtp_server: SmtpServer) -> None:
    client, settings, acme, bolt = world
    with open_agent(settings, database, clock=monday, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
    (to_acme,) = sent_to(smtp_server, acme.prospect)
    (to_bolt,) = sent_to(smtp_server, bolt.prospect)
    assert unsubscribe_link(to_acme).startswith(f"{OWN}/u/")
    assert unsubscribe_link(to_bolt).startswith(f"{PROCESS}/u/")
    # the link is a real one: its path, posted to the service, opts the prospect out
    r = client.post(urlsplit(unsubscribe_link(to_acme)).path,
                    data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200, r.text
    with database.session() as s:
        assert is_suppressed(session=s, workspace_id=acme.workspace_id, address=acme.prospect)


def test_the_workspaces_handoff_notices_link_to_its_own_address(
        world: tuple[TestClient, Settings, Tenant, Tenant], database: Database,
        smtp_server: SmtpServer) -> None:
    _, settings, acme, bolt = world
    with open_agent(settings, database, clock=monday, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
    handoffs: dict[int, int] = {}
    with database.session() as s:  # each prospect answered the first email: a handoff each
        for t in (acme, bolt):
            touch = s.exec(select(Touch).where(Touch.workspace_id == t.workspace_id,
                                               Touch.state == "sent")).one()
            reply = Reply(workspace_id=t.workspace_id, mailbox_id=t.mailbox_id, raw=b"x",
                          message_id=f"<r.{t.workspace_id}@prospect.example>",
                          subject="Re: hello", from_address=t.prospect, touch_id=touch.id,
                          prospect_id=touch.prospect_id, intent="interested",
                          state="processed")
            s.add(reply)
            s.flush()
            handoff = Handoff(workspace_id=t.workspace_id, prospect_id=touch.prospect_id,
                              enrollment_id=touch.enrollment_id, reply_id=reply.id,
                              intent="interested", priority=2, confidence=0.9,
                              created_at=MONDAY)
            s.add(handoff)
            s.flush()
            handoffs[t.workspace_id] = handoff.id or 0
    smtp_server.sink.messages.clear()
    notifier = WorkspaceNotifier(sender_for=sender_for_mailbox, signing_key=b"k",
                                 public_base_url=settings.public_base_url,
                                 environment=settings.environment)
    with database.session() as s:
        route_pending(session=s, now=MONDAY, notifier=notifier)
    for t, base in ((acme, OWN), (bolt, PROCESS)):
        rep = f"ana@{'acme' if t is acme else 'bolt'}.example"
        (notice,) = [m.message for m in smtp_server.sink.messages if m.rcpt_tos == [rep]]
        (intro,) = sent_to(smtp_server, t.prospect)  # the rep copied into the thread
        assert f"Open the ticket: {base}/tickets/{handoffs[t.workspace_id]}" in \
            notice.get_content().splitlines()
        assert unsubscribe_link(intro).startswith(f"{base}/u/")


def test_the_watcher_holds_the_workspaces_replies_to_its_own_threshold(
        world: tuple[TestClient, Settings, Tenant, Tenant], database: Database) -> None:
    """An "interested" at 0.7 is acted on under the process's 0.55 and left to a person
    under the workspace's 0.8."""
    _, settings, acme, bolt = world
    with open_agent(settings, database, clock=monday, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
    sources: dict[int, MemorySource] = {}
    with database.session() as s:
        for t in (acme, bolt):
            touch = s.exec(select(Touch).where(Touch.workspace_id == t.workspace_id,
                                               Touch.state == "sent")).one()
            sources[t.mailbox_id] = MemorySource()
            sources[t.mailbox_id].append("INBOX", reply_bytes(
                "Sounds interesting, tell me more.", sender=t.prospect,
                in_reply_to=touch.message_id, date=MONDAY + dt.timedelta(hours=1)))

    def source_for(mailbox: Mailbox, options: WatchOptions) -> MailSource:
        return sources[mailbox.id or 0]

    watch_once(db=database, settings=settings, mailbox_ids=list(sources),
               classify=scripted(intent="interested", confidence=0.7),
               source_factory=source_for, clock=lambda: MONDAY + dt.timedelta(hours=2))
    with database.session() as s:
        replies = {r.workspace_id: r for r in s.exec(select(Reply).order_by(col(Reply.id)))}
        waiting = s.exec(select(Enrollment).where(
            Enrollment.workspace_id == acme.workspace_id)).one()
    assert (replies[acme.workspace_id].state, replies[acme.workspace_id].action) == (
        "triage", "triage")
    assert replies[bolt.workspace_id].action == "handoff"
    assert waiting.state == "waiting"


@pytest.mark.parametrize(("change", "words"), [
    ({"public_base_url": "ftp://sdr.acme.example"}, "http(s) URL"),
    ({"public_base_url": "sdr.acme.example"}, "http(s) URL"),
    ({"classify_threshold": 1.5}, "less than or equal to 1"),
])
def test_bad_values_are_refused_naming_the_key(world: tuple[TestClient, Settings, Tenant, Tenant],
                                               change: dict[str, object], words: str) -> None:
    client, _, acme, _ = world
    r = client.patch("/api/policy", headers=auth(acme.token), json=change)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", *change] and words in problem["msg"]
    policy = client.get("/api/policy", headers=auth(acme.token)).json()
    assert (policy["public_base_url"], policy["classify_threshold"]) == (OWN, 0.8)


def test_null_puts_a_workspace_back_on_the_process_settings(
        world: tuple[TestClient, Settings, Tenant, Tenant]) -> None:
    client, settings, acme, _ = world
    r = client.patch("/api/policy", headers=auth(acme.token),
                     json={"public_base_url": None, "classify_threshold": None,
                           "domain_daily_cap": None})
    assert r.status_code == 200, r.text
    policy = r.json()
    assert (policy["public_base_url"], policy["classify_threshold"]) == (None, None)
    assert policy["domain_daily_cap"] == 20  # null leaves any other key as it was
    stored = client.get("/api/policy", headers=auth(acme.token)).json()
    assert settings.public_base_url_for(stored) == PROCESS
    assert settings.classify_threshold_for(stored) == settings.classify_threshold
