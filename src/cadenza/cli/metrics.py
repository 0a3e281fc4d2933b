"""``cadenza metrics``: the cadence metrics of a workspace as a table, JSON or CSV."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, console
from cadenza.config import Settings
from cadenza.errors import InputError

#: The columns the terminal table shows (``--json`` and ``--csv`` carry every column).
SHOWN = (("touched", "touched"), ("reply_rate", "reply"), ("positive_reply_rate", "positive"),
         ("meeting_rate", "meeting"), ("handoff_rate", "handoff"), ("opt_out_rate", "opt-out"),
         ("bounce_rate", "bounce"), ("completion_rate", "complete"), ("dropped", "dropped"))


def _pct(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


def metrics(workspace: WorkspaceOpt = "default",
            by: Annotated[str, typer.Option(help="workspace | playbook | step | channel | "
                                                 "variant | mailbox | rep | language | "
                                                 "industry | company_size | country | week")]
            = "workspace",
            since: Annotated[str | None, typer.Option(
                help="First day (YYYY-MM-DD) of the cohort: enrollments started then or later.")]
            = None,
            until: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD), included.")]
            = None,
            days: Annotated[int, typer.Option(help="Without --since: this many days up to "
                                                   "--until (or now).")] = 28,
            playbook: Annotated[str | None, typer.Option(help="Only this playbook.")] = None,
            as_json: JsonOpt = False,
            as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (every column).")]
            = False,
            out: Annotated[Path | None, typer.Option(help="Write to this file instead.")]
            = None) -> None:
    """Cadence metrics per dimension: enrolled, touched, completion, delivery, reply,
    positive-reply, meeting, handoff and opt-out rates, drop-off and response times."""
    from cadenza.metrics import DIMENSIONS, MetricsQuery, metrics_table
    from cadenza.metrics.export import period, write_table_csv
    from cadenza.store.models import utcnow
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if by not in DIMENSIONS:
            raise InputError(f"--by must be one of {', '.join(DIMENSIONS)}", field="by")
        if as_json and as_csv:
            raise InputError("choose --json or --csv", field="csv")
        try:
            start, end = period(now=utcnow(), since=_day(since, "since"),
                                until=_day(until, "until"), days=days)
        except ValueError as exc:
            raise InputError(str(exc), field="since") from None
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            table = metrics_table(session, MetricsQuery(
                workspace_id=ws.id or 0, since=start, until=end, by=by,
                playbook=playbook))
    sink = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if as_csv:
            write_table_csv(table, sink)
        elif as_json:
            sink.write(json.dumps(table.model_dump(mode="json"), indent=2) + "\n")
        else:
            _print(table)
    finally:
        if out:
            sink.close()
    if out:
        console.print(f"wrote {len(table.rows)} rows and the total to {out}")


def _day(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--{field} {value!r} is not a date YYYY-MM-DD", field=field) from None


def _print(table: object) -> None:
    from cadenza.metrics import MetricsTable

    assert isinstance(table, MetricsTable)
    view = Table(table.by, *(label for _, label in SHOWN),
                 title=f"{table.since:%Y-%m-%d} – {table.until:%Y-%m-%d}"
                       + (f" · {table.playbook}" if table.playbook else ""))
    for row in [*table.rows, table.total]:
        data = row.model_dump()
        view.add_row(row.key, *(_pct(data[name]) for name, _ in SHOWN))
    console.print(view)
