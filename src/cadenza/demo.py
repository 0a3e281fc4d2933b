"""``cadenza demo``: the real main job, offline, on embedded defaults.

A temporary SQLite workspace with the sample sender and prospects, the default playbook, the
template drafter and checker, and delivery over real SMTP to an aiosmtpd sink started in this
process (each message is also written to ``outbox/`` as an .eml file). A simulated clock walks
the cadence day by day, so the four agent touches of three weeks play out in seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from cadenza.agent.enrollment import EnrollReport, enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.config import Settings
from cadenza.evals.datasets import dataset_file
from cadenza.importer import ImportReport, import_prospects
from cadenza.playbooks import load_builtin
from cadenza.sender import SenderProfile
from cadenza.store import Database
from cadenza.store.models import Enrollment, Handoff, Mailbox, Prospect, Task, Touch
from cadenza.store.workspaces import ensure_workspace

START = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)  # a Monday morning


sample_file = dataset_file  # the demo's sample data is the shipped evaluation data


class SimClock:
    """A clock the demo moves forward by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class DemoTouch:
    prospect: str
    email: str
    step: int
    channel: str
    state: str
    when: dt.datetime | None
    subject: str
    first_line: str
    facts: list[str]
    reason: str


@dataclass
class DemoResult:
    """What the demo did, for the CLI to print."""

    workdir: Path
    imported: ImportReport
    enrolled: EnrollReport
    touches: list[DemoTouch] = field(default_factory=list)
    delivered: int = 0
    enrollments: dict[str, int] = field(default_factory=dict)
    handoffs: int = 0
    tasks: dict[str, int] = field(default_factory=dict)
    days: int = 0


class _OutboxSink:
    """aiosmtpd handler: keeps a count and writes each message as an .eml file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = bytes(envelope.original_content or envelope.content)
        self.count += 1
        name = hashlib.sha256(data).hexdigest()[:16]
        (self.folder / f"{self.count:04d}-{name}.eml").write_bytes(data)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_demo(*, workdir: Path | None = None, limit: int | None = None,
             days: int = 21) -> DemoResult:
    """Run the demo in ``workdir`` (a new temporary folder by default)."""
    from aiosmtpd.controller import Controller

    workdir = workdir or Path(tempfile.mkdtemp(prefix="cadenza-demo-"))
    outbox = workdir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    sender = SenderProfile.model_validate_json(
        sample_file("prospects", "sender.json").read_text("utf-8"))
    settings = Settings(database_url=f"sqlite:///{workdir / 'demo.db'}", home=workdir,
                        public_base_url="http://127.0.0.1:8000")
    db = Database(settings.database_url)
    db.migrate()
    sink = _OutboxSink(outbox)
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    clock = SimClock(START)
    try:
        with db.session() as s:
            ws, _ = ensure_workspace(session=s, slug="demo", name="Demo agency",
                                     sender=sender.model_dump(mode="json"),
                                     settings={"approval": {"mode": "never"},
                                               "timezone": "Europe/London"})
            s.add(Mailbox(workspace_id=ws.id or 0, email=sender.sender.email,
                          display_name=f"{sender.sender.first_name} {sender.sender.last_name}",
                          smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                          daily_cap=1000, min_gap_seconds=0))
            s.flush()
            path = sample_file("prospects", "prospects.jsonl")
            imported = import_prospects(session=s, workspace_id=ws.id or 0, path=path)
            ids = None
            if limit is not None:
                ids = [p.external_id for p in s.exec(select(Prospect).order_by(
                    col(Prospect.id)).limit(limit))]
            enrolled = enroll_prospects(session=s, workspace=ws,
                                        playbook=load_builtin("ai-sdr-first-four"),
                                        external_ids=ids, now=clock.now)
        result = DemoResult(workdir=workdir, imported=imported, enrolled=enrolled)
        with open_agent(settings, db, clock=clock, jitter=(0.0, 0.0), batch=500) as agent:
            end = START + dt.timedelta(days=days)
            while clock.now < end:
                agent.scheduler.tick()
                with db.session() as s:
                    nxt = s.exec(select(func.min(Enrollment.next_due_at)).where(
                        Enrollment.state == "active",
                        col(Enrollment.claimed_at).is_(None))).one()
                if nxt is None:
                    break
                nxt = nxt if nxt.tzinfo else nxt.replace(tzinfo=dt.UTC)
                clock.now = max(nxt, clock.now + dt.timedelta(seconds=1))
            result.days = (clock.now - START).days
        _summarise(db, result)
        result.delivered = sink.count
    finally:
        controller.stop()
        db.dispose()
    return result


def _summarise(db: Database, result: DemoResult) -> None:
    with db.session() as s:
        for touch, prospect in s.exec(select(Touch, Prospect).join(
                Prospect, col(Prospect.id) == Touch.prospect_id)
                .order_by(col(Prospect.id), col(Touch.step))):
            name = " ".join(p for p in (prospect.first_name, prospect.last_name) if p)
            lines = [ln.strip() for ln in touch.body.splitlines() if ln.strip()]
            first = next((ln for ln in lines[1:] if len(ln) > 20), lines[0] if lines else "")
            result.touches.append(DemoTouch(
                prospect=name or prospect.external_id, email=prospect.email, step=touch.step,
                channel=touch.channel, state=touch.state,
                when=touch.sent_at or touch.updated_at, subject=touch.subject,
                first_line=first[:110], facts=list(touch.fact_ids), reason=touch.reason))
        for state, n in s.exec(select(Enrollment.state, func.count())
                               .group_by(col(Enrollment.state))):
            result.enrollments[state] = int(n)
        result.handoffs = int(s.exec(select(func.count()).select_from(Handoff)).one())
        for kind, n in s.exec(select(Task.kind, func.count()).group_by(col(Task.kind))):
            result.tasks[kind] = int(n)
