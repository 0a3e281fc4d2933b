"""``cadenza mailbox rotation|warmup|rest|rest-end``: the inbox rotation, seen and steered.

``rotation`` shows each mailbox's room (today's cap after warm-up, minus its sends of the last
24 h and the first touches promised to it), warm-up day and rest; ``warmup`` sets a mailbox's
schedule (or ``--off`` ends it); ``rest`` takes a mailbox out of rotation by hand and
``rest-end`` puts a rested one back. The same functions as ``/api/mailboxes/…``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Annotated

import typer
from rich.table import Table

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, _fail, console
from cadenza.cli.mailboxes import MailboxArg, _box
from cadenza.config import Settings
from cadenza.errors import InputError


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def mailbox_rotation(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """Each mailbox's room, today's cap, warm-up day and rest."""
    from cadenza.api.rotation_schemas import rotation_row
    from cadenza.mailbox.rotation import mailbox_rooms
    from cadenza.mailbox.warmup import warmup_schedule
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors(), _database(Settings()).session() as session:
        ws = get_workspace(session=session, slug=workspace)
        assert ws.id is not None
        schedule = warmup_schedule(ws.settings)
        rows = [rotation_row(room, schedule) for room in
                mailbox_rooms(session, [ws.id], utcnow()).get(ws.id, [])]
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table("id", "email", "in rotation", "cap today", "sent 24 h", "due firsts",
                  "room", "warm-up day", "rest")
    for r in rows:
        rest = (f"{r.rest_reason} (until "
                f"{r.rested_until.isoformat() if r.rested_until else 'ended by hand'})"
                if r.resting else "-")
        table.add_row(str(r.id), r.email, "yes" if r.in_rotation else "no",
                      f"{r.cap_today}/{r.daily_cap}", str(r.sent_last_24h),
                      str(r.first_touches_due), str(r.room),
                      "-" if r.warmup_day is None else str(r.warmup_day), rest)
    console.print(table)


def mailbox_warmup(
        mailbox: MailboxArg, workspace: WorkspaceOpt = "default",
        start: Annotated[int | None, typer.Option(
            "--start", min=0, help="Sends on day 0 (default: the workspace's warmup policy)")]
        = None,
        increase: Annotated[int | None, typer.Option(
            "--increase", min=0, help="More sends each day after (default: the workspace's)")]
        = None,
        since: Annotated[str | None, typer.Option(
            "--from", help="Day 0, YYYY-MM-DD or an ISO time (default: now)")] = None,
        off: Annotated[bool, typer.Option("--off", help="End the warm-up: full cap")] = False,
) -> None:
    """Warm a mailbox up: its daily cap ramps from --start by --increase a day to its cap."""
    from cadenza.mailbox.warmup import end_warmup, set_warmup
    from cadenza.store.models import utcnow

    if off and (start is not None or increase is not None or since is not None):
        _fail("--off ends the warm-up: give it alone", 2)
    with _errors():
        started = utcnow() if since is None else _when(since)
        with _database(Settings()).session() as session:
            box = _box(session, workspace, mailbox)
            if off:
                end_warmup(session, box, by=_by())
            else:
                set_warmup(session, box, started_at=started, start_per_day=start,
                           increase_per_day=increase, by=_by())
    console.print(f"mailbox {mailbox}: " + ("warm-up ended" if off else
                                            f"warming up from {started.isoformat()}"))


def _when(text: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--from: {text!r} is not YYYY-MM-DD or an ISO time") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def mailbox_rest(
        mailbox: MailboxArg, workspace: WorkspaceOpt = "default",
        hours: Annotated[int, typer.Option(min=0, help="How long; 0: until rest-end")] = 48,
        reason: Annotated[str, typer.Option(help="Why (shown with the rest)")] = "operator",
) -> None:
    """Rest a mailbox by hand: no new prospects go to it, its own ones wait for it."""
    from cadenza.mailbox.resting import rest_by_operator
    from cadenza.store.models import utcnow

    with _errors(), _database(Settings()).session() as session:
        box = _box(session, workspace, mailbox)
        rest_by_operator(session, box, hours=hours, reason=reason, now=utcnow(), by=_by())
    console.print(f"mailbox {mailbox} is resting")


def mailbox_rest_end(mailbox: MailboxArg, workspace: WorkspaceOpt = "default") -> None:
    """End a mailbox's rest now: back in rotation, its waiting touches go (exit 1: not
    resting)."""
    from cadenza.mailbox.resting import end_rest
    from cadenza.store.models import utcnow

    with _errors(), _database(Settings()).session() as session:
        box = _box(session, workspace, mailbox)
        ended = end_rest(session, box, by=_by(), now=utcnow())
    if not ended:
        _fail(f"mailbox {mailbox} is not resting", 1)
    console.print(f"mailbox {mailbox}: rest ended, back in rotation")
