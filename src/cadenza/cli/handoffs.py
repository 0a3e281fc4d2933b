"""Handoffs to reps: the API and pages, queues, routing and SLA, CRM exports.

The top-level commands are registered on ``app`` in ``cadenza.cli``, in ``--help`` order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

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

if TYPE_CHECKING:
    from sqlmodel import Session

handoff_app = typer.Typer(help="Route handoffs, run the SLA clock, load routing rules.",
                          no_args_is_help=True)
export_app = typer.Typer(help="CRM-friendly exports.", no_args_is_help=True)


@contextmanager
def _handoff_session(workspace: str) -> Iterator[tuple[Session, int, Any]]:
    """A session, the workspace's id and its handoff notifier: what routing and the SLA clock
    both run with."""
    from cadenza.store.workspaces import get_workspace

    settings = Settings()
    db = _database(settings)
    notifier = _handoff_notifier(settings)
    with db.session() as session:
        ws = get_workspace(session=session, slug=workspace)
        yield session, ws.id or 0, notifier


def api(host: Annotated[str, typer.Option()] = "127.0.0.1",
        port: Annotated[int, typer.Option()] = 8000) -> None:
    """Serve the REST API (OpenAPI at /openapi.json) and the rep/operator web pages."""
    from cadenza.api.app import serve

    with _errors():
        settings = Settings()
        _database(settings).dispose()
        serve(settings, host=host, port=port)


def queue(workspace: WorkspaceOpt = "default",
          rep_email: Annotated[str | None, typer.Option(help="A rep's queue.")] = None,
          name: Annotated[str | None, typer.Option(
              "--queue", help="A named queue (default: the rules' fallback queue).")]
          = None, as_json: JsonOpt = False) -> None:
    """List open handoffs: a rep's queue, or an unassigned queue, most urgent first."""
    from sqlmodel import select

    from cadenza.handoff.queue import list_queue
    from cadenza.handoff.rules import routing_for
    from cadenza.store.models import Rep
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            rep_id = None
            if rep_email:
                rep = session.exec(select(Rep).where(Rep.workspace_id == ws.id,
                                                     Rep.email == rep_email)).first()
                if rep is None:
                    raise NotFoundError(f"no rep {rep_email!r} in {workspace}")
                rep_id = rep.id
            if name is None and rep_id is None:
                name = routing_for(ws).fallback_queue  # where unrouted handoffs wait
            items = list_queue(session=session, workspace_id=ws.id or 0, rep_id=rep_id,
                               queue=None if rep_id else name, limit=200)
        if as_json:
            print(json.dumps([it.model_dump(mode="json") for it in items], indent=2))
            return
        table = Table("id", "priority", "intent", "prospect", "company", "state", "SLA")
        for it in items:
            sla = "breached" if it.sla_breached else (f"{it.sla_due_at:%Y-%m-%d %H:%M}"
                                                      if it.sla_due_at else "-")
            table.add_row(str(it.id), str(it.priority), it.intent, it.prospect_name,
                          it.company, it.state, sla)
        console.print(table)


@handoff_app.command("rules")
def handoff_rules(path: Annotated[Path, typer.Argument(help="Routing rules YAML.")],
                  workspace: WorkspaceOpt = "default") -> None:
    """Validate and store a workspace's routing rules (reps, territories, SLA); a rep marked
    ``active: false`` loses their API tokens."""
    from cadenza.handoff.rules import load_routing_file, save_routing
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        config = load_routing_file(path)
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            save_routing(session=session, workspace_id=ws.id or 0, config=config,
                         now=utcnow())
    console.print(f"routing rules from {path} stored for {workspace}")


@handoff_app.command("route")
def handoff_route(workspace: WorkspaceOpt = "default") -> None:
    """Route every unrouted handoff now and notify as the workspace's rules say (rep email,
    webhook, the introduction in the prospect's thread)."""
    from cadenza.handoff.routing import route_pending
    from cadenza.store.models import utcnow

    with _errors():
        with _handoff_session(workspace) as (session, workspace_id, notifier):
            decisions = route_pending(session=session, now=utcnow(), workspace_id=workspace_id,
                                      notifier=notifier)
        for d in decisions:
            console.print(f"{d.rep_email or d.queue}: {d.reason}", highlight=False)
        console.print(f"routed {len(decisions)} handoffs")


@handoff_app.command("sla")
def handoff_sla(workspace: WorkspaceOpt = "default") -> None:
    """Escalate or reassign handoffs that missed their SLA, and triage items nobody decided
    (run every minute or so)."""
    from cadenza.handoff.sla import check_sla
    from cadenza.replies.triage import check_triage_sla
    from cadenza.store.models import utcnow

    with _errors():
        with _handoff_session(workspace) as (session, workspace_id, notifier):
            now = utcnow()
            triage = check_triage_sla(session=session, now=now, workspace_id=workspace_id,
                                      notifier=notifier)
            report = check_sla(session=session, now=now, workspace_id=workspace_id,
                               notifier=notifier)
        console.print(f"checked {report.checked}: escalated {len(report.escalated)}, "
                      f"reassigned {len(report.reassigned)}, to the fallback queue "
                      f"{len(report.to_fallback)}")
        console.print(f"triage: checked {triage.checked}, escalated {len(triage.escalated)}, "
                      f"to the fallback queue {len(triage.queued)}")


@export_app.command("handoffs")
def export_handoffs_cmd(out: Annotated[Path | None, typer.Option(
                            help="Output file (default: standard output).")] = None,
                        workspace: WorkspaceOpt = "default",
                        fmt: Annotated[str, typer.Option("--format", help="jsonl | csv")]
                        = "jsonl") -> None:
    """Export handoffs for a CRM (JSON lines or CSV), to a file or to standard output."""
    import sys

    from cadenza.handoff.export import export_handoffs
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if fmt not in ("jsonl", "csv"):
            raise InputError("--format must be jsonl or csv", field="format")
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            if out is None:
                n = export_handoffs(session=session, workspace_id=ws.id or 0, out=sys.stdout,
                                    fmt=fmt)  # type: ignore[arg-type]
                sys.stdout.flush()
                return
            with out.open("w", encoding="utf-8", newline="") as fh:
                n = export_handoffs(session=session, workspace_id=ws.id or 0, out=fh,
                                    fmt=fmt)  # type: ignore[arg-type]
    console.print(f"exported {n} handoffs to {out}")
