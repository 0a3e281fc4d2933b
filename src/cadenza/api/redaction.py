"""Credentials in URLs stay out of the logs: ``/u/<token>`` is written ``/u/…``.

An unsubscribe link's token is a credential (it opts its recipient out) and, in mail sent
before v2 tokens, carries the recipient's address; uvicorn's access log writes every request
line. :func:`install_redaction` puts :class:`RedactUnsubscribeTokens` on the loggers that write
request lines — uvicorn's access and error logs, as logger filters, so they hold whichever
handlers uvicorn's logging configuration installs later — and on the root logger's handlers,
which is where our own ``cadenza.*`` lines go (a logger filter would not see its children's
records). The app factory calls it; it is idempotent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

#: A token path segment: up to the next slash, query, fragment, quote or space.
_TOKEN_PATH = re.compile(r"/u/[^/?#\s\"']+")
REDACTED = "/u/…"

#: The loggers whose records carry request paths (uvicorn builds them from the request line).
REQUEST_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    """``text`` with every ``/u/<token>`` written ``/u/…``."""
    return _TOKEN_PATH.sub(REDACTED, text) if "/u/" in text else text


class RedactUnsubscribeTokens(logging.Filter):
    """Rewrites a record's message and string arguments before any handler formats it (the
    record is shared by every handler, so one filter protects them all). Never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def _add_once(target: logging.Filterer) -> None:
    if not any(isinstance(f, RedactUnsubscribeTokens) for f in target.filters):
        target.addFilter(RedactUnsubscribeTokens())


def install_redaction() -> None:
    """Redact token paths in uvicorn's request logs and in whatever the root logger's
    handlers write (our own lines propagate there)."""
    for name in REQUEST_LOGGERS:
        _add_once(logging.getLogger(name))
    for handler in logging.getLogger().handlers:
        _add_once(handler)
