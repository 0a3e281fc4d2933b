"""The pages about results: the dashboard (headline figures, the funnel per step, each A/B
test with its verdict and a promote button, the trend per week, CSV downloads for the
operator's session) and the ticket's outcome forms (meeting booked with its date, opportunity
with its amount, disqualified with its reason).

Server-rendered like every page (no script); the charts are inline SVG drawn by
:mod:`cadenza.api.charts`. The promote button and the outcome forms go through the same
functions as the API and the CLI.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException as StarletteHTTPException

from cadenza.api.auth import PageCaller, PageOperator, verify_csrf
from cadenza.api.charts import funnel_chart, trend_chart, variant_chart
from cadenza.api.pages import CsrfField, SettingsDep, back, render
from cadenza.api.routes_records import DbDep
from cadenza.api.unsubscribe import NowDep
from cadenza.errors import InputError, NotFoundError
from cadenza.handoff.outcome_import import parse_amount, parse_when
from cadenza.handoff.outcomes import record_outcome
from cadenza.metrics import DIMENSIONS, MetricsQuery, metrics_table
from cadenza.metrics.dashboard import METRIC_WORDS, dashboard
from cadenza.metrics.export import period, write_table_csv
from cadenza.metrics.promotion import promote_variant
from cadenza.store.models import Playbook
from cadenza.store.results import Outcome

router = APIRouter(include_in_schema=False)


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise StarletteHTTPException(422, f"{value!r} is not a date YYYY-MM-DD") from None


def _period(request: Request, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, str | None]:
    params = request.query_params
    try:
        since, until = period(now=now, since=_day(params.get("since")),
                              until=_day(params.get("until")))
    except ValueError as exc:
        raise StarletteHTTPException(422, str(exc)) from None
    playbook = (params.get("playbook") or "").strip()[:64] or None
    return since, until, playbook


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, p: PageOperator, db: DbDep, settings: SettingsDep,
                   now: NowDep) -> Response:
    since, until, playbook = _period(request, now)
    with db.session() as s:
        d = dashboard(s, workspace_id=p.workspace_id, since=since, until=until,
                      playbook=playbook)
        names = sorted(set(s.exec(select(Playbook.name).where(
            Playbook.workspace_id == p.workspace_id)).all()))
    last_day = until - dt.timedelta(days=1) if until.time() == dt.time() else until
    query = urlencode({k: v for k, v in (("since", f"{since:%Y-%m-%d}"),
                                          ("until", f"{last_day:%Y-%m-%d}"),
                                          ("playbook", playbook or "")) if v})
    return render(request, "dashboard.html", p, settings, d=d, playbooks=names,
                  since=f"{since:%Y-%m-%d}", until=f"{last_day:%Y-%m-%d}", query=query,
                  funnel=funnel_chart(d.funnel), trend=trend_chart(d.weeks),
                  variants=[(t, variant_chart(t)) for t in d.variants],
                  metric_words=METRIC_WORDS["positive_reply_rate"],
                  notice=request.query_params.get("notice", "")[:200])


@router.get("/dashboard/{by}.csv")
def dashboard_csv(request: Request, by: str, p: PageOperator, db: DbDep,
                  now: NowDep) -> Response:
    """The same tables as ``GET /api/metrics/{by}?format=csv``, for the logged-in operator."""
    if by not in DIMENSIONS:
        raise StarletteHTTPException(404, f"no dimension {by!r}")
    since, until, playbook = _period(request, now)
    with db.session() as s:
        table = metrics_table(s, MetricsQuery(workspace_id=p.workspace_id, since=since,
                                              until=until, by=by,
                                              playbook=playbook))
    out = io.StringIO()
    write_table_csv(table, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="cadenza-{by}-{since:%Y%m%d}.csv"'})


@router.post("/dashboard/promote")
def promote_page(request: Request, p: PageOperator, db: DbDep, settings: SettingsDep,
                 csrf: CsrfField, now: NowDep,
                 playbook: Annotated[str, Form(max_length=64)],
                 step: Annotated[int, Form(ge=1, le=100)],
                 variant: Annotated[str, Form(max_length=32)]) -> Response:
    verify_csrf(request, settings, csrf)
    try:
        with db.session() as s:
            promote_variant(s, workspace_id=p.workspace_id, playbook=playbook, step=step,
                            variant=variant, by=p.actor, now=now)
    except (InputError, NotFoundError) as exc:
        raise StarletteHTTPException(422, str(exc)) from None
    return back("/dashboard?" + urlencode({"notice": f"{playbook} step {step}: {variant} "
                                                     "promoted"}))


def outcomes_of(session: Session, prospect_id: int) -> list[Outcome]:
    """The prospect's outcomes, as the ticket page lists them."""
    return list(session.exec(select(Outcome).where(Outcome.prospect_id == prospect_id)
                             .order_by(col(Outcome.id))))


@router.post("/tickets/{handoff_id}/outcome/{kind}")
def ticket_outcome(request: Request, handoff_id: int, kind: str, p: PageCaller, db: DbDep,
                   settings: SettingsDep, csrf: CsrfField, now: NowDep,
                   meeting_date: Annotated[str, Form(max_length=10)] = "",
                   meeting_time: Annotated[str, Form(max_length=5)] = "",
                   amount: Annotated[str, Form(max_length=32)] = "",
                   currency: Annotated[str, Form(max_length=3)] = "",
                   reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """The ticket's outcome forms: the rep's own tickets (another's is a 404, as everywhere)."""
    from cadenza.api.tickets import scoped_handoff

    verify_csrf(request, settings, csrf)
    if kind not in ("meeting_booked", "opportunity", "disqualified"):
        raise StarletteHTTPException(404, "no such outcome")
    try:
        when = None
        if meeting_date:
            when = parse_when(f"{meeting_date}T{meeting_time or '00:00'}:00+00:00")
        with db.session() as s:
            scoped_handoff(s, p, handoff_id)
            record_outcome(s, workspace_id=p.workspace_id, kind=kind,
                           source="rep" if not p.is_operator else "api", by=p.actor, now=now,
                           handoff_id=handoff_id, meeting_at=when,
                           amount=parse_amount(amount) if amount else None,
                           currency=currency, reason=reason,
                           rep_id=None if p.is_operator else p.rep_id)
    except (InputError, NotFoundError) as exc:
        raise StarletteHTTPException(422, str(exc)) from None
    return back(f"/tickets/{handoff_id}?" + urlencode(
        {"notice": kind.replace("_", " ") + " recorded"}))
