"""The CLI's contract: commands work on embedded defaults and exit codes scripts can trust."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
