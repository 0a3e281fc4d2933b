"""``cadenza approvals | triage | tasks``: a person's work from the command line, without SQL.

The CLI acts as the workspace's operator through the very functions the REST API and the
pages call (:mod:`cadenza.api.views`, :mod:`cadenza.api.actions`, the approval service), so an
approval here resumes the same graph, delivers the same way and is recorded the same way —
``approved_by`` and the events name ``cli:<user>``.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from cadenza.cli.common import (
    JsonOpt,
    WorkspaceOpt,
    _database,
    _errors,
    _handoff_notifier,
    console,
)
from cadenza.config import Settings
from cadenza.errors import InputError, NotFoundError

approvals_app = typer.Typer(help="Drafts waiting for a person.", no_args_is_help=True)
triage_app = typer.Typer(help="Replies waiting for a person's reading.", no_args_is_help=True)
tasks_app = typer.Typer(help="LinkedIn, call and manual steps for a person.",
                        no_args_is_help=True)
IdArg = Annotated[int, typer.Argument(help="The id (from the list).")]
T = TypeVar("T")


@contextmanager
def _operator(workspace: str) -> Iterator[tuple[Any, Any]]:
    """The database session and an operator principal for ``workspace``; HTTP errors of the
    shared functions become the CLI's own (404 → not found, 409 → refused, exit 2)."""
    from fastapi import HTTPException

    from cadenza.api.auth import Principal
    from cadenza.store.workspaces import get_workspace

    db = _database(Settings())
    try:
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            yield session, Principal(workspace_id=ws.id or 0, role="operator", rep_id=None,
                                     name=f"cli:{getpass.getuser()}", token_id=0)
    except HTTPException as exc:
        if exc.status_code == 404:
            raise NotFoundError(str(exc.detail)) from None
        raise InputError(str(exc.detail)) from None


def _print(rows: list[Any], as_json: bool, line: Callable[[Any], str]) -> None:
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    if not rows:
        console.print("nothing waiting")
    for row in rows:
        console.print(line(row))


# -- approvals -------------------------------------------------------------------------------

@approvals_app.command("list")
def approvals_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False,
                   limit: Annotated[int, typer.Option(min=1, max=1000)] = 100) -> None:
    """Drafts awaiting approval, and drafts held by a failed check."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        rows = views.list_approvals(session, p, limit=limit, offset=0)
    _print(rows, as_json, lambda a: (
        f"{a.touch.id} {a.kind:8} step {a.touch.step} {a.touch.channel} to "
        f"{a.touch.to_address or a.prospect.email}: {a.touch.subject or '(no subject)'}"
        + (f" — failed: {', '.join(a.failures)}" if a.failures else "")))


@approvals_app.command("show")
def approvals_show(touch_id: IdArg, workspace: WorkspaceOpt = "default",
                   as_json: JsonOpt = False) -> None:
    """One waiting draft in full, with the facts it used and any failed checks."""
    from cadenza.api import views
    from cadenza.store.models import Touch

    with _errors(), _operator(workspace) as (session, p):
        touch = views.scoped(session, Touch, touch_id, p)
        if touch.state not in views.WAITING_STATES:
            raise InputError(f"touch {touch_id} is {touch.state}, not waiting for approval")
        item = views.approval_of(session, touch)
    if as_json:
        print(json.dumps(item.model_dump(mode="json"), indent=2))
        return
    console.print(f"touch {item.touch.id} ({item.kind}) to {item.touch.to_address}",
                  markup=False)
    console.print(f"subject: {item.touch.subject}", markup=False)
    console.print(item.touch.body, markup=False)
    for fact in item.facts_used:
        console.print(f"fact {fact.key}: {fact.text}", markup=False)
    for failure in item.failures:
        console.print(f"failed check: {failure}", markup=False)


def _decide(workspace: str, touch_id: int, action: str, **kw: Any) -> None:
    from cadenza.api import views
    from cadenza.api.approvals import ApprovalConflict, ApprovalService
    from cadenza.store.models import Touch

    settings = Settings()
    with _errors():
        with _operator(workspace) as (session, p):
            touch = views.scoped(session, Touch, touch_id, p)
            if touch.state not in views.WAITING_STATES:
                raise InputError(f"touch {touch_id} is {touch.state}, not waiting for approval")
            actor = p.actor
        service = ApprovalService(settings, _database(settings))
        try:
            result = service.decide(touch_id, action, by=actor, **kw)  # type: ignore[arg-type]
        except ApprovalConflict as exc:
            raise InputError(str(exc)) from None
        finally:
            service.close()
    console.print(f"touch {touch_id}: {result.outcome} ({result.state})"
                  + (f": {result.reason}" if result.reason else ""), markup=False)


@approvals_app.command("approve")
def approvals_approve(touch_id: IdArg, workspace: WorkspaceOpt = "default") -> None:
    """Approve the draft as it is: the email is delivered before this returns."""
    _decide(workspace, touch_id, "approve")


@approvals_app.command("edit")
def approvals_edit(touch_id: IdArg,
                   body_file: Annotated[Path, typer.Option(
                       "--body-file", help="The new body (plain text, UTF-8).")],
                   subject: Annotated[str | None, typer.Option()] = None,
                   workspace: WorkspaceOpt = "default") -> None:
    """Replace the draft's text: it is checked again, then delivered (or held if it fails)."""
    try:
        body = body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        with _errors():
            raise InputError(f"cannot read the body: {exc}", file=str(body_file)) from None
    _decide(workspace, touch_id, "edit", body=body, subject=subject)


@approvals_app.command("reject")
def approvals_reject(touch_id: IdArg, note: Annotated[str, typer.Option()] = "",
                     workspace: WorkspaceOpt = "default") -> None:
    """Reject the draft: nothing is sent and the cadence moves to its next step."""
    _decide(workspace, touch_id, "reject", note=note)


# -- triage and tasks ------------------------------------------------------------------------

@triage_app.command("list")
def triage_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False,
                limit: Annotated[int, typer.Option(min=1, max=1000)] = 100) -> None:
    """Replies the classifier left to a person, oldest first."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        rows = views.list_triage(session, p, limit=limit, offset=0)
    _print(rows, as_json, lambda t: (
        f"{t.reply.id} from {t.reply.from_address}: {t.reply.subject} — "
        f"{(t.reply.text or '').strip().splitlines()[0][:80] if t.reply.text else ''}"))


@triage_app.command("resolve")
def triage_resolve(reply_id: IdArg,
                   intent: Annotated[str, typer.Argument(help="What the reply means.")],
                   note: Annotated[str, typer.Option()] = "",
                   workspace: WorkspaceOpt = "default") -> None:
    """Say what a reply means: the reply policy then acts on it, as the watcher would have."""
    from pydantic import ValidationError

    from cadenza.api.actions import resolve_triage
    from cadenza.api.schemas import TriageResolveIn
    from cadenza.store.models import utcnow

    with _errors():
        try:
            decision = TriageResolveIn.model_validate({"intent": intent, "note": note})
        except ValidationError:
            raise InputError(f"{intent!r} is not an intent", field="intent") from None
        with _operator(workspace) as (session, p):
            result = resolve_triage(session, p, reply_id, decision, now=utcnow(),
                                    notifier=_handoff_notifier(Settings()))
    console.print(f"reply {reply_id}: {result.intent}"
                  + (f", handoff {result.handoff_id}" if result.handoff_id else ""))


@tasks_app.command("list")
def tasks_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False,
               limit: Annotated[int, typer.Option(min=1, max=1000)] = 100) -> None:
    """Open LinkedIn, call and manual steps: Cadenza drafts them, a person does them."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        rows = views.list_person_tasks(session, p, limit=limit, offset=0)
    _print(rows, as_json, lambda t: f"{t.id} {t.kind}: {t.title}"
           + (f" ({t.link})" if t.link else ""))


@tasks_app.command("done")
def tasks_done(task_id: IdArg, workspace: WorkspaceOpt = "default") -> None:
    """Mark a step done: the task closes and its touch becomes ``done``."""
    from cadenza.api.actions import task_done
    from cadenza.store.models import utcnow

    with _errors(), _operator(workspace) as (session, p):
        task = task_done(session, p, task_id, now=utcnow())
    console.print(f"task {task.id} done")
