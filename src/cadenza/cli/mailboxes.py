"""``cadenza mailbox …``: a workspace's sending identities, managed without SQL.

Secrets are references (``env:NAME`` or ``file:/path``), never the secret: the commands refuse
anything else, and ``show`` prints the reference, not what it points to. ``update`` changes only
the options given; ``disable``/``enable`` take a mailbox out of rotation and back (enable is
how an operator clears a policy block); ``test`` logs in to SMTP and IMAP and says what works.
``list`` and ``show`` print ``--json`` for scripts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer
from rich.table import Table

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, _fail, console
from cadenza.config import Settings
from cadenza.errors import InputError, NotFoundError

mailbox_app = typer.Typer(help="Sending identities (SMTP/IMAP by reference to secrets).",
                          no_args_is_help=True)

MailboxArg = Annotated[str, typer.Argument(help="Mailbox id or address.")]
_SECURITY = ("starttls", "tls", "none")
def _reference(label: str, ref: str | None) -> None:
    if ref and not ref.startswith(("env:", "file:")):
        raise InputError(f"{label} must be a reference (env:NAME or file:/path), never the "
                         "password itself")


def _security(label: str, value: str | None) -> None:
    if value is not None and value not in _SECURITY:
        raise InputError(f"{label} must be one of {', '.join(_SECURITY)}")


def _load(workspace: str, mailbox: str) -> Any:
    """The mailbox, read in a session of its own (for commands that only read it)."""
    with _database(Settings()).session() as session:
        return _box(session, workspace, mailbox)


def _box(session: Any, workspace: str, mailbox: str) -> Any:
    """The workspace's mailbox by id or by address (any case)."""
    from sqlalchemy import func
    from sqlmodel import select

    from cadenza.store.models import Mailbox
    from cadenza.store.workspaces import get_workspace

    ws = get_workspace(session=session, slug=workspace)
    query = select(Mailbox).where(Mailbox.workspace_id == ws.id)
    query = (query.where(Mailbox.id == int(mailbox)) if mailbox.isdigit()
             else query.where(func.lower(Mailbox.email) == mailbox.strip().lower()))
    box = session.exec(query).first()
    if box is None:
        raise NotFoundError(f"no mailbox {mailbox!r} in workspace {workspace}")
    return box


def _public(box: Any, now: dt.datetime) -> dict[str, Any]:
    """The API's view of a mailbox (secret references only), with its next free send time:
    ``now`` when it may send at once."""
    from cadenza.api.admin_schemas import MailboxPublic

    data = MailboxPublic.model_validate(box).model_dump(mode="json")
    free = box.next_send_at
    if free is not None and free.tzinfo is None:
        free = free.replace(tzinfo=dt.UTC)
    data["next_send_at"] = (free if free is not None and free > now else now).isoformat()
    return data


#: The option that sets each field of a new mailbox (the rest are --field-name).
_OPTION = {"display_name": "--name", "smtp_username": "--smtp-user",
           "smtp_password_ref": "--smtp-password", "imap_username": "--imap-user",
           "imap_password_ref": "--imap-password", "min_gap_seconds": "--min-gap",
           "jitter_seconds": "--jitter"}


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
                daily_cap: Annotated[int, typer.Option()] = 40,
                min_gap: Annotated[int, typer.Option(
                    help="Minimum seconds between two sends.")] = 90,
                jitter: Annotated[int, typer.Option(
                    help="Up to this many random seconds more.")] = 30) -> None:
    """Add a mailbox to a workspace (an address already there: use `mailbox update`)."""
    import getpass

    from pydantic import ValidationError

    from cadenza.mailbox.accounts import MailboxCreate, create_mailbox
    from cadenza.store.workspaces import get_workspace

    with _errors():
        try:
            data = MailboxCreate(
                email=email, display_name=name, smtp_host=smtp_host, smtp_port=smtp_port,
                smtp_security=smtp_security, smtp_username=smtp_user,
                smtp_password_ref=smtp_password, imap_host=imap_host, imap_port=imap_port,
                imap_security=imap_security, imap_username=imap_user,
                imap_password_ref=imap_password, sent_folder=sent_folder, daily_cap=daily_cap,
                min_gap_seconds=min_gap, jitter_seconds=jitter)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = str(first["loc"][0])
            option = _OPTION.get(key, "--" + key.replace("_", "-"))
            raise InputError(f"{option}: {first['msg'].removeprefix('Value error, ')}") \
                from None
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            box = create_mailbox(session=session, workspace=ws, data=data,
                                 by=f"cli:{getpass.getuser()}")
            console.print(f"mailbox {box.id} {box.email} added to {workspace}")


@mailbox_app.command("list")
def mailbox_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """List a workspace's mailboxes."""
    from sqlmodel import col, select

    from cadenza.store.models import Mailbox, utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            boxes = list(session.exec(select(Mailbox).where(Mailbox.workspace_id == ws.id)
                                      .order_by(col(Mailbox.id))))
            rows = [_public(box, utcnow()) for box in boxes]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("id", "email", "smtp", "imap", "daily cap", "gap", "active")
    for row in rows:
        table.add_row(str(row["id"]), row["email"],
                      f"{row['smtp_host']}:{row['smtp_port']} {row['smtp_security']}",
                      f"{row['imap_host']}:{row['imap_port']}" if row["imap_host"] else "-",
                      str(row["daily_cap"]),
                      f"{row['min_gap_seconds']}+{row['jitter_seconds']}s",
                      "yes" if row["active"] else "no")
    console.print(table)


@mailbox_app.command("show")
def mailbox_show(mailbox: MailboxArg,
                 workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """One mailbox: its settings (secret references only) and its next free send time."""
    from cadenza.store.models import utcnow

    with _errors():
        row = _public(_load(workspace, mailbox), utcnow())
    if as_json:
        print(json.dumps(row, indent=2))
        return
    for key, value in row.items():
        console.print(f"{key}: {value}")


@mailbox_app.command("update")
def mailbox_update(
        mailbox: MailboxArg,
        workspace: WorkspaceOpt = "default",
        name: Annotated[str | None, typer.Option(help="Display name.")] = None,
        smtp_host: Annotated[str | None, typer.Option()] = None,
        smtp_port: Annotated[int | None, typer.Option()] = None,
        smtp_security: Annotated[str | None, typer.Option()] = None,
        smtp_user: Annotated[str | None, typer.Option()] = None,
        smtp_password: Annotated[str | None, typer.Option(help="env:NAME or file:/path")]
        = None,
        imap_host: Annotated[str | None, typer.Option()] = None,
        imap_port: Annotated[int | None, typer.Option()] = None,
        imap_security: Annotated[str | None, typer.Option()] = None,
        imap_user: Annotated[str | None, typer.Option()] = None,
        imap_password: Annotated[str | None, typer.Option(help="env:NAME or file:/path")]
        = None,
        sent_folder: Annotated[str | None, typer.Option()] = None,
        daily_cap: Annotated[int | None, typer.Option(min=0)] = None,
        min_gap: Annotated[int | None, typer.Option(
            min=0, help="Minimum seconds between two sends.")] = None,
        jitter: Annotated[int | None, typer.Option(
            min=0, help="Up to this many random seconds more.")] = None) -> None:
    """Change the options given, and only those."""
    changes = {"display_name": name, "smtp_host": smtp_host, "smtp_port": smtp_port,
               "smtp_security": smtp_security, "smtp_username": smtp_user,
               "smtp_password_ref": smtp_password, "imap_host": imap_host,
               "imap_port": imap_port, "imap_security": imap_security,
               "imap_username": imap_user, "imap_password_ref": imap_password,
               "sent_folder": sent_folder, "daily_cap": daily_cap,
               "min_gap_seconds": min_gap, "jitter_seconds": jitter}
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        _fail("nothing to change: give at least one option (see --help)", 2)
    with _errors():
        _reference("--smtp-password", smtp_password)
        _reference("--imap-password", imap_password)
        _security("--smtp-security", smtp_security)
        _security("--imap-security", imap_security)
        db = _database(Settings())
        with db.session() as session:
            box = _box(session, workspace, mailbox)
            for key, value in changes.items():
                setattr(box, key, value)
            session.add(box)
    console.print(f"mailbox {mailbox}: updated {', '.join(sorted(changes))}")


def _set_active(mailbox: str, workspace: str, active: bool) -> None:
    from cadenza.store.events import record_event

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            box = _box(session, workspace, mailbox)
            box.active = active
            session.add(box)
            record_event(session=session, kind="mailbox.enabled" if active
                         else "mailbox.disabled", workspace_id=box.workspace_id,
                         subject_type="mailbox", subject_id=box.id, reason="operator")
    console.print(f"mailbox {mailbox} {'enabled' if active else 'disabled'}")


@mailbox_app.command("disable")
def mailbox_disable(mailbox: MailboxArg,
                    workspace: WorkspaceOpt = "default") -> None:
    """Take a mailbox out of rotation: its touches wait for it."""
    _set_active(mailbox, workspace, False)


@mailbox_app.command("enable")
def mailbox_enable(mailbox: MailboxArg,
                   workspace: WorkspaceOpt = "default") -> None:
    """Put a mailbox back in rotation (after a policy block or a refused login is fixed)."""
    _set_active(mailbox, workspace, True)


@mailbox_app.command("test")
def mailbox_test(mailbox: MailboxArg,
                 workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """Log in to SMTP and IMAP and say what works (exit 1 when something does not)."""
    from cadenza.errors import CadenzaError
    from cadenza.mailbox.imap import imap_config, imap_login
    from cadenza.mailbox.smtp import sender_for_mailbox

    with _errors():
        box = _load(workspace, mailbox)
    results: dict[str, str] = {}
    try:
        sender_for_mailbox(box).verify()
        results["smtp"] = f"ok ({box.smtp_host}:{box.smtp_port} {box.smtp_security})"
    except CadenzaError as exc:
        results["smtp"] = f"failed: {exc}"
    if box.imap_host:
        try:
            client = imap_login(imap_config(box))
            try:
                folders = [box.sent_folder] if box.sent_folder else []
                missing = [f for f in [*box.imap_folders, *folders]
                           if not client.folder_exists(f)]
            finally:
                client.logout()
            results["imap"] = ("ok" if not missing else
                               f"logged in, but no folder {', '.join(missing)}")
        except CadenzaError as exc:
            results["imap"] = f"failed: {exc}"
    else:
        results["imap"] = "not configured (replies are not read)"
    if as_json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            console.print(f"{key}: {value}")
    if any(v.startswith(("failed", "logged in, but")) for v in results.values()):
        raise typer.Exit(1)
