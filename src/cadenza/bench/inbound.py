"""Speed to lead: inbound leads posted to the real API (uvicorn on loopback), each first touch
drafted by the template drafter, checked and delivered over SMTP to an aiosmtpd process.

Arrival → delivered is what the product logs (``lead.contacted``: the request's arrival and
the touch's ``sent_at``). The baseline, measured in the same run against the same SMTP server:
composing and sending the very same messages with the bare SMTP transport — the floor any
path to the prospect's inbox pays.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import col, select

from cadenza.bench import machine
from cadenza.bench.delivery import _free_port, _prospect_rows, _sample_sender, _wait_port
from cadenza.config import Settings
from cadenza.store import Database
from cadenza.store.models import Event, Mailbox, Touch, utcnow
from cadenza.store.workspaces import ensure_workspace

#: Open at every hour of every day, so the figures do not depend on when the bench runs.
ALWAYS_OPEN = ("name: bench-inbound\nkind: inbound\nbusiness_days: false\nsend_window: "
               "{start: '00:00', end: '23:59', days: [mon, tue, wed, thu, fri, sat, sun]}\n"
               "steps:\n  - {day: 1, channel: email, owner: agent, template: email_opener}\n"
               "  - {day: 2, channel: call, owner: rep}\n")


def bench_inbound(n: int = 50, *, spacing: float = 0.2) -> dict[str, Any]:
    """``n`` leads, one every ``spacing`` seconds (after one warm-up lead that opens the
    agent), each posted to ``POST /api/leads``; figures in milliseconds."""
    workdir = Path(tempfile.mkdtemp(prefix="cadenza-bench-inbound-"))
    smtp_port, api_port = _free_port(), _free_port()
    smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(smtp_port)
        settings = Settings(database_url=f"sqlite:///{workdir / 'bench.db'}", home=workdir,
                            secret_key="bench-secret-key-for-inbound-leads-0123456789",
                            checkpoint_url=f"sqlite:///{workdir / 'checkpoints.db'}")
        db = Database(settings.database_url)
        db.migrate()
        token = _workspace(db, smtp_port, n)
        ours = _post_leads(settings, db, api_port, token, n, spacing)
        base = _bare_sends(db, smtp_port)
        db.dispose()
    finally:
        smtp.terminate()
        smtp.wait(timeout=10)
    p95, base_p95 = ours["arrival_to_delivered_ms"]["p95"], base["p95"]
    return {"benchmark": "inbound", "n": n, "leads_per_s": round(1 / spacing, 1), **ours,
            "target_p95_ms": 2000, "within_target": p95 is not None and p95 < 2000,
            "baseline": {"name": "compose + bare SMTP send of the same messages, same server",
                         "ms": base},
            "speedup": round(base_p95 / p95, 4) if p95 else None, "machine": machine()}


def _workspace(db: Database, smtp_port: int, n: int) -> str:
    from cadenza.playbooks import parse_playbook
    from cadenza.store.playbooks import save_playbook
    from cadenza.store.tokens import create_token

    sender = json.loads(_sample_sender())
    loaded = parse_playbook(ALWAYS_OPEN, origin="bench")
    with db.session() as s:
        ws, _ = ensure_workspace(session=s, slug="bench", sender=sender, settings={
            "approval": {"mode": "never"}, "domain_daily_cap": 100_000, "timezone": "UTC",
            "inbound_playbook": "bench-inbound"})
        s.add(Mailbox(workspace_id=ws.id or 0, email=sender["sender"]["email"],
                      smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none",
                      daily_cap=10 * n + 10, min_gap_seconds=0, jitter_seconds=0))
        save_playbook(session=s, workspace_id=ws.id or 0, name=loaded.spec.name,
                      content_hash=loaded.content_hash,
                      definition=loaded.spec.model_dump(mode="json"), source_yaml=loaded.source)
        return create_token(session=s, workspace_id=ws.id or 0, role="operator", name="bench")


def _post_leads(settings: Settings, db: Database, port: int, token: str, n: int,
                spacing: float) -> dict[str, Any]:
    import uvicorn

    from cadenza.api.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(settings, db), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_port(port)
    leads = _prospect_rows(n + 1)
    answers: list[float] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            started = time.perf_counter()
            _post(client, leads[0])
            _wait_contacted(db, 1)
            warm_up = time.perf_counter() - started
            for lead in leads[1:]:
                t0 = time.perf_counter()
                _post(client, lead)
                answers.append(time.perf_counter() - t0)
                time.sleep(max(0.0, spacing - (time.perf_counter() - t0)))
            _wait_contacted(db, n + 1)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    with db.session() as s:
        data = list(s.exec(select(Event.data).where(Event.kind == "lead.contacted")
                           .order_by(col(Event.id))).all())[1:]
    seconds = sorted(float(d["seconds"]) for d in data)
    return {"delivered": len(seconds),
            "arrival_to_delivered_ms": _figures(seconds),
            "api_answer_ms": _figures(sorted(answers)),
            "first_lead_ms": round(warm_up * 1000, 1)}


def _post(client: httpx.Client, lead: dict[str, Any]) -> None:
    lead = {**lead, "id": f"lead-{lead['id']}", "timezone": "UTC"}
    answer = client.post("/api/leads", json={"prospect": lead})
    if answer.status_code != 202 or answer.json()["status"] != "queued":
        raise RuntimeError(f"lead not queued: {answer.status_code} {answer.text}")


def _wait_contacted(db: Database, count: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as s:
            done = len(s.exec(select(Event.id).where(Event.kind == "lead.contacted")).all())
        if done >= count:
            return
        time.sleep(0.05)
    raise RuntimeError(f"only {done} of {count} leads were contacted in {timeout:.0f} s")


def _bare_sends(db: Database, port: int) -> dict[str, float | None]:
    """Compose and send each delivered touch's message again, with the bare SMTP client."""
    from cadenza.mailbox.compose import compose_email
    from cadenza.mailbox.smtp import SMTPSender

    with db.session() as s:
        touches = s.exec(select(Touch).where(Touch.state == "sent")
                         .order_by(col(Touch.id))).all()
        box = s.exec(select(Mailbox)).one()
    transport = SMTPSender(host="127.0.0.1", port=port, security="none")
    times: list[float] = []
    try:
        for i, t in enumerate(touches[1:]):
            t0 = time.perf_counter()
            message = compose_email(from_name="Bench", from_address=box.email,
                                    to_address=t.to_address, subject=t.subject, text=t.body,
                                    html=t.html, message_id=f"<bare-{i}@bench.example>",
                                    unsubscribe_url="https://bench.example/u/x",
                                    date=utcnow())
            transport.send(message, envelope_from=box.email, recipients=[t.to_address])
            times.append(time.perf_counter() - t0)
    finally:
        transport.close()
    return _figures(sorted(times))


def _figures(values: list[float]) -> dict[str, float | None]:
    """p50, p95 and max of sorted seconds, in milliseconds (nearest rank)."""
    if not values:
        return {"p50": None, "p95": None, "max": None}
    p95 = values[max(0, math.ceil(0.95 * len(values)) - 1)]
    return {"p50": round(statistics.median(values) * 1000, 1), "p95": round(p95 * 1000, 1),
            "max": round(values[-1] * 1000, 1)}

