"""``cadenza webhooks``: event subscriptions, their delivery log, replays, the deliverer and
the events' schemas — the same functions as ``/api/webhooks``; changes are recorded as
``cli:<user>``."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, console
from cadenza.config import Settings
from cadenza.errors import InputError

webhooks_app = typer.Typer(help="Event webhooks: subscriptions, deliveries, replays.",
                           no_args_is_help=True)
IdArg = Annotated[int, typer.Argument(help="The webhook's id (from `cadenza webhooks list`).")]


@contextmanager
def _workspace(slug: str) -> Iterator[tuple[Any, int, str]]:
    """A session, the workspace's id and who is acting; commits on success."""
    from cadenza.store.workspaces import get_workspace

    db = _database(Settings())
    with db.session() as session:
        ws = get_workspace(session=session, slug=slug)
        yield session, ws.id or 0, f"cli:{getpass.getuser()}"


@webhooks_app.command("add")
def add(url: Annotated[str, typer.Argument(help="Where to POST the events (https://…).")],
        secret: Annotated[str, typer.Option(
            help="The signing secret's reference: env:NAME or file:/path.")],
        events: Annotated[str, typer.Option(
            help="Comma-separated event types (default: every type; see `webhooks schema`).")]
        = "",
        description: Annotated[str, typer.Option()] = "",
        workspace: WorkspaceOpt = "default") -> None:
    """Subscribe URL to the workspace's events; deliveries are signed with the secret."""
    from cadenza.store.models import utcnow
    from cadenza.webhooks.subscriptions import WebhookIn, add_webhook, validated

    types = [t.strip() for t in events.split(",") if t.strip()]
    with _errors():
        data = validated(WebhookIn, {"url": url, "secret": secret, "event_types": types,
                                     "description": description})
        settings = Settings()
        with _workspace(workspace) as (session, ws_id, by):
            row = add_webhook(session, ws_id, data, by=by, now=utcnow(),
                              allow_http=settings.environment != "production")
            hook_id, kinds = row.id, row.event_types
    console.print(f"webhook {hook_id}: {url} ({', '.join(kinds) or 'every event type'})",
                  markup=False)


@webhooks_app.command("list")
def list_cmd(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """The workspace's webhooks (secret references, never secrets)."""
    from cadenza.webhooks.subscriptions import WebhookPublic, list_webhooks

    with _errors(), _workspace(workspace) as (session, ws_id, _):
        rows = [WebhookPublic.model_validate(h) for h in list_webhooks(session, ws_id)]
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    if not rows:
        console.print("no webhooks")
    for r in rows:
        console.print(f"{r.id} {'on ' if r.active else 'off'} {r.url} secret {r.secret} — "
                      f"{', '.join(r.event_types) or 'every event type'}", markup=False)


@webhooks_app.command("remove")
def remove(webhook_id: IdArg, workspace: WorkspaceOpt = "default") -> None:
    """Remove a webhook: nothing more is sent to it; its delivery log stays."""
    from cadenza.store.models import utcnow
    from cadenza.webhooks.subscriptions import remove_webhook

    with _errors(), _workspace(workspace) as (session, ws_id, by):
        cancelled = remove_webhook(session, ws_id, webhook_id, by=by, now=utcnow())
    console.print(f"webhook {webhook_id} removed ({cancelled} pending deliveries cancelled)")


@webhooks_app.command("test")
def test(webhook_id: IdArg, workspace: WorkspaceOpt = "default") -> None:
    """Send a signed webhook.test event now; exit 1 unless the receiver answers 2xx."""
    from cadenza.webhooks.deliverer import Deliverer
    from cadenza.webhooks.subscriptions import queue_test

    with _errors():
        with _workspace(workspace) as (session, ws_id, by):
            delivery_id = queue_test(session, ws_id, webhook_id, by=by)
        deliverer = Deliverer(_database(Settings()), timeout=10.0)
        try:
            report = deliverer.run_once(only=[delivery_id], final=True)
        finally:
            deliverer.close()
    if not report.attempts:
        console.print(f"delivery {delivery_id} was taken by a running deliverer: see "
                      f"`cadenza webhooks deliveries {webhook_id}`")
        return
    a = report.attempts[0]
    console.print(f"delivery {a.delivery_id}: {a.state}"
                  + (f" (HTTP {a.status_code})" if a.status_code else "")
                  + (f": {a.error}" if a.error else "") + f" in {a.duration_ms:.0f} ms",
                  markup=False)
    if a.state != "delivered":
        raise typer.Exit(1)


@webhooks_app.command("deliveries")
def deliveries(webhook_id: IdArg, workspace: WorkspaceOpt = "default",
               state: Annotated[str | None, typer.Option(
                   help="pending | delivered | failed")] = None,
               limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
               as_json: JsonOpt = False) -> None:
    """A webhook's delivery log, newest first: state, attempts, last status and error."""
    from cadenza.webhooks.subscriptions import DeliveryPublic, list_deliveries

    with _errors(), _workspace(workspace) as (session, ws_id, _):
        rows = [DeliveryPublic.model_validate(d) for d in list_deliveries(
            session, ws_id, webhook_id, state=state, limit=limit)]
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    if not rows:
        console.print("no deliveries")
    for r in rows:
        when = (f"next try {r.next_attempt_at:%Y-%m-%d %H:%M:%S}" if r.state == "pending"
                and r.next_attempt_at else "")
        console.print(f"{r.id} event {r.event_id} {r.event}"
                      + (f" (replay {r.replay})" if r.replay else "")
                      + f": {r.state} after {r.attempts} attempt(s)"
                      + (f", HTTP {r.status_code}" if r.status_code else "")
                      + (f", {r.error}" if r.error else "") + (f"; {when}" if when else ""),
                      markup=False)


@webhooks_app.command("replay")
def replay(delivery_id: Annotated[int | None, typer.Argument(
               help="A delivery to send again (a new delivery, the same event id).")] = None,
           since: Annotated[str | None, typer.Option(
               help="Instead: every event since this ISO time (UTC unless it says).")] = None,
           webhook: Annotated[int | None, typer.Option(
               help="With --since: only this webhook.")] = None,
           workspace: WorkspaceOpt = "default") -> None:
    """Deliver events again: one delivery by its id, or every event since a time."""
    from cadenza.webhooks.subscriptions import replay_delivery, replay_since

    with _errors():
        if (delivery_id is None) == (since is None):
            raise InputError("give a DELIVERY_ID or --since, not both or neither")
        with _workspace(workspace) as (session, ws_id, by):
            if delivery_id is not None:
                row = replay_delivery(session, ws_id, delivery_id, by=by)
                said = f"delivery {row.id} queued (event {row.event_id}, replay {row.replay})"
            else:
                queued = replay_since(session, ws_id, _moment(since or ""), by=by,
                                      webhook_id=webhook)
                said = f"{queued} deliveries queued"
    console.print(said)


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--since must be an ISO time such as 2026-12-07T09:00, not "
                         f"{text!r}", field="since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@webhooks_app.command("deliver")
def deliver(once: Annotated[bool, typer.Option(help="One pass, then exit.")] = False,
            poll: Annotated[float, typer.Option(help="Seconds between idle passes.")] = 1.0
            ) -> None:
    """Send the queued event deliveries (every workspace), retrying with backoff."""
    import logging
    import signal
    import threading

    from cadenza.webhooks.deliverer import Deliverer

    with _errors():
        deliverer = Deliverer(_database(Settings()))
        try:
            if once:
                report = deliverer.run_once()
                for a in report.attempts:
                    print(f"delivery {a.delivery_id} ({a.kind}, event {a.event_id}): {a.state}"
                          + (f" ({a.error})" if a.error else ""), flush=True)
                print(f"{report.count('delivered')} delivered, {report.count('pending')} to "
                      f"retry, {report.count('failed')} failed", flush=True)
                return
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            logging.getLogger("cadenza").setLevel(logging.INFO)
            console.print("delivering webhooks (Ctrl-C to stop)")
            deliverer.run_forever(stop, poll_seconds=poll)
        finally:
            deliverer.close()


@webhooks_app.command("schema")
def schema(out: Annotated[Path | None, typer.Option(
        help="Write <type>.json per event type into this folder (else print them).")] = None
           ) -> None:
    """The JSON schema of every event type, each with an example."""
    from cadenza.event_types import DOCUMENTED, json_schema

    schemas = {kind: json_schema(kind) for kind in sorted(DOCUMENTED)}
    if out is None:
        print(json.dumps(schemas, indent=2))
        return
    out.mkdir(parents=True, exist_ok=True)
    for kind, body in schemas.items():
        (out / f"{kind}.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {len(schemas)} schemas to {out}")
