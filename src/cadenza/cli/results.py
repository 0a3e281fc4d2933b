"""``cadenza outcomes …`` (results reported back) and ``cadenza variants …`` (A/B tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, console
from cadenza.config import Settings

outcomes_app = typer.Typer(help="Meetings, opportunities and disqualifications reported back.",
                           no_args_is_help=True)
variants_app = typer.Typer(help="A/B tests of playbook steps: rates, verdicts, promotion.",
                           no_args_is_help=True)


@outcomes_app.command("import")
def import_outcomes_cmd(path: Annotated[Path, typer.Argument(help="CSV from a CRM.")],
                        workspace: WorkspaceOpt = "default",
                        report: Annotated[Path | None, typer.Option(
                            help="Write every rejected row as JSONL here.")] = None) -> None:
    """Import outcomes (columns: handoff_id or email, outcome, meeting_at, amount, currency,
    reason); exit 3 when some rows were rejected, with the line and the field of each."""
    from cadenza.handoff.outcome_import import import_outcomes
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            result = import_outcomes(session=session, workspace_id=ws.id or 0, path=path,
                                     by=f"import:{path.name}", now=utcnow())
    table = Table(title=f"outcomes from {path.name}")
    for name in ("recorded", "updated", "rejected"):
        table.add_column(name, justify="right")
    table.add_row(*(str(result.counts[k]) for k in ("recorded", "updated", "rejected")))
    console.print(table)
    for row in result.rejected[:20]:
        where = f" (field '{row.field}')" if row.field else ""
        console.print(f"  {path.name}:{row.line}: rejected: {row.reason}{where}",
                      highlight=False)
    if report is not None:
        with report.open("w", encoding="utf-8") as fh:
            for row in result.rejected:
                fh.write(json.dumps({"file": str(path), "line": row.line, "who": row.who,
                                     "reason": row.reason, "field": row.field}) + "\n")
    if result.counts["rejected"]:
        raise typer.Exit(3)


@outcomes_app.command("booking-secret")
def booking_secret_cmd(workspace: WorkspaceOpt = "default") -> None:
    """Print the key a booking tool signs POST /api/bookings callbacks with (README)."""
    from cadenza.handoff.bookings import booking_secret
    from cadenza.store.workspaces import get_workspace

    with _errors():
        settings = Settings()
        db = _database(settings)
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
        print(booking_secret(settings.signing_key(), ws.slug))


@variants_app.command("list")
def list_variants(workspace: WorkspaceOpt = "default",
                  days: Annotated[int, typer.Option(help="Enrollments of the last N days.")]
                  = 90,
                  playbook: Annotated[str | None, typer.Option(help="Only this playbook.")]
                  = None,
                  metric: Annotated[str, typer.Option(
                      help="positive_reply_rate | reply_rate | meeting_rate")]
                  = "positive_reply_rate",
                  as_json: JsonOpt = False) -> None:
    """Each A/B step: its variants' rates with 95% intervals and the sequential test's verdict."""
    import datetime as dt

    from cadenza.errors import InputError
    from cadenza.metrics.dashboard import METRIC_WORDS, dashboard
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if metric not in METRIC_WORDS:
            raise InputError(f"--metric must be one of {', '.join(METRIC_WORDS)}",
                             field="metric")
        db = _database(Settings())
        now = utcnow()
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            d = dashboard(session, workspace_id=ws.id or 0, since=now - dt.timedelta(days=days),
                          until=now, playbook=playbook, metric=metric)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps([t.model_dump(mode="json") for t in d.variants], indent=2))
        return
    for test in d.variants:
        table = Table("variant", "changes", "reached", "successes", "rate", "95% interval",
                      "vs control", title=f"{test.playbook} step {test.step}"
                      + (f" · promoted: {test.promoted}" if test.promoted else ""))
        for arm in test.arms:
            table.add_row(arm.name + (" (control)" if arm.control else ""), arm.changes,
                          str(arm.touched), str(arm.successes), _pct(arm.rate),
                          f"{_pct(arm.low)} – {_pct(arm.high)}",
                          "" if arm.control else f"{_pct(arm.difference, signed=True)}"
                          f"{' significant' if arm.significant else ''}")
        console.print(table)
        console.print(test.verdict, highlight=False)
    if not d.variants:
        console.print("No step of this workspace's playbooks has variants.")


def _pct(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:+.1f} pts" if signed else f"{value:.1%}"


@variants_app.command("promote")
def promote(playbook: Annotated[str, typer.Argument(help="Playbook name.")],
            step: Annotated[int, typer.Argument(help="Step number.")],
            variant: Annotated[str, typer.Argument(help="The winning variant's name.")],
            workspace: WorkspaceOpt = "default",
            by: Annotated[str, typer.Option(help="Who decides (recorded in the event).")]
            = "cli") -> None:
    """Promote a variant: from now on every new touch of that step uses it."""
    from cadenza.metrics.promotion import promote_variant
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            row = promote_variant(session, workspace_id=ws.id or 0, playbook=playbook,
                                  step=step, variant=variant, by=by, now=utcnow())
            console.print(f"{playbook} step {step}: {row.variant} promoted by {row.promoted_by}"
                          f" at {row.promoted_at:%Y-%m-%d %H:%M UTC}; new touches use it.")
