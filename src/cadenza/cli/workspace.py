"""Setting a workspace up: the database, prospects, enrollments, playbooks, status.

The top-level commands are registered on ``app`` in ``cadenza.cli``, in ``--help`` order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn
from rich.table import Table

from cadenza.cli.common import WorkspaceOpt, _database, _errors, console, err
from cadenza.config import Settings
from cadenza.errors import InputError

playbooks_app = typer.Typer(help="List, show and validate playbooks.", no_args_is_help=True)


def init(workspace: WorkspaceOpt = "default",
         name: Annotated[str | None, typer.Option(help="Display name.")] = None,
         sender: Annotated[Path | None, typer.Option(
             help="Sender identity JSON (see shared formats).", exists=True,
             dir_okay=False)] = None,
         timezone: Annotated[str, typer.Option(help="Workspace time zone.")] = "UTC") -> None:
    """Create (or upgrade) the database and create a workspace."""
    from cadenza.sender import SenderProfile
    from cadenza.store.workspaces import ensure_workspace

    with _errors():
        settings = Settings()
        sender_data = None
        if sender is not None:
            try:
                sender_data = SenderProfile.model_validate_json(
                    sender.read_text("utf-8")).model_dump(mode="json")
            except ValueError as exc:
                raise InputError(f"invalid sender: {exc}", file=str(sender)) from None
        db = _database(settings, migrate=True)
        with db.session() as session:
            ws, created = ensure_workspace(session=session, slug=workspace, name=name,
                                           sender=sender_data, settings={"timezone": timezone})
            if not created and sender_data is not None:
                ws.sender = sender_data
                session.add(ws)
        safe = db.engine.url.render_as_string(hide_password=True)
        verb = "created" if created else "exists"
        console.print(f"database ready at [bold]{safe}[/]; workspace [bold]{workspace}[/] {verb}")


def import_cmd(path: Annotated[Path, typer.Argument(help="Prospects file (.jsonl or .csv).")],
               workspace: WorkspaceOpt = "default",
               facts: Annotated[Path | None, typer.Option(
                   help="Facts JSONL for a CSV import.")] = None,
               report: Annotated[Path | None, typer.Option(
                   help="Write every rejected or warned row as JSONL here.")] = None) -> None:
    """Import prospects, deduplicated by email; re-importing the same file changes nothing."""
    from cadenza.importer import import_prospects
    from cadenza.store.workspaces import get_workspace

    with _errors():
        settings = Settings()
        db = _database(settings)
        size = path.stat().st_size if path.exists() else 0
        with db.session() as session, Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
            TimeElapsedColumn(), console=err, transient=False, disable=not err.is_terminal,
        ) as progress:
            ws = get_workspace(session=session, slug=workspace)
            task = progress.add_task(f"importing {path.name}", total=size)
            result = import_prospects(session=session, workspace_id=ws.id or 0, path=path,
                                      facts_path=facts,
                                      on_bytes=lambda n: progress.advance(task, n))
        table = Table(title=f"import of {path.name}")
        for col_name in ("created", "updated", "unchanged", "rejected"):
            table.add_column(col_name, justify="right")
        table.add_row(*(str(result.counts[k]) for k in
                        ("created", "updated", "unchanged", "rejected")))
        console.print(table)
        for row in result.problems[:20]:
            where = f"{path.name}:{row.line}"
            what = row.reason if row.outcome == "rejected" else "; ".join(row.warnings)
            fld = f" (field '{row.field}')" if row.field else ""
            console.print(f"  {where}: {row.outcome}: {what}{fld}", highlight=False)
        if len(result.problems) > 20:
            console.print(f"  … {len(result.problems) - 20} more (use --report FILE)")
        if report is not None:
            with report.open("w", encoding="utf-8") as fh:
                for row in result.problems:
                    fh.write(json.dumps({"file": str(path), "line": row.line,
                                         "id": row.prospect_id, "email": row.email,
                                         "outcome": row.outcome, "reason": row.reason,
                                         "field": row.field, "warnings": list(row.warnings)},
                                        ensure_ascii=False) + "\n")
        if result.counts["rejected"]:
            raise typer.Exit(3)


def enroll(playbook: Annotated[str, typer.Option(help="Built-in name or YAML path.")]
           = "ai-sdr-first-four",
           workspace: WorkspaceOpt = "default",
           prospect: Annotated[list[str] | None, typer.Option(
               help="Prospect id (repeatable); default: every prospect.")] = None,
           allow_parallel: Annotated[bool, typer.Option(
               help="Allow a second active cadence for a prospect.")] = False) -> None:
    """Enroll prospects in a playbook."""
    from cadenza.agent.enrollment import enroll_prospects
    from cadenza.playbooks import resolve_playbook
    from cadenza.store.workspaces import get_workspace

    with _errors():
        loaded = resolve_playbook(playbook)
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep = enroll_prospects(session=session, workspace=ws, playbook=loaded,
                                   external_ids=prospect, allow_parallel=allow_parallel)
        console.print(f"enrolled [bold]{rep.enrolled}[/] in {rep.playbook}; "
                      f"skipped {len(rep.skipped)}")
        for label, reason in rep.skipped[:20]:
            console.print(f"  skipped {label}: {reason}", highlight=False)
        if prospect and rep.skipped:
            raise typer.Exit(3)


@playbooks_app.command("list")
def playbooks_list() -> None:
    """List the built-in playbooks."""
    from cadenza.playbooks import builtin_names, load_builtin

    table = Table("name", "kind", "steps", "agent steps", "days", "description")
    for name in builtin_names():
        spec = load_builtin(name).spec
        table.add_row(name, spec.kind, str(len(spec.steps)), str(len(spec.agent_steps())),
                      str(spec.steps[-1].day), spec.description)
    console.print(table)


@playbooks_app.command("show")
def playbooks_show(name: Annotated[str, typer.Argument(help="Built-in name or YAML path.")]
                   ) -> None:
    """Show a playbook's steps."""
    from cadenza.playbooks import resolve_playbook

    with _errors():
        loaded = resolve_playbook(name)
    spec = loaded.spec
    console.print(f"[bold]{spec.name}[/] ({spec.kind}) — {spec.description}")
    console.print(f"window {spec.send_window.start}–{spec.send_window.end} "
                  f"{','.join(spec.send_window.days)}, business days: {spec.business_days}, "
                  f"time zone: {spec.timezone_policy}; hash {loaded.content_hash[:12]}")
    table = Table("#", "day", "channel", "owner", "template", "name")
    for number, step in enumerate(spec.steps, start=1):
        table.add_row(str(number), str(step.day), step.channel, step.owner,
                      step.template or "", step.name)
    console.print(table)


@playbooks_app.command("validate")
def playbooks_validate(paths: Annotated[list[Path], typer.Argument(help="YAML files.")]) -> None:
    """Validate playbook files; exit 2 on the first error, naming file, line and field."""
    from cadenza.playbooks import load_playbook_file

    failed = False
    for path in paths:
        try:
            loaded = load_playbook_file(path)
        except InputError as exc:
            err.print(f"[red]✗[/] {exc}", highlight=False)
            failed = True
            continue
        console.print(f"[green]✓[/] {path}: {loaded.spec.name}, {len(loaded.spec.steps)} steps")
        for warning in loaded.spec.warnings():
            err.print(f"[yellow]![/] {path}: {warning}", highlight=False)
    if failed:
        raise typer.Exit(2)


def status(workspace: WorkspaceOpt = "default",
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Enrollments by state, and per playbook step the next touch and why it is not due now."""
    from sqlmodel import func, select

    from cadenza.agent.explain import overview
    from cadenza.leads.speed import speed_to_lead
    from cadenza.store.models import Enrollment, Touch, utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        now = utcnow()
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            by_state = session.exec(select(Enrollment.state, func.count()).where(
                Enrollment.workspace_id == ws.id).group_by(Enrollment.state)).all()
            touches = session.exec(select(Touch.state, func.count()).where(
                Touch.workspace_id == ws.id).group_by(Touch.state)).all()
            view = overview(session, ws.id or 0, now)
            leads = speed_to_lead(session, ws.id or 0, now)
        if as_json:
            print(json.dumps({"workspace": workspace, "as_of": now.isoformat(),
                              "enrollments": dict(by_state), "touches": dict(touches),
                              **view.public(), "speed_to_lead": leads.public()}, indent=2))
            return
        table = Table("enrollment state", "count", title=f"workspace {workspace}")
        for state, count in sorted(by_state):
            table.add_row(state, str(count))
        console.print(table)
        if touches:
            t2 = Table("touch state", "count")
            for state, count in sorted(touches):
                t2.add_row(state, str(count))
            console.print(t2)
        if view.steps:
            t3 = Table("playbook", "step", "channel", "active", "next due (UTC)", "why not now")
            for step in view.steps:
                t3.add_row(step.playbook, str(step.step), step.channel, str(step.enrollments),
                           f"{step.next_due_at:%Y-%m-%d %H:%M}" if step.next_due_at else "-",
                           step.why)
            console.print(t3)
        console.print(f"due now: [bold]{view.due_now}[/] touches (as of {now:%Y-%m-%d %H:%M} "
                      f"UTC); {view.awaiting_approval} draft(s) await approval, "
                      f"{view.waiting_for_person} enrollment(s) wait for a person's triage, "
                      f"{view.paused} paused" + (f" (first back {view.paused_until:%Y-%m-%d})"
                                                 if view.paused_until else ""))
        console.print(leads.line(), markup=False)
