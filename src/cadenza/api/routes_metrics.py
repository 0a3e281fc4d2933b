"""Metrics over the API: a table per dimension (JSON or CSV) and the dashboard's data."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cadenza.api.auth import Operator
from cadenza.api.routes_records import ERRORS, DbDep
from cadenza.api.unsubscribe import NowDep
from cadenza.metrics import Dimension, MetricsQuery, MetricsTable, metrics_table
from cadenza.metrics.export import period, write_table_csv

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
