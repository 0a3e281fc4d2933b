"""Metrics over the API: a table per dimension (JSON or CSV), the dashboard's data, the A/B
tests and promoting a winner."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from cadenza.api.auth import Operator
from cadenza.api.routes_records import ERRORS, DbDep
from cadenza.api.schemas import Problem
from cadenza.api.unsubscribe import NowDep
from cadenza.errors import InputError, NotFoundError
from cadenza.metrics import Dimension, MetricsQuery, MetricsTable, metrics_table
from cadenza.metrics.dashboard import Dashboard, TestMetric, VariantTest, dashboard
from cadenza.metrics.export import period, write_table_csv
from cadenza.metrics.promotion import promote_variant

router = APIRouter(prefix="/api", responses=ERRORS)

When = Annotated[dt.datetime | dt.date | None, Query(
    description="A date (midnight UTC; for `until`, the end of that day) or an ISO instant")]
PlaybookFilter = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Days = Annotated[int, Query(ge=1, le=3660, description="The period when `since` is not given: "
                                                       "this many days up to `until`")]


def metrics_query(p: Operator, now: dt.datetime, *, by: Dimension, since: When, until: When,
                  days: int, playbook: str | None) -> MetricsQuery:
    """The query the caller asked for, scoped to their workspace (a period that ends before
    it starts holds no enrollment: an empty table, not an error)."""
    start, end = period(now=now, since=since, until=until, days=days, strict=False)
    return MetricsQuery(workspace_id=p.workspace_id, since=start, until=end, by=by,
                        playbook=playbook)


@router.get("/metrics/{by}", tags=["metrics"], response_model=MetricsTable,
            responses={200: {"content": {"text/csv": {}}}})
def get_metrics_table(by: Dimension, p: Operator, db: DbDep, now: NowDep, since: When = None,
                      until: When = None, days: Days = 28, playbook: PlaybookFilter = None,
                      fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
                      ) -> MetricsTable | Response:
    """The cohort of enrollments started in the period, grouped by ``by`` (workspace, playbook,
    step, channel, variant, mailbox, rep, language, industry, company_size, country, week):
    enrolled, touched, completion, delivery, reply, positive-reply, meeting, opportunity,
    handoff and opt-out rates, drop-off and the response times. ``format=csv`` answers a
    spreadsheet-safe CSV."""
    q = metrics_query(p, now, by=by, since=since, until=until, days=days, playbook=playbook)
    with db.session() as s:
        table = metrics_table(s, q)
    if fmt == "json":
        return table
    out = io.StringIO()
    write_table_csv(table, out)
    name = f"cadenza-metrics-{by}-{q.since:%Y%m%d}-{q.until:%Y%m%d}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


class PromoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"playbook": "ai-sdr-first-four", "step": 1, "variant": "b"}]})

    playbook: str = Field(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    step: int = Field(ge=1, le=100)
    variant: str = Field(max_length=32, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class WinnerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    playbook: str
    step: int
    variant: str
    promoted_by: str
    promoted_at: dt.datetime


@router.get("/dashboard", tags=["metrics"], response_model=Dashboard)
def get_dashboard(p: Operator, db: DbDep, now: NowDep, since: When = None, until: When = None,
                  days: Days = 28, playbook: PlaybookFilter = None) -> Dashboard:
    """The dashboard page's data: totals, the funnel per step, each A/B test, the weeks."""
    q = metrics_query(p, now, by="workspace", since=since, until=until, days=days,
                      playbook=playbook)
    with db.session() as s:
        return dashboard(s, workspace_id=p.workspace_id, since=q.since, until=q.until,
                         playbook=playbook)


@router.get("/variants", tags=["variants"], response_model=list[VariantTest])
def get_variants(p: Operator, db: DbDep, now: NowDep, since: When = None, until: When = None,
                 days: Annotated[int, Query(ge=1, le=3660)] = 90,
                 playbook: PlaybookFilter = None,
                 metric: Annotated[TestMetric, Query()] = "positive_reply_rate",
                 ) -> list[VariantTest]:
    """Each step with variants: every variant's rate with its 95 % interval, the difference
    from the control with its always-valid interval, and the sequential test's verdict in
    words ("not yet significant" until it is; safe to read every day)."""
    q = metrics_query(p, now, by="variant", since=since, until=until, days=days,
                      playbook=playbook)
    with db.session() as s:
        return dashboard(s, workspace_id=p.workspace_id, since=q.since, until=q.until,
                         playbook=playbook, metric=metric).variants


@router.post("/variants/promote", tags=["variants"], response_model=WinnerPublic,
             responses={404: {"model": Problem, "description": "No such playbook"}})
def promote(data: PromoteIn, p: Operator, db: DbDep, now: NowDep) -> WinnerPublic:
    """Promote a variant: every new touch of the step uses it from now on (an event records
    who and when)."""
    try:
        with db.session() as s:
            row = promote_variant(s, workspace_id=p.workspace_id, playbook=data.playbook,
                                  step=data.step, variant=data.variant, by=p.actor, now=now)
            return WinnerPublic.model_validate(row)
    except NotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except InputError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
