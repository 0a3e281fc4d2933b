"""The ``cadenza`` command line (typer + rich).

Exit codes scripts can trust: 0 success; 1 the work failed (database unreachable, delivery
error); 2 bad usage or an invalid input file (the message names file, line and field);
3 partial success (e.g. an import in which some rows were rejected — the report says which).
"""

from __future__ import annotations

from typing import Annotated

import typer

from cadenza.cli import (
    agent,
    evals,
    handoffs,
    mail,
    mailboxes,
    metrics,
    records,
    results,
    rotation,
    tokens,
    webhooks,
    work,
    workspace,
    workspaces,
)
from cadenza.cli.logs import configure_logging

app = typer.Typer(help="Cadenza: an AI SDR agent for the first touches of a sales cadence.",
                  no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def _options(log_format: Annotated[str, typer.Option(
        "--log-format", envvar="CADENZA_LOG_FORMAT",
        help="text | json (one JSON object per log record).")] = "text") -> None:
    """Options every command shares."""
    if log_format not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--log-format")
    configure_logging(log_format)

# The commands live in modules by subject; they are registered here, in the order
# `cadenza --help` lists them.
app.command()(workspace.init)
app.command("import")(workspace.import_cmd)
app.command()(workspace.enroll)
app.command()(workspace.status)
app.command()(agent.demo)
app.command()(mail.classify)
app.command()(agent.bench)
app.command()(agent.worker)
app.command()(mail.watch)
app.command()(handoffs.api)
app.command()(agent.run)
app.add_typer(tokens.token_app, name="token")
app.command()(handoffs.queue)
app.command()(metrics.metrics)
app.add_typer(workspace.playbooks_app, name="playbooks")
mailboxes.mailbox_app.command("rotation")(rotation.mailbox_rotation)
mailboxes.mailbox_app.command("warmup")(rotation.mailbox_warmup)
mailboxes.mailbox_app.command("rest")(rotation.mailbox_rest)
mailboxes.mailbox_app.command("rest-end")(rotation.mailbox_rest_end)
app.add_typer(mailboxes.mailbox_app, name="mailbox")
app.add_typer(workspaces.workspace_app, name="workspace")
app.add_typer(work.approvals_app, name="approvals")
app.add_typer(work.triage_app, name="triage")
app.add_typer(work.tasks_app, name="tasks")
app.add_typer(records.enrollments_app, name="enrollments")
app.add_typer(records.prospects_app, name="prospects")
app.add_typer(records.suppressions_app, name="suppressions")
app.add_typer(handoffs.handoff_app, name="handoff")
app.add_typer(handoffs.export_app, name="export")
app.add_typer(webhooks.webhooks_app, name="webhooks")
app.add_typer(evals.eval_app, name="eval")
app.add_typer(results.outcomes_app, name="outcomes")
app.add_typer(results.variants_app, name="variants")

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point (logging is set up by the shared ``--log-format`` option)."""
    app()
