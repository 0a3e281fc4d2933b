"""`--log-format json` (#11 item 3): one JSON object per log record, exceptions included."""

from __future__ import annotations

import io
import json
import logging

from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.cli.logs import configure_logging


def test_json_lines() -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    log = logging.getLogger("cadenza.test")
    log.warning("mailbox %s: connected", "maya@acme.example")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("cycle failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "mailbox maya@acme.example: connected"
    assert (first["level"], first["logger"]) == ("warning", "cadenza.test")
    assert first["time"].endswith("+00:00")
    assert "ValueError: boom" in second["exception"]
    configure_logging("text")


def test_an_unknown_format_is_refused() -> None:
    result = CliRunner().invoke(app, ["--log-format", "yaml", "playbooks", "list"])
    assert result.exit_code == 2 and "text or json" in result.output
