"""``cadenza enrollments | prospects | suppressions``: the records an operator manages.

Stopping, pausing and resuming go through the enrollment lifecycle the reply policy uses
(:mod:`cadenza.agent.lifecycle`), so unsent touches are cancelled the same way; suppressing a
prospect, an address or a domain goes through the opt-out's own move
(:func:`cadenza.replies.optout.suppress_and_stop`), so it takes effect everywhere at once; lifting a
suppression asks for a reason and records it with who lifted it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Annotated, Any

import typer

from cadenza.cli.common import JsonOpt, WorkspaceOpt, _database, _errors, console
from cadenza.cli.work import _operator, _print
from cadenza.config import Settings
from cadenza.errors import InputError

enrollments_app = typer.Typer(help="Prospects in a playbook.", no_args_is_help=True)
prospects_app = typer.Typer(help="The people Cadenza writes to.", no_args_is_help=True)
suppressions_app = typer.Typer(help="Addresses and domains never to contact.",
                               no_args_is_help=True)
IdArg = Annotated[int, typer.Argument(help="The id (from the list).")]
Limit = Annotated[int, typer.Option(min=1, max=10_000)]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


# -- enrollments -----------------------------------------------------------------------------

@enrollments_app.command("list")
def enrollments_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False,
                     state: Annotated[str | None, typer.Option()] = None,
                     limit: Limit = 100) -> None:
    """Enrollments, optionally in one state (active, paused, waiting, stopped, completed…)."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        rows = views.list_enrollments(session, p, state=state, limit=limit, offset=0)
    _print(rows, as_json, lambda e: (
        f"{e.id} prospect {e.prospect_id} {e.state} step {e.next_step}"
        + (f" due {e.next_due_at:%Y-%m-%d %H:%M}" if e.next_due_at else "")
        + (f" ({e.stop_reason})" if e.stop_reason else "")))


@enrollments_app.command("show")
def enrollments_show(enrollment_id: IdArg, workspace: WorkspaceOpt = "default",
                     as_json: JsonOpt = False) -> None:
    """Every touch with its state and reason, the replies, and the next due time."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        detail = views.get_enrollment(session, p, enrollment_id)
    if as_json:
        print(json.dumps(detail.model_dump(mode="json"), indent=2))
        return
    console.print(f"enrollment {detail.id}: {detail.state}, step {detail.next_step}, next due "
                  f"{detail.next_due_at or '-'}"
                  + (f" ({detail.stop_reason})" if detail.stop_reason else ""), markup=False)
    for t in detail.touches:
        console.print(f"  touch {t.id} step {t.step} {t.channel}: {t.state}"
                      + (f" — {t.reason}" if t.reason else "")
                      + (f" (sent {t.sent_at:%Y-%m-%d %H:%M})" if t.sent_at else ""),
                      markup=False)
    for r in detail.replies:
        console.print(f"  reply {r.id}: {r.intent} ({r.state})", markup=False)


def _enrollment(session: Any, p: Any, enrollment_id: int) -> Any:
    from cadenza.api import views
    from cadenza.store.models import Enrollment

    return views.scoped(session, Enrollment, enrollment_id, p)


@enrollments_app.command("stop")
def enrollments_stop(enrollment_id: IdArg, reason: Annotated[str, typer.Option()] = "operator",
                     workspace: WorkspaceOpt = "default") -> None:
    """Stop one enrollment: its unsent touches are cancelled, nothing more goes out."""
    from cadenza.agent.lifecycle import stop_enrollments
    from cadenza.store.models import utcnow

    with _errors(), _operator(workspace) as (session, p):
        e = _enrollment(session, p, enrollment_id)
        done = stop_enrollments(session, prospect_id=e.prospect_id, reason=reason,
                                now=utcnow(), source=_actor(), only=[enrollment_id])
        if not done:
            raise InputError(f"enrollment {enrollment_id} is {e.state}: nothing to stop")
    console.print(f"enrollment {enrollment_id} stopped")


@enrollments_app.command("pause")
def enrollments_pause(enrollment_id: IdArg,
                      until: Annotated[str, typer.Option(help="YYYY-MM-DD (UTC)")],
                      workspace: WorkspaceOpt = "default") -> None:
    """Pause one enrollment until a date; it resumes by itself then."""
    from cadenza.agent.lifecycle import pause_enrollments
    from cadenza.store.models import utcnow

    with _errors():
        try:
            day = dt.date.fromisoformat(until)
        except ValueError:
            raise InputError(f"--until must be YYYY-MM-DD, not {until!r}",
                             field="until") from None
        now = utcnow()
        moment = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
        if moment <= now:
            raise InputError(f"--until {until} is not in the future", field="until")
        with _operator(workspace) as (session, p):
            e = _enrollment(session, p, enrollment_id)
            if not pause_enrollments(session, prospect_id=e.prospect_id, until=moment,
                                     reason=f"paused by {_actor()}", now=now,
                                     only=[enrollment_id]):
                raise InputError(f"enrollment {enrollment_id} is {e.state}: cannot pause")
    console.print(f"enrollment {enrollment_id} paused until {until}")


@enrollments_app.command("resume")
def enrollments_resume(enrollment_id: IdArg, workspace: WorkspaceOpt = "default") -> None:
    """Resume a paused enrollment, or one waiting for a person, at the next send window."""
    from cadenza.agent.lifecycle import resume_enrollment
    from cadenza.store.models import utcnow

    with _errors(), _operator(workspace) as (session, p):
        e = _enrollment(session, p, enrollment_id)
        if not resume_enrollment(session, enrollment_id=enrollment_id, now=utcnow(),
                                 reason=f"resumed by {_actor()}"):
            raise InputError(f"enrollment {enrollment_id} is {e.state}: only a paused or "
                             "waiting enrollment resumes")
    console.print(f"enrollment {enrollment_id} resumed")


# -- prospects and suppressions -------------------------------------------------------------

@prospects_app.command("list")
def prospects_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False,
                   limit: Limit = 100) -> None:
    """The workspace's prospects."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        rows = views.list_prospects(session, p, limit=limit, offset=0)
    _print(rows, as_json, lambda r: f"{r.id} {r.email} {r.first_name} {r.last_name} "
           f"({r.company})")


@prospects_app.command("show")
def prospects_show(prospect_id: IdArg, workspace: WorkspaceOpt = "default",
                   as_json: JsonOpt = False) -> None:
    """One prospect with the research facts on record."""
    from cadenza.api import views

    with _errors(), _operator(workspace) as (session, p):
        detail = views.get_prospect(session, p, prospect_id)
    if as_json:
        print(json.dumps(detail.model_dump(mode="json"), indent=2))
        return
    console.print(f"{detail.id} {detail.email}: {detail.first_name} {detail.last_name}, "
                  f"{detail.title} at {detail.company}", markup=False)
    for fact in detail.facts:
        console.print(f"  fact {fact.key} ({fact.kind}): {fact.text}", markup=False)


@prospects_app.command("suppress")
def prospects_suppress(prospect_id: IdArg,
                       reason: Annotated[str, typer.Option()] = "operator",
                       workspace: WorkspaceOpt = "default") -> None:
    """Never contact this prospect again: suppressed, and every enrollment stopped now."""
    from cadenza.api import views
    from cadenza.replies.optout import suppress_and_stop
    from cadenza.store.models import Prospect, utcnow

    with _errors(), _operator(workspace) as (session, p):
        prospect = views.scoped(session, Prospect, prospect_id, p)
        result = suppress_and_stop(session=session, workspace_id=p.workspace_id,
                                   value=prospect.email, reason=reason, source=_actor(),
                                   now=utcnow())
    console.print(f"{prospect.email} suppressed; {len(result.stopped_enrollments)} "
                  "enrollment(s) stopped")


@suppressions_app.command("list")
def suppressions_list(workspace: WorkspaceOpt = "default", as_json: JsonOpt = False) -> None:
    """Every suppressed address and domain, with its reason and source."""
    from sqlmodel import col, select

    from cadenza.store.models import Suppression
    from cadenza.store.workspaces import get_workspace

    with _errors(), _database(Settings()).session() as session:
        ws = get_workspace(session=session, slug=workspace)
        rows = [{"value": r.value, "kind": r.kind, "reason": r.reason, "source": r.source,
                 "created_at": r.created_at.isoformat()}
                for r in session.exec(select(Suppression).where(
                    Suppression.workspace_id == ws.id).order_by(col(Suppression.id)))]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        console.print(f"{row['value']} ({row['kind']}): {row['reason']} {row['source']}",
                      markup=False)


@suppressions_app.command("add")
def suppressions_add(value: Annotated[str, typer.Argument(help="An address or a domain.")],
                     reason: Annotated[str, typer.Option()] = "operator",
                     workspace: WorkspaceOpt = "default") -> None:
    """Suppress an address or a whole domain; the opt-out takes effect everywhere at once."""
    from cadenza.replies.optout import suppress_and_stop
    from cadenza.store.models import utcnow

    with _errors(), _operator(workspace) as (session, p):
        value = value.strip().lower()
        if not value or " " in value or "." not in value.rsplit("@", 1)[-1]:
            raise InputError(f"{value!r} is neither an address nor a domain", field="value")
        result = suppress_and_stop(session=session, workspace_id=p.workspace_id, value=value,
                                   reason=reason, source=_actor(), now=utcnow())
    console.print(f"{value} suppressed; {len(result.stopped_enrollments)} enrollment(s) stopped")


@suppressions_app.command("remove")
def suppressions_remove(value: Annotated[str, typer.Argument(help="An address or a domain.")],
                        reason: Annotated[str, typer.Option(
                            help="Why (recorded): e.g. the person asked to hear from us.")],
                        workspace: WorkspaceOpt = "default") -> None:
    """Lift a suppression; the reason and who lifted it are recorded."""
    from cadenza.store.suppressions import unsuppress

    with _errors(), _operator(workspace) as (session, p):
        if not reason.strip():
            raise InputError("--reason must say why the suppression is lifted", field="reason")
        if not unsuppress(session=session, workspace_id=p.workspace_id, value=value,
                          reason=reason.strip(), by=_actor()):
            raise InputError(f"{value} is not suppressed in {workspace}")
    console.print(f"{value} may be contacted again (reason recorded)")
