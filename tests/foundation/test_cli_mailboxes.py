"""`cadenza mailbox …` (#11 item 1): every mailbox task without SQL, against real servers.

`test` logs in to aiosmtpd and dovecot; `update` changes only what it is given; a second `add`
of an address is a clear error, not a traceback; secrets stay references.
"""

from __future__ import annotations

import json
import uuid

import pytest
from typer.testing import CliRunner

from cadenza.cli import app

from support.dovecot import ImapServer
from support.smtp import SmtpServer

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_mailbox_lifecycle(smtp_server: SmtpServer, imap_server: ImapServer,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_TEST_IMAP_PASSWORD", imap_server.password)
    user = f"cli-{uuid.uuid4().hex[:8]}"
    assert _invoke("init")[0] == 0
    code, out = _invoke("mailbox", "add", "--email", "maya@northwind.example",
                        "--smtp-host", smtp_server.host, "--smtp-port", str(smtp_server.port),
                        "--smtp-security", "none", "--imap-host", imap_server.host,
                        "--imap-port", str(imap_server.port), "--imap-security", "none",
                        "--imap-user", user, "--imap-password", "env:CADENZA_TEST_IMAP_PASSWORD")
    assert code == 0, out
    code, out = _invoke("mailbox", "add", "--email", "Maya@northwind.example")
    assert code == 2 and "already exists" in out and "mailbox update" in out

    code, out = _invoke("mailbox", "test", "maya@northwind.example", "--json")
    assert code == 0, out
    assert json.loads(out) == {"smtp": f"ok ({smtp_server.host}:{smtp_server.port} none)",
                               "imap": "ok"}

    code, out = _invoke("mailbox", "update", "maya@northwind.example", "--daily-cap", "25",
                        "--min-gap", "120", "--jitter", "10", "--sent-folder", "Gesendet-Nowhere")
    assert code == 0, out
    code, out = _invoke("mailbox", "show", "maya@northwind.example", "--json")
    shown = json.loads(out)
    assert (shown["daily_cap"], shown["min_gap_seconds"], shown["jitter_seconds"]) == (25, 120, 10)
    assert shown["imap_password_ref"] == "env:CADENZA_TEST_IMAP_PASSWORD"
    assert shown["smtp_port"] == smtp_server.port  # untouched by the update
    assert "next_send_at" in shown
    # that Sent folder does not exist on the server: test says so and fails
    code, out = _invoke("mailbox", "test", str(shown["id"]))
    assert code == 1 and "no folder Gesendet-Nowhere" in out

    code, out = _invoke("mailbox", "update", "maya@northwind.example", "--smtp-password",
                        "hunter2")
    assert code == 2 and "reference" in out
    assert _invoke("mailbox", "update", "maya@northwind.example")[0] == 2  # nothing to change

    assert _invoke("mailbox", "disable", "maya@northwind.example")[0] == 0
    listed = json.loads(_invoke("mailbox", "list", "--json")[1])
    assert [(b["email"], b["active"]) for b in listed] == [("maya@northwind.example", False)]
    assert _invoke("mailbox", "enable", "maya@northwind.example")[0] == 0
    assert json.loads(_invoke("mailbox", "list", "--json")[1])[0]["active"] is True
    code, out = _invoke("mailbox", "show", "nobody@northwind.example")
    assert code != 0 and "no mailbox" in out


def test_mailbox_test_says_what_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _invoke("init")[0] == 0
    assert _invoke("mailbox", "add", "--email", "maya@northwind.example", "--smtp-host",
                   "127.0.0.1", "--smtp-port", "1", "--smtp-security", "none")[0] == 0
    code, out = _invoke("mailbox", "test", "maya@northwind.example", "--json")
    result = json.loads(out)
    assert code == 1 and result["smtp"].startswith("failed: SMTP 127.0.0.1:1")
    assert result["imap"].startswith("not configured")
