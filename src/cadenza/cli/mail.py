"""Mail: classifying replies, watching mailboxes over IMAP, and the sending identities.

The top-level commands are registered on ``app`` in ``cadenza.cli``, in ``--help`` order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cadenza.cli.common import (
    WorkspaceOpt,
    _configured_llm,
    _database,
    _errors,
    _fail,
    _handoff_notifier,
    console,
)
from cadenza.config import Settings
from cadenza.errors import InputError

if TYPE_CHECKING:
    from cadenza.replies.processing import ProcessOutcome

mailbox_app = typer.Typer(help="Sending identities (SMTP/IMAP by reference to secrets).",
                          no_args_is_help=True)


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
    from cadenza.replies.watcher import run_watchers, watch_once
    from cadenza.store.models import utcnow

    with _errors():
        settings = Settings()
        db = _database(settings)
        logging.getLogger("cadenza").setLevel(logging.INFO)
        on_handoff = route_on_creation(db=db, notifier=_handoff_notifier(settings), clock=utcnow)
        if once:
            for cycle in watch_once(db=db, settings=settings, mailbox_ids=mailbox,
                                    on_processed=_say_reply, on_handoff=on_handoff):
                console.print(f"{cycle}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if run_watchers(db=db, settings=settings, stop=stop, mailbox_ids=mailbox,
                        on_processed=_say_reply, on_handoff=on_handoff) == 0:
            _fail("no mailbox has IMAP settings: add one with `cadenza mailbox add`", 1)


def _say_reply(outcome: ProcessOutcome) -> None:
    """One line per processed reply: who wrote, what it means, what was done and why."""
    confidence = f" {outcome.confidence:.2f}" if outcome.confidence is not None else ""
    print(f"reply {outcome.reply_id} from {outcome.sender or '?'}: "
          f"{outcome.intent or 'unclassified'}{confidence} -> {outcome.action} "
          f"({outcome.state}): {outcome.reason}", flush=True)


@mailbox_app.command("add")
def mailbox_add(email: Annotated[str, typer.Option(help="The sending address.")],
                workspace: WorkspaceOpt = "default",
                name: Annotated[str, typer.Option(help="Display name.")] = "",
                smtp_host: Annotated[str, typer.Option()] = "127.0.0.1",
                smtp_port: Annotated[int, typer.Option()] = 587,
                smtp_security: Annotated[str, typer.Option(help="starttls | tls | none")]
                = "starttls",
                smtp_user: Annotated[str, typer.Option()] = "",
                smtp_password: Annotated[str, typer.Option(
                    help="A reference, never the secret: env:NAME or file:/path")] = "",
                imap_host: Annotated[str, typer.Option()] = "",
                imap_port: Annotated[int, typer.Option()] = 993,
                imap_security: Annotated[str, typer.Option(help="tls | starttls | none")]
                = "tls",
                imap_user: Annotated[str, typer.Option()] = "",
                imap_password: Annotated[str, typer.Option(
                    help="A reference: env:NAME or file:/path")] = "",
                sent_folder: Annotated[str, typer.Option(help="e.g. Sent")] = "",
                daily_cap: Annotated[int, typer.Option()] = 40) -> None:
    """Add a mailbox to a workspace."""
    from cadenza.addresses import validate_email_address
    from cadenza.store.models import Mailbox
    from cadenza.store.workspaces import get_workspace

    with _errors():
        address = validate_email_address(email)
        if address is None:
            raise InputError(f"invalid address {email!r}", field="email")
        for label, ref in (("--smtp-password", smtp_password),
                           ("--imap-password", imap_password)):
            if ref and not ref.startswith(("env:", "file:")):
                raise InputError(f"{label} must be a reference (env:NAME or file:/path), "
                                 "never the password itself")
        for label, value, allowed in (("--smtp-security", smtp_security,
                                       ("starttls", "tls", "none")),
                                      ("--imap-security", imap_security,
                                       ("starttls", "tls", "none"))):
            if value not in allowed:
                raise InputError(f"{label} must be one of {', '.join(allowed)}")
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            box = Mailbox(workspace_id=ws.id or 0, email=address, display_name=name,
                          smtp_host=smtp_host, smtp_port=smtp_port, smtp_security=smtp_security,
                          smtp_username=smtp_user, smtp_password_ref=smtp_password,
                          imap_host=imap_host, imap_port=imap_port, imap_security=imap_security,
                          imap_username=imap_user or (address if imap_host else ""),
                          imap_password_ref=imap_password, imap_folders=["INBOX"],
                          sent_folder=sent_folder, daily_cap=daily_cap)
            session.add(box)
            session.flush()
            console.print(f"mailbox {box.id} {address} added to {workspace}")


@mailbox_app.command("list")
def mailbox_list(workspace: WorkspaceOpt = "default") -> None:
    """List a workspace's mailboxes."""
    from sqlmodel import select

    from cadenza.store.models import Mailbox
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            table = Table("id", "email", "smtp", "imap", "daily cap", "active")
            for box in session.exec(select(Mailbox).where(Mailbox.workspace_id == ws.id)):
                table.add_row(str(box.id), box.email,
                              f"{box.smtp_host}:{box.smtp_port} {box.smtp_security}",
                              f"{box.imap_host}:{box.imap_port}" if box.imap_host else "-",
                              str(box.daily_cap), "yes" if box.active else "no")
        console.print(table)
