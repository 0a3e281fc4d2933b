"""Seed data for API tests: a workspace with two reps, tokens, and one of everything."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.config import Settings
from cadenza.demo import sample_file
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.events import record_event
from cadenza.store.models import (
    Enrollment,
    Fact,
    Handoff,
    Mailbox,
    Playbook,
    Prospect,
    Rep,
    Reply,
    Task,
    Touch,
    WebhookDelivery,
    WebhookSubscription,
    Workspace,
)
from cadenza.store.tokens import issue_token
from cadenza.store.workspaces import ensure_workspace

MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def monday() -> dt.datetime:
    """The clock of every app under test (``create_app(..., clock=monday)``): the seeded data
    and the agent run at MONDAY too."""
    return MONDAY


@dataclass
class Tenant:
    workspace_id: int
    operator: str
    reps: list[int] = field(default_factory=list)
    rep_tokens: dict[int, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)  # clear token -> its id
    handoffs: dict[int, int] = field(default_factory=dict)  # rep id -> handoff id
    prospect_id: int = 0
    enrollment_id: int = 0
    touch_id: int = 0
    reply_id: int = 0
    triage_reply_id: int = 0
    task_id: int = 0
    mailbox_id: int = 0
    webhook_id: int = 0
    delivery_id: int = 0

    def ids(self) -> dict[str, int]:
        """One id per path parameter name of the API."""
        return {"prospect_id": self.prospect_id, "enrollment_id": self.enrollment_id,
                "touch_id": self.touch_id, "reply_id": self.triage_reply_id,
                "task_id": self.task_id, "handoff_id": next(iter(self.handoffs.values())),
                "rep_id": self.reps[0], "token_id": self.token_ids[self.rep_tokens[self.reps[1]]],
                "mailbox_id": self.mailbox_id, "webhook_id": self.webhook_id,
                "delivery_id": self.delivery_id}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def message(sender: str, text: str) -> bytes:
    """A real RFC 5322 reply: the ticket re-parses replies from their raw bytes."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "maya@northwindlabs.io", "Re: Quick idea"
    msg.set_content(text)
    return msg.as_bytes()


def seed_tenant(db: Database, slug: str, *, reply_text: str = "Sounds good, tell me more.",
                prospect_name: str = "Dana") -> Tenant:
    sent = MONDAY - dt.timedelta(minutes=10)  # the apps run at MONDAY: the thread is recent
    with db.session() as s:
        ws = Workspace(slug=slug, name=slug.title(), settings={"approval": {"mode": "always"}})
        s.add(ws)
        s.flush()
        wid = ws.id or 0
        reps = [Rep(workspace_id=wid, name=f"Rep {i}", email=f"rep{i}@{slug}.example")
                for i in (1, 2)]
        s.add_all(reps)
        book = Playbook(workspace_id=wid, name="pb", content_hash="h" * 64, definition={})
        prospect = Prospect(workspace_id=wid, email=f"dana@{slug}-client.example",
                            first_name=prospect_name, last_name="Ruiz", company="Kestrel",
                            linkedin_url="https://www.linkedin.com/in/dana")
        s.add_all([book, prospect])
        s.flush()
        pid = prospect.id or 0
        s.add(Fact(prospect_id=pid, key="f1", kind="funding", text="Raised a Series B"))
        enrollment = Enrollment(workspace_id=wid, prospect_id=pid, playbook_id=book.id or 0,
                                state="stopped")
        s.add(enrollment)
        s.flush()
        touch = Touch(workspace_id=wid, enrollment_id=enrollment.id or 0, prospect_id=pid,
                      step=1, channel="email", state="sent", subject="Quick idea",
                      body="Hi Dana, a quick idea.", fact_ids=["f1"], sent_at=sent)
        task_touch = Touch(workspace_id=wid, enrollment_id=enrollment.id or 0,
                           prospect_id=pid, step=2, channel="linkedin_connect",
                           state="task_open", body="Hi Dana, let us connect.")
        s.add_all([touch, task_touch])
        s.flush()
        reply = Reply(workspace_id=wid, raw=message(prospect.email, reply_text),
                      state="processed",
                      from_address=prospect.email, subject="Re: Quick idea", text=reply_text,
                      touch_id=touch.id, prospect_id=pid, intent="interested", confidence=0.9,
                      received_at=sent + dt.timedelta(minutes=5))
        unsure = Reply(workspace_id=wid, raw=message(prospect.email, "hmm, maybe?"),
                       state="triage", uid=2,
                       from_address=prospect.email, subject="Re: Quick idea",
                       text="hmm, maybe?", touch_id=touch.id, prospect_id=pid,
                       intent="unclear", confidence=0.3)
        s.add_all([reply, unsure])
        s.flush()
        task = Task(workspace_id=wid, kind="linkedin_connect", touch_id=task_touch.id,
                    prospect_id=pid, title="Send LinkedIn connection request: Dana Ruiz",
                    body="Hi Dana, let us connect.", link=prospect.linkedin_url)
        triage = Task(workspace_id=wid, kind="triage", reply_id=unsure.id, prospect_id=pid,
                      title="Triage a reply")
        s.add_all([task, triage])
        tenant = Tenant(workspace_id=wid, operator="", prospect_id=pid,
                        enrollment_id=enrollment.id or 0, touch_id=touch.id or 0,
                        reply_id=reply.id or 0, triage_reply_id=unsure.id or 0)
        for rep in reps:
            h = Handoff(workspace_id=wid, prospect_id=pid, enrollment_id=enrollment.id,
                        reply_id=reply.id, rep_id=rep.id, intent="interested", priority=2,
                        confidence=0.9, summary="Wants to learn more",
                        suggested_reply="Hi Dana, happy to. Does Tuesday work?",
                        created_at=sent + dt.timedelta(minutes=6),
                        sla_due_at=MONDAY + dt.timedelta(minutes=15))
            s.add(h)
            s.flush()
            tenant.reps.append(rep.id or 0)
            tenant.handoffs[rep.id or 0] = h.id or 0
        box = Mailbox(workspace_id=wid, email=f"maya@{slug}.example",
                      smtp_password_ref="env:SMTP_PW")
        s.add(box)
        s.flush()
        tenant.task_id, tenant.mailbox_id = task.id or 0, box.id or 0
        # a webhook with one delivery made: logged before the subscription, so nothing is
        # pending (no test may send to its address)
        event_id = record_event(session=s, kind="touch.sent", workspace_id=wid,
                                touch_id=touch.id, prospect_id=pid)
        hook = WebhookSubscription(workspace_id=wid, url=f"https://hooks.{slug}.example/h",
                                   secret_ref="env:HOOK_SECRET", event_types=["touch.sent"])
        s.add(hook)
        s.flush()
        delivery = WebhookDelivery(workspace_id=wid, subscription_id=hook.id,
                                   event_id=event_id, state="delivered", url=hook.url,
                                   event="touch.sent", attempt=1, ok=True, status_code=200,
                                   delivered_at=sent)
        s.add(delivery)
        s.flush()
        tenant.webhook_id, tenant.delivery_id = hook.id or 0, delivery.id or 0
        issued = issue_token(session=s, workspace_id=wid, role="operator",
                             name=f"{slug}-operator")
        tenant.operator, tenant.token_ids[issued.token] = issued.token, issued.row.id or 0
        for rep_id in tenant.reps:
            issued = issue_token(session=s, workspace_id=wid, role="rep", rep_id=rep_id,
                                 name=f"{slug}-rep-{rep_id}")
            tenant.rep_tokens[rep_id] = issued.token
            tenant.token_ids[issued.token] = issued.row.id or 0
    return tenant


# -- a workspace whose agent waits for approval, mail going to the test SMTP server ------------


def approval_world(db: Database, settings: Settings, *, smtp_port: int) -> tuple[int, list[int]]:
    """Enroll two prospects in a workspace in approval mode "always" and run the scheduler once:
    returns the workspace id and the touches now waiting for a person."""
    sender = json.loads(sample_file("prospects", "sender.json").read_text("utf-8"))
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="acme", sender=sender,
                                 settings={"approval": {"mode": "always"}, "timezone": "UTC"})
        s.add(Mailbox(workspace_id=ws.id or 0, email="maya@northwindlabs.io",
                      display_name="Maya", smtp_host="127.0.0.1", smtp_port=smtp_port,
                      smtp_security="none", daily_cap=500, min_gap_seconds=0))
        for person in PEOPLE:
            s.add(Prospect(workspace_id=ws.id or 0, timezone="UTC", language="en", **person))
        s.flush()
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                         now=MONDAY)
        workspace_id = ws.id or 0
    with open_agent(settings, db, clock=lambda: MONDAY, jitter=(0.0, 0.0)) as agent:
        report = agent.scheduler.tick()
    waiting = [r.touch_id for r in report.results if r.outcome == "waiting"]
    assert len(waiting) == 2, report
    return workspace_id, waiting


PEOPLE = [
    {"external_id": "p1", "email": "dana@kestrelfreight.example", "first_name": "Dana",
     "last_name": "Ruiz", "company": "Kestrel Freight", "company_domain": "kestrelfreight.example",
     "title": "VP Operations", "linkedin_url": "https://www.linkedin.com/in/dana-ruiz"},
    {"external_id": "p2", "email": "li.wei@haldenhealth.example", "first_name": "Li",
     "last_name": "Wei", "company": "Halden Health", "company_domain": "haldenhealth.example",
     "title": "Head of RevOps", "linkedin_url": "https://www.linkedin.com/in/li-wei"},
]


def settings_for(db: Database, tmp: Path) -> Settings:
    return Settings(database_url=db.url, home=tmp / "home", secret_key="test-secret-key",
                    checkpoint_url=f"sqlite:///{tmp / 'checkpoints.db'}")
