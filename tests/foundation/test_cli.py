"""The CLI's contract: commands work on embedded defaults and exit codes scripts can trust."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_help_everywhere() -> None:
    for args in ([], ["init"], ["import"], ["enroll"], ["playbooks"], ["playbooks", "validate"],
                 ["status"]):
        code, out = _invoke(*args, "--help")
        assert code == 0 and "Usage" in out, args


@pytest.mark.calendar
@pytest.mark.slow  # an end-to-end run through four commands
def test_init_import_enroll_status(tmp_path: Path) -> None:
    code, out = _invoke("init", "--workspace", "acme")
    assert code == 0 and "workspace acme created" in out
    assert Path("cadenza.db").exists()
    code, out = _invoke("init", "--workspace", "acme")
    assert code == 0 and "exists" in out
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "p1", "email": "a@example.com", "timezone": "UTC"},
        {"id": "p2", "email": "bad"},
    ]) + "\n")
    report = tmp_path / "report.jsonl"
    code, out = _invoke("import", str(path), "-w", "acme", "--report", str(report))
    assert code == 3, out                       # partial: one row rejected
    assert "p.jsonl:2: rejected: invalid email" in out
    rows = [json.loads(x) for x in report.read_text().splitlines()]
    assert rows == [{"file": str(path), "line": 2, "id": "p2", "email": "bad",
                     "outcome": "rejected", "reason": "invalid email 'bad'", "field": "email",
                     "warnings": []}]
    code, out = _invoke("import", str(path), "-w", "acme")
    assert code == 3 and "unchanged" in out
    code, out = _invoke("enroll", "-w", "acme", "--playbook", "hybrid")
    assert code == 0 and "enrolled 1 in hybrid" in out
    code, out = _invoke("status", "-w", "acme")
    assert code == 0 and "active" in out


def test_unknown_playbook_and_workspace_exit_2() -> None:
    assert _invoke("init")[0] == 0
    code, out = _invoke("enroll", "--playbook", "no-such-playbook")
    assert code == 2 and "no built-in playbook" in out
    code, out = _invoke("status", "-w", "ghost")
    assert code == 2 and "cadenza init --workspace ghost" in out


def test_playbooks_commands(tmp_path: Path) -> None:
    code, out = _invoke("playbooks", "list")
    assert code == 0 and "ai-sdr-first-four" in out and "hybrid" in out
    code, out = _invoke("playbooks", "show", "hybrid")
    assert code == 0 and "linkedin_connect" in out
    good = tmp_path / "good.yaml"
    good.write_text("name: mine\nsteps:\n  - {day: 1, channel: email, template: email_opener}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: mine\nsteps:\n  - {day: 0, channel: email, template: email_opener}\n")
    code, out = _invoke("playbooks", "validate", str(good))
    assert code == 0
    code, out = _invoke("playbooks", "validate", str(good), str(bad))
    assert code == 2 and f"{bad}:3" in out and "steps.0.day" in out


def test_unreachable_database_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, out = _invoke("init")
    assert code == 1 and "cannot reach the database" in out


def test_commands_before_init_say_so() -> None:
    code, out = _invoke("status")
    assert code == 1 and "cadenza init" in out


def test_mailbox_add_refuses_clear_passwords() -> None:
    assert _invoke("init")[0] == 0
    code, out = _invoke("mailbox", "add", "--email", "maya@northwind.example",
                        "--smtp-password", "hunter2")
    assert code == 2 and "reference" in out
    code, out = _invoke("mailbox", "add", "--email", "maya@northwind.example",
                        "--smtp-password", "env:SMTP_PASSWORD", "--smtp-port", "2525")
    assert code == 0
    code, out = _invoke("mailbox", "list")
    assert code == 0 and "maya@" in out and "hunter2" not in out


def test_classify_contract(tmp_path: Path) -> None:
    good = tmp_path / "a.eml"
    good.write_bytes(b"From: Dana <dana@example.com>\r\nTo: maya@northwind.example\r\n"
                     b"Subject: Re: hi\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n"
                     b"Please remove me from your list.\r\n")
    bad = tmp_path / "b.eml"
    bad.write_bytes(b"\x00\xff\xfe garbage")
    result = runner.invoke(app, ["classify", str(tmp_path)])
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    by_file = {x["file"]: x for x in lines}
    assert set(by_file) == {"a.eml", "b.eml"}
    for line in lines:
        assert {"file", "intent", "confidence", "return_date", "follow_up_after",
                "referral_email", "bounce", "language"} <= set(line)
    assert by_file["a.eml"]["intent"] == "unsubscribe"
    assert _invoke("classify", str(tmp_path / "missing.eml"))[0] == 2


@pytest.mark.calendar
@pytest.mark.slow  # an end-to-end run through the handoff commands
def test_handoff_commands_tokens_queue_export(tmp_path: Path) -> None:
    assert _invoke("init", "-w", "acme")[0] == 0
    rules = tmp_path / "rules.yaml"
    rules.write_text("reps:\n  - {email: ana@agency.example, name: Ana, territories: [ES]}\n")
    assert _invoke("handoff", "rules", str(rules), "-w", "acme")[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("reps:\n  - {email: ana@agency.example, name: Ana, colour: red}\n")
    code, out = _invoke("handoff", "rules", str(bad), "-w", "acme")
    assert code == 2 and "bad.yaml:2" in out
    code, out = _invoke("token", "-w", "acme")
    assert code == 0 and out.strip().splitlines()[-1].startswith("cz_")
    code, out = _invoke("token", "-w", "acme", "--role", "rep", "--rep-email", "nobody@x.example")
    assert code == 2 and "no rep" in out
    assert _invoke("token", "-w", "acme", "--role", "rep", "--rep-email",
                   "ana@agency.example")[0] == 0
    assert _invoke("queue", "-w", "acme", "--rep-email", "ana@agency.example")[0] == 0
    out_file = tmp_path / "h.csv"
    code, out = _invoke("export", "handoffs", "-w", "acme", "--out", str(out_file),
                        "--format", "csv")
    assert code == 0 and out_file.read_text().startswith("handoff_id,state,priority")
    assert _invoke("handoff", "route", "-w", "acme")[0] == 0
    assert _invoke("handoff", "sla", "-w", "acme")[0] == 0


def test_token_list_and_revoke() -> None:
    """#12 item 9: tokens are listed without their secret, expire when asked to, and are
    revoked by id within their workspace."""
    import datetime as dt

    assert _invoke("init", "-w", "acme")[0] == 0
    assert _invoke("init", "-w", "other")[0] == 0
    code, out = _invoke("token", "-w", "acme", "--name", "zapier", "--expires-in-days", "90")
    assert code == 0
    clear = out.strip().splitlines()[-1]
    code, out = _invoke("token", "list", "-w", "acme", "--json")
    assert code == 0 and clear not in out and clear[3:] not in out
    [row] = json.loads(out)
    assert set(row) == {"id", "name", "role", "rep_id", "created_at", "expires_at",
                        "last_used_at", "revoked", "revoked_at"}
    assert (row["name"], row["role"], row["revoked"]) == ("zapier", "operator", False)
    lifetime = (dt.datetime.fromisoformat(row["expires_at"])
                - dt.datetime.fromisoformat(row["created_at"]))
    assert abs(lifetime - dt.timedelta(days=90)) < dt.timedelta(minutes=1)
    code, out = _invoke("token", "list", "-w", "acme")
    assert code == 0 and "zapier" in out and "active" in out and clear not in out
    # another workspace cannot name it; an unknown id is a clear error
    code, out = _invoke("token", "revoke", str(row["id"]), "-w", "other")
    assert code == 2 and f"no token {row['id']} in other" in out
    assert _invoke("token", "revoke", "999", "-w", "acme")[0] == 2
    code, out = _invoke("token", "revoke", str(row["id"]), "-w", "acme")
    assert code == 0 and "revoked" in out
    [row] = json.loads(_invoke("token", "list", "-w", "acme", "--json")[1])
    assert row["revoked"] is True and row["revoked_at"]
    assert _invoke("token", "-w", "acme", "--expires-in-days", "0")[0] == 2


def test_queue_defaults_to_the_rules_fallback_queue_and_export_goes_to_stdout() -> None:
    """#11: `cadenza queue` looked in a queue named "fallback" while the rules' default is
    "unassigned"; `cadenza export handoffs --format csv` as in the README needed `--out`."""
    from cadenza.store import Database
    from cadenza.store.models import Handoff, Prospect, Workspace

    assert _invoke("init", "-w", "acme")[0] == 0
    db = Database("sqlite:///cadenza.db")
    with db.session() as s:
        ws = s.exec(select(Workspace)).one()
        p = Prospect(workspace_id=ws.id or 0, email="ada@analytical.example",
                     first_name="Ada", company="Analytical")
        s.add(p)
        s.flush()
        s.add(Handoff(workspace_id=ws.id or 0, prospect_id=p.id or 0, intent="interested",
                      queue="unassigned", priority=2))
    db.dispose()
    code, out = _invoke("queue", "-w", "acme")
    assert code == 0 and "Ada" in out
    code, out = _invoke("export", "handoffs", "-w", "acme", "--format", "csv")
    assert code == 0 and out.startswith("handoff_id,state,priority")
    assert "ada@analytical.example" in out


def test_validate_warns_of_a_weekend_window_that_business_days_closes(tmp_path: Path) -> None:
    """#11: `sat, sun` in a send window with `business_days: true` silently sent on Monday."""
    path = tmp_path / "weekend.yaml"
    path.write_text("name: weekend\nsend_window: {days: [fri, sat, sun]}\n"
                    "steps:\n  - {day: 1, channel: email, template: email_opener}\n")
    code, out = _invoke("playbooks", "validate", str(path))
    assert code == 0 and "sat, sun" in out and "business_days" in out
    path.write_text("name: weekend\nbusiness_days: false\nsend_window: {days: [sat, sun]}\n"
                    "steps:\n  - {day: 1, channel: email, template: email_opener}\n")
    code, out = _invoke("playbooks", "validate", str(path))
    assert code == 0 and "business_days" not in out
