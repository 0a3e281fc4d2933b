"""How the long-running commands log: text for a terminal, JSON lines for a log pipeline.

``--log-format json`` (or ``CADENZA_LOG_FORMAT=json``) writes one JSON object per record —
time (UTC, ISO 8601), level, logger, message, and the exception when there is one — so that a
collector parses lines instead of guessing at them. The unsubscribe-token redaction filter is
installed on the handlers the API sets up, whatever the format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import TextIO


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(fmt: str = "text", *, stream: TextIO | None = None) -> None:
    """Set the root handler's format (``text`` or ``json``), level WARNING; long-running
    commands raise Cadenza's own loggers to INFO themselves."""
    if fmt not in ("text", "json"):
        raise ValueError(f"log format must be text or json, not {fmt!r}")
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    setattr(handler, _OURS, True)
    root = logging.getLogger()
    for old in list(root.handlers):  # only the handler set here before; others are not ours
        if getattr(old, _OURS, False):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


_OURS = "_cadenza_cli_handler"


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (a test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)
