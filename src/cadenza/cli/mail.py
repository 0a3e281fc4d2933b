"""Mail: classifying replies and watching mailboxes over IMAP (the mailboxes themselves are
managed in :mod:`cadenza.cli.mailboxes`).

The top-level commands are registered on ``app`` in ``cadenza.cli``, in ``--help`` order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cadenza.cli.common import (
    _configured_llm,
    _database,
    _database_when_up,
    _errors,
    _fail,
    _handoff_notifier,
    console,
)
from cadenza.config import Settings

if TYPE_CHECKING:
    from cadenza.replies.processing import ProcessOutcome



def classify(paths: Annotated[list[Path], typer.Argument(
                 help=".eml files or folders (every *.eml in a folder).")]) -> None:
    """Classify replies; one JSON object per file on standard output (shared formats)."""
    from cadenza.replies.classify.message import classify_files

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}", 2)
    with _errors():
        settings = Settings()
        llm = _configured_llm(settings)
        for line in classify_files(paths, llm=llm,  # type: ignore[arg-type]
                                   threshold=settings.classify_threshold):
            print(json.dumps(line, ensure_ascii=False), flush=True)


def watch(once: Annotated[bool, typer.Option(help="One fetch cycle, then exit.")] = False,
          mailbox: Annotated[list[int] | None, typer.Option(
              help="Mailbox id (repeatable); default: every mailbox with IMAP.")] = None) -> None:
    """Watch mailboxes over IMAP: store, thread, classify and act on every reply.

    Says what it does: start-up and each mailbox's connection state on standard error, one
    line per reply on standard output (sender, intent, confidence, action). A handoff is
    routed to a rep the moment its reply is committed, and the rep is notified.
    """
    import logging
    import signal
    import threading

    from cadenza.handoff.dispatch import route_on_creation
    from cadenza.replies.watch_pool import run_watchers
    from cadenza.replies.watcher import watch_once
    from cadenza.store.models import utcnow

    with _errors():
        settings = Settings()
        logging.getLogger("cadenza").setLevel(logging.INFO)
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        # a database restarting is waited for; once running, the pool rides out an outage
        db = _database(settings) if once else _database_when_up(settings, stop)
        on_handoff = route_on_creation(db=db, notifier=_handoff_notifier(settings), clock=utcnow)
        if once:
            for cycle in watch_once(db=db, settings=settings, mailbox_ids=mailbox,
                                    on_processed=_say_reply, on_handoff=on_handoff):
                console.print(f"{cycle}")
            return
        if run_watchers(db=db, settings=settings, stop=stop, mailbox_ids=mailbox,
                        on_processed=_say_reply, on_handoff=on_handoff) == 0:
            _fail("no mailbox has IMAP settings: add one with `cadenza mailbox add`", 1)


def _say_reply(outcome: ProcessOutcome) -> None:
    """One line per processed reply: who wrote, what it means, what was done and why."""
    confidence = f" {outcome.confidence:.2f}" if outcome.confidence is not None else ""
    print(f"reply {outcome.reply_id} from {outcome.sender or '?'}: "
          f"{outcome.intent or 'unclassified'}{confidence} -> {outcome.action} "
          f"({outcome.state}): {outcome.reason}", flush=True)
