"""A small world for agent tests: a workspace, a mailbox on the test SMTP server, prospects."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import Agent
from cadenza.config import Settings
from cadenza.demo import sample_file
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.models import Enrollment, Mailbox, Prospect, Workspace
from cadenza.store.workspaces import ensure_workspace

from support.clock import MONDAY, Clock
from support.smtp import SmtpServer


@dataclass
class World:
    db: Database
    settings: Settings
    workspace: Workspace
    mailbox_id: int


def sender() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sample_file("prospects", "sender.json").read_text("utf-8"))
    return data


def make_world(db: Database, tmp: Path, *, smtp_port: int, approval: str = "never",
               settings_extra: dict[str, Any] | None = None, daily_cap: int = 500,
               sent_folder: str = "", imap_port: int = 0,
               sender_data: dict[str, Any] | None = None) -> World:
    url = db.url
    # SQLite databases keep checkpoints in a sibling file; PostgreSQL ones use the Postgres
    # saver in the same database (checkpoint_url unset), as in production
    settings = Settings(database_url=url, home=tmp / "home", secret_key="test-secret-key",
                        checkpoint_url=(f"sqlite:///{tmp / 'checkpoints.db'}"
                                        if db.is_sqlite else None))
    ws_settings = {"approval": {"mode": approval}, "timezone": "UTC", **(settings_extra or {})}
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme", sender=sender_data or sender(),
                                 settings=ws_settings)
        box = Mailbox(workspace_id=ws.id or 0, email="maya@northwindlabs.io",
                      display_name="Maya", smtp_host="127.0.0.1", smtp_port=smtp_port,
                      smtp_security="none", daily_cap=daily_cap, min_gap_seconds=0,
                      imap_host="127.0.0.1" if imap_port else "", imap_port=imap_port,
                      imap_security="none", imap_username="maya@northwindlabs.io",
                      imap_password_ref="env:CADENZA_TEST_IMAP_PASSWORD" if imap_port else "",
                      sent_folder=sent_folder)
        s.add(box)
        s.flush()
        return World(db=db, settings=settings, workspace=ws, mailbox_id=box.id or 0)


def add_prospects(world: World, rows: list[dict[str, Any]]) -> None:
    with world.db.session() as s:
        for r in rows:
            s.add(Prospect(workspace_id=world.workspace.id or 0, external_id=r["id"],
                           email=r["email"], first_name=r.get("first_name", ""),
                           last_name=r.get("last_name", ""), company=r.get("company", ""),
                           company_domain=r.get("company_domain", ""),
                           title=r.get("title", ""), country=r.get("country", ""),
                           timezone=r.get("timezone", "UTC"),
                           linkedin_url=r.get("linkedin_url", ""),
                           language=r.get("language", "en")))


def enroll(world: World, playbook: str = "ai-sdr-first-four",
           now: dt.datetime = MONDAY) -> None:
    with world.db.session() as s:
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin(playbook), now=now)


PEOPLE = [
    {"id": "p1", "email": "dana@kestrelfreight.example", "first_name": "Dana",
     "last_name": "Ruiz", "company": "Kestrel Freight", "company_domain": "kestrelfreight.example",
     "title": "VP Operations", "linkedin_url": "https://www.linkedin.com/in/dana-ruiz"},
    {"id": "p2", "email": "li.wei@haldenhealth.example", "first_name": "Li", "last_name": "Wei",
     "company": "Halden Health", "company_domain": "haldenhealth.example",
     "title": "Head of RevOps", "linkedin_url": "https://www.linkedin.com/in/li-wei"},
]


def walk(agent: Agent, world: World, clock: Clock, days: int = 21) -> None:
    """Tick the scheduler, jumping the clock to the next due time, like the demo does."""
    end = clock.now + dt.timedelta(days=days)
    while clock.now < end:
        agent.scheduler.tick()
        with world.db.session() as s:
            # a claimed enrollment keeps its due time while its touch is in flight or held
            # for a person: it is not due again until someone writes it a new one
            due = [e.next_due_at for e in s.exec(select(Enrollment).where(
                Enrollment.state == "active", col(Enrollment.claimed_at).is_(None)))
                if e.next_due_at is not None]
        if not due:
            return
        clock.now = max(min(due), clock.now + dt.timedelta(seconds=1))


def two_mailbox_world(db: Database, tmp: Path, smtp: SmtpServer, *, people: int, domains: int,
           daily_cap: int, gap: int, domain_cap: int = 100) -> tuple[World, list[int]]:
    """``people`` prospects over ``domains`` recipient domains, enrolled, their first email
    due; two mailboxes share them (alternately), with these caps and no jitter."""
    world = make_world(db, tmp, smtp_port=smtp.port, daily_cap=daily_cap,
                       settings_extra={"domain_daily_cap": domain_cap})
    with db.session() as s:
        first = s.get(Mailbox, world.mailbox_id)
        assert first is not None
        first.min_gap_seconds, first.jitter_seconds = gap, 0
        second = Mailbox(workspace_id=first.workspace_id, email="leo@northwindlabs.io",
                         display_name="Leo", smtp_host="127.0.0.1", smtp_port=smtp.port,
                         smtp_security="none", daily_cap=daily_cap, min_gap_seconds=gap,
                         jitter_seconds=0)
        s.add_all([first, second])
        s.flush()
        boxes = [world.mailbox_id, second.id or 0]
    add_prospects(world, [{"id": f"w{i}", "email": f"p{i}@d{i % domains}.example",
                           "first_name": "Robin"} for i in range(people)])
    enroll(world)
    with db.session() as s:
        for n, enrollment in enumerate(s.exec(select(Enrollment).order_by(col(Enrollment.id)))):
            enrollment.mailbox_id = boxes[n % 2]
            s.add(enrollment)
    return world, boxes
