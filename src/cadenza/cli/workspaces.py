"""``cadenza workspace list | show | set``: a workspace's policy without editing a JSON column.

The policy (approval mode and count, countries held for a person, the GDPR line, the
per-domain daily cap, the time zone, and the workspace's own public address and classifier
threshold where it overrides the process's) is validated by the same model the agent reads it with
(:class:`cadenza.agent.policy.WorkspacePolicy`), so ``set`` refuses what the agent would not
accept, naming the key, and nothing half-valid is stored.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, console
from cadenza.config import Settings
from cadenza.errors import InputError

workspace_app = typer.Typer(help="Workspaces and their policy.", no_args_is_help=True)

#: The keys ``set`` accepts, and how a value on the command line becomes one.
SETTABLE: dict[str, str] = {
    "approval.mode": "never | always | first_n",
    "approval.first_n": "drafts per playbook a person approves first (first_n mode)",
    "hold_countries": "comma-separated ISO codes held for a person (empty: none)",
    "gdpr_notice": "true | false: add the GDPR Art. 14 line",
    "gdpr_notice_text": "the GDPR line's text",
    "domain_daily_cap": "emails per recipient domain per rolling 24 h",
    "timezone": "IANA zone for the workspace's own times",
    "public_base_url": "the address its unsubscribe and ticket links use instead of "
                       "CADENZA_PUBLIC_BASE_URL (empty: the process's)",
    "classify_threshold": "below this confidence its replies go to a person, instead of "
                          "CADENZA_CLASSIFY_THRESHOLD (empty: the process's)",
    "inbound_playbook": "the inbound playbook a lead without one is enrolled in",
    "inbound_secret": "env:NAME or file:/path of the inbound-lead webhook's secret",
    "warmup.start_per_day": "a warming mailbox's cap on its day 0",
    "warmup.increase_per_day": "added to a warming mailbox's cap each day after",
    "warmup.new_mailboxes": "true | false: a mailbox added starts warming up",
    "resting.bounce_rate": "hard bounces / sends (0-1) that rest a mailbox",
    "resting.min_sends": "sends in the window before the bounce rate counts",
    "resting.window_hours": "the window the bounce rate is measured over",
    "resting.rest_on_complaint": "true | false: a spam complaint rests the mailbox",
    "resting.rest_hours": "how long a rest lasts (0: until `mailbox rest-end`)",
}
_WHOLE = ("approval.first_n", "domain_daily_cap", "warmup.start_per_day",
          "warmup.increase_per_day", "resting.min_sends", "resting.window_hours",
          "resting.rest_hours")
_YES_NO = ("gdpr_notice", "warmup.new_mailboxes", "resting.rest_on_complaint")


def _value(key: str, raw: str) -> Any:
    if key == "hold_countries":
        return [c.strip().upper() for c in raw.split(",") if c.strip()]
    if key in _YES_NO:
        if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise InputError(f"{key} must be true or false, not {raw!r}", field=key)
        return raw.lower() in ("true", "yes", "1")
    if key == "timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"{key} must be an IANA zone such as Europe/Berlin, not {raw!r}",
                             field=key) from None
        return raw
    if key in ("public_base_url", "classify_threshold") and not raw.strip():
        return None  # back to the process's setting
    if key in ("classify_threshold", "resting.bounce_rate"):
        try:
            return float(raw)
        except ValueError:
            raise InputError(f"{key} must be a number from 0 to 1, not {raw!r}",
                             field=key) from None
    if key in _WHOLE:
        try:
            return int(raw)
        except ValueError:
            raise InputError(f"{key} must be a whole number, not {raw!r}", field=key) from None
    return raw


def _policy_view(settings: dict[str, Any]) -> dict[str, Any]:
    from cadenza.agent.policy import workspace_policy

    return workspace_policy(settings).model_dump(mode="json")


@workspace_app.command("list")
def workspace_list(as_json: JsonOpt = False) -> None:
    """Every workspace, with its mailboxes and prospects counted."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from cadenza.store.models import Mailbox, Prospect, Workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            rows = []
            for ws in session.exec(select(Workspace).order_by(col(Workspace.id))):
                boxes = session.exec(select(func.count()).select_from(Mailbox)
                                     .where(Mailbox.workspace_id == ws.id)).one()
                people = session.exec(select(func.count()).select_from(Prospect)
                                      .where(Prospect.workspace_id == ws.id)).one()
                rows.append({"slug": ws.slug, "name": ws.name, "mailboxes": int(boxes),
                             "prospects": int(people)})
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        console.print(f"{row['slug']}: {row['name']} — {row['mailboxes']} mailbox(es), "
                      f"{row['prospects']} prospect(s)")


@workspace_app.command("show")
def workspace_show(workspace: Annotated[str, typer.Argument(
                       envvar="CADENZA_WORKSPACE", help="Workspace slug.")] = "default",
                   as_json: JsonOpt = False) -> None:
    """A workspace's policy, every key with its value (defaults included)."""
    from cadenza.store.workspaces import get_workspace

    with _errors():
        db = _database(Settings())
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            policy = _policy_view(ws.settings)
            view: dict[str, Any] = {"slug": ws.slug, "name": ws.name, "policy": policy}
    if as_json:
        print(json.dumps(view, indent=2))
        return
    console.print(f"{view['slug']}: {view['name']}")
    for key, value in policy.items():
        console.print(f"  {key}: {json.dumps(value)}")


@workspace_app.command("set")
def workspace_set(key: Annotated[str, typer.Argument(help="; ".join(
                      f"{k}: {v}" for k, v in SETTABLE.items()))],
                  value: Annotated[str, typer.Argument(help="The new value.")],
                  workspace: WorkspaceOpt = "default") -> None:
    """Change one key of the workspace's policy (validated before it is stored)."""
    import getpass

    from cadenza.agent.policy import change_policy
    from cadenza.store.workspaces import get_workspace

    with _errors():
        if key not in SETTABLE:
            raise InputError(f"unknown key {key!r}; one of: {', '.join(SETTABLE)}", field=key)
        new_value = _value(key, value)
        head, _, leaf = key.rpartition(".")
        settings = Settings()
        db = _database(settings)
        with db.session() as session:
            ws = get_workspace(session=session, slug=workspace)
            change_policy(session, ws, {head: {leaf: new_value}} if head else {key: new_value},
                          by=f"cli:{getpass.getuser()}", environment=settings.environment)
    console.print(f"{workspace}: {key} = {json.dumps(new_value)}")
