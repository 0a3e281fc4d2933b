"""The whole agency flow with no SQL anywhere (#11): every step is a command or an API call.

An operator sets up a client workspace, a mailbox (added, updated and tested against the real
servers), reps, prospects imported over the API and a custom playbook; drafts are approved,
edited and rejected from the CLI; the worker delivers over SMTP (aiosmtpd on loopback); replies
come back over IMAP (dovecot) and `watch` classifies them, hands off and routes at once; an
unclear reply is decided from `triage`; the rep's queue and the CRM export show the result; an
opt-out is suppressed everywhere. The test reads what it checks only from command output, the
API and the servers' sinks — never the database — so it proves an operator needs none.

The product reads the wall clock here (it is the product's clock, and dovecot stamps with it):
the playbook sends on every day at every hour and the flow never waits for a step's day, so
the outcome does not depend on the date this runs on.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cadenza.api.app import create_app
from cadenza.cli import app
from cadenza.config import Settings
from cadenza.demo import sample_file

from support.clock import wall_clock
from support.dovecot import ImapServer, append
from support.mail_builders import reply_bytes
from support.smtp import SmtpServer

runner = CliRunner()

PLAYBOOK = """\
name: agency-custom
description: One opener by the agent, a follow-up later, then the rep.
kind: outbound
business_days: false
timezone_policy: workspace
send_window: {start: "00:00", end: "23:59", days: [mon, tue, wed, thu, fri, sat, sun]}
steps:
  - {day: 1, channel: email, owner: agent, template: email_opener, name: opener}
  - {day: 9, channel: email, owner: agent, template: email_followup, name: follow-up}
  - {day: 12, channel: call, owner: rep, name: discovery call}
"""

RULES = """\
reps:
  - {email: ana@agency.example, name: Ana, working_hours: {mon-sun: "00:00-24:00"}}
"""


def _prospect(pid: str, first: str, email: str, company: str) -> dict[str, Any]:
    domain = email.split("@")[1]
    return {"id": pid, "first_name": first, "last_name": "Tester", "email": email,
            "title": "Head of Operations", "company": company, "company_domain": domain,
            "industry": "logistics", "country": "GB", "timezone": "Europe/London",
            "language": "en",
            "facts": [{"id": f"{pid}-f1", "kind": "news", "date": "2026-10-01",
                       "text": f"{company} opened a second warehouse in Leeds.",
                       "source": f"https://{domain}/news"}]}


PROSPECTS = [
    _prospect("p1", "Iris", "iris@northwind.example", "Northwind Freight"),
    _prospect("p2", "Uma", "uma@eastbay.example", "Eastbay Supply"),
    _prospect("p3", "Olga", "olga@southport.example", "Southport Logistics"),
    _prospect("p4", "Rita", "rita@westmoor.example", "Westmoor Haulage"),
]


def cli(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in ok, (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, result.output
    return result.output


def cli_json(*args: str) -> Any:
    return json.loads(cli(*args, "--json"))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, imap_server: ImapServer) -> Path:
    db = tmp_path / "agency.db"
    monkeypatch.setenv("CADENZA_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("CADENZA_WORKSPACE", "acme")
    monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", imap_server.password)
    monkeypatch.setenv("CADENZA_TEST_SMTP_PASSWORD", "unused")
    return db


@pytest.mark.slow  # a whole agency's day through the CLI, the API, dovecot and aiosmtpd
def test_an_agency_runs_a_client_without_sql(env: Path, tmp_path: Path,
                                             imap_server: ImapServer,
                                             smtp_server: SmtpServer) -> None:
    # --- set-up: workspace, mailbox, policy, reps, an API token
    cli("init", "--sender", str(sample_file("prospects/sender.json")), "--name", "Acme for Globex")
    box = f"flow-{uuid.uuid4().hex[:10]}"
    cli("mailbox", "add", "--email", "maya@acme.example", "--name", "Maya",
        "--smtp-host", smtp_server.host, "--smtp-port", str(smtp_server.port),
        "--smtp-security", "none", "--imap-host", imap_server.host,
        "--imap-port", str(imap_server.port), "--imap-security", "none", "--imap-user", box,
        "--imap-password", "env:CADENZA_TEST_IMAP_PASSWORD")
    cli("mailbox", "update", "maya@acme.example", "--daily-cap", "25", "--min-gap", "0",
        "--jitter", "0")
    shown = cli_json("mailbox", "show", "maya@acme.example")
    assert (shown["daily_cap"], shown["min_gap_seconds"], shown["jitter_seconds"]) == (25, 0, 0)
    tested = cli("mailbox", "test", "maya@acme.example")
    assert "smtp: ok" in tested and "imap: ok" in tested
    cli("workspace", "set", "approval.mode", "always")
    assert cli_json("workspace", "show", "acme")["policy"]["approval"]["mode"] == "always"
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    cli("handoff", "rules", str(rules))
    token = cli("token", "--name", "crm-sync").strip().split()[-1]

    # --- prospects over the API, enrolled in a custom playbook from the CLI
    api = TestClient(create_app(Settings(), clock=wall_clock))
    auth = {"Authorization": f"Bearer {token}"}
    batch = {**auth, "Idempotency-Key": "globex-batch-1"}
    imported = api.post("/api/prospects/bulk", json=PROSPECTS, headers=batch)
    assert imported.status_code == 200, imported.text
    assert imported.json()["counts"]["created"] == 4
    again = api.post("/api/prospects/bulk", json=PROSPECTS, headers=batch)  # a client's retry
    assert again.json() == imported.json() and again.headers["Idempotent-Replayed"] == "true"
    assert len(api.get("/api/prospects", headers=auth).json()) == 4
    playbook = tmp_path / "agency-custom.yaml"
    playbook.write_text(PLAYBOOK)
    assert "enrolled 4 in agency-custom" in cli("enroll", "--playbook", str(playbook))

    # --- drafts wait for a person: approve two, edit one, reject one, all from the CLI
    cli("worker", "--once")
    waiting = cli_json("approvals", "list")
    by_email = {a["prospect"]["email"]: a["touch"]["id"] for a in waiting}
    assert set(by_email) == {p["email"] for p in PROSPECTS}
    cli("approvals", "approve", str(by_email["iris@northwind.example"]))
    cli("approvals", "approve", str(by_email["uma@eastbay.example"]))
    new_body = tmp_path / "olga.txt"
    new_body.write_text("Hi Olga,\n\nCongratulations on the Leeds warehouse. We help freight "
                        "teams plan dock slots so trucks stop queueing. Worth a short call "
                        "next week?\n\nMaya")
    cli("approvals", "edit", str(by_email["olga@southport.example"]), "--body-file",
        str(new_body))
    cli("approvals", "reject", str(by_email["rita@westmoor.example"]), "--note", "not ICP")
    cli("worker", "--once")
    sent = {m.rcpt_tos[0]: m for m in smtp_server.sink.messages}
    assert set(sent) == {"iris@northwind.example", "uma@eastbay.example",
                         "olga@southport.example"}
    edited = sent["olga@southport.example"].message.get_body(("plain",)).get_content()
    sender = json.loads(sample_file("prospects/sender.json").read_text())
    assert "dock slots" in edited  # the person's words, with the compliance footer added back
    assert " ".join(sender["postal_address"].split()) in edited

    # --- replies come back over IMAP: interested, unclear, opt-out
    def reply(to_email: str, who: str, body: str) -> None:
        original = sent[to_email].message
        append(imap_server, box, reply_bytes(
            body, sender=f"{who} <{to_email}>", to="Maya <maya@acme.example>",
            subject=f"Re: {original['Subject']}", in_reply_to=original["Message-ID"]))

    reply("iris@northwind.example", "Iris Tester",
          "This is timely. Can you send pricing for 12 docks? Happy to talk next week.")
    reply("uma@eastbay.example", "Uma Tester", "hmm")
    reply("olga@southport.example", "Olga Tester", "Please remove me from your list.")
    watched = cli("watch", "--once")
    assert "from iris@northwind.example" in watched and "handoff" in watched
    assert "from olga@southport.example: unsubscribe" in watched

    # --- the unclear one is a person's decision
    (item,) = cli_json("triage", "list")
    assert item["reply"]["from_address"] == "uma@eastbay.example"
    cli("triage", "resolve", str(item["reply"]["id"]), "interested")
    cli("handoff", "route")

    # --- the rep's queue, the rep told, the export, the suppression
    queue = cli_json("queue", "--rep-email", "ana@agency.example")
    assert {h["company"] for h in queue} == {"Northwind Freight", "Eastbay Supply"}
    notices = [m for m in smtp_server.sink.messages if m.rcpt_tos == ["ana@agency.example"]]
    assert len(notices) == 2
    exported = cli("export", "handoffs", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["prospect_email"] for r in rows} == {"iris@northwind.example",
                                                   "uma@eastbay.example"}
    suppressed = {s["value"] for s in cli_json("suppressions", "list")}
    assert "olga@southport.example" in suppressed
    emails = {p["id"]: p["email"] for p in cli_json("prospects", "list")}
    states = {emails[e["prospect_id"]]: (e["state"], e["stop_reason"])
              for e in cli_json("enrollments", "list")}
    assert states["olga@southport.example"][0] == "stopped"
    assert states["iris@northwind.example"] == ("stopped", "interested")
    assert states["rita@westmoor.example"][0] == "active"  # rejected opener; the cadence goes on

    # --- nothing more goes to anyone who replied
    before = len(smtp_server.sink.messages)
    cli("worker", "--once")
    after = [m.rcpt_tos[0] for m in smtp_server.sink.messages[before:]]
    assert not set(after) & {"iris@northwind.example", "uma@eastbay.example",
                             "olga@southport.example"}
