"""Export parses back (JSONL and CSV), metrics percentiles, the queue order, the benchmark."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from handoff_world import MONDAY_10, handoff, prospect, rep, workspace

from cadenza.bench.routing import bench_routing
from cadenza.handoff.export import COLUMNS, export_handoffs
from cadenza.handoff.metrics import handoff_metrics, percentile
from cadenza.handoff.queue import list_queue
from cadenza.handoff.routing import route_pending
from cadenza.handoff.tickets import transition
from cadenza.store import Database

M = dt.timedelta(minutes=1)


def _seed(db: Database) -> int:
    with db.session() as s:
        ws = workspace(s)
        rep(s, ws, "r@agency.test")
        for i in range(5):
            p = prospect(s, ws, first_name=f"P{i}", company="=HYPERLINK(1)" if i == 0 else "Co",
                         country="DE")
            handoff(s, ws, p, priority=i % 3, intent=["question", "interested",
                                                       "meeting_request"][i % 3],
                    summary="Sounds good, call me.\n> quoted", created_at=MONDAY_10)
        route_pending(session=s, now=MONDAY_10 + 2 * M)
        for hid, mins in ((1, 5), (2, 30)):
            transition(session=s, handoff_id=hid, to="accepted", by="t",
                       now=MONDAY_10 + mins * M)
        transition(session=s, handoff_id=1, to="contacted", by="t", now=MONDAY_10 + 60 * M)
        assert ws.id is not None
        return ws.id


@pytest.mark.calendar
def test_export_jsonl_and_csv_parse_back(sqlite_db: Database) -> None:
    wid = _seed(sqlite_db)
    with sqlite_db.session() as s:
        out = io.StringIO()
        assert export_handoffs(session=s, workspace_id=wid, out=out, fmt="jsonl") == 5
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [r["handoff_id"] for r in rows] == [1, 2, 3, 4, 5]
        assert set(rows[0]) == set(COLUMNS)
        assert rows[0]["rep_email"] == "r@agency.test"
        assert rows[0]["accepted_at"] == "2026-11-30T10:05:00+00:00"
        assert "quoted" not in rows[0]["summary"] and "Sounds good" in rows[0]["summary"]
        out = io.StringIO()
        export_handoffs(session=s, workspace_id=wid, out=out, fmt="csv")
        parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert tuple(parsed[0]) == COLUMNS and len(parsed) == 5
        assert parsed[0]["company"] == "'=HYPERLINK(1)"  # no formula injection
        assert parsed[1]["state"] == "accepted"


@pytest.mark.calendar
def test_metrics_and_queue(sqlite_db: Database) -> None:
    wid = _seed(sqlite_db)
    with sqlite_db.session() as s:
        m = handoff_metrics(session=s, workspace_id=wid, since=MONDAY_10 - M,
                            until=MONDAY_10 + 90 * M)
        assert m.total == 5 and m.by_state == {"contacted": 1, "accepted": 1, "new": 3}
        assert m.time_to_route.p50_wall == 2.0 and m.time_to_route.count == 5
        assert m.time_to_accept.count == 2 and m.time_to_accept.p90_wall == 28.0
        assert m.time_to_first_contact.p50_working == 60.0
        assert m.breaches == 4  # one accepted late (28 > 15 min) and three never accepted
        items = list_queue(session=s, workspace_id=wid, rep_id=1, now=MONDAY_10 + 90 * M)
        assert [i.priority for i in items] == sorted((i.priority for i in items), reverse=True)
        assert len(items) == 5 and items[0].intent == "meeting_request"
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([], 90) is None


@pytest.mark.slow  # runs the routing benchmark itself
def test_bench_routing_reports_percentiles_and_baseline() -> None:
    result = bench_routing(reps=10, open_tickets=500, decisions=30)
    assert result["decisions"] == 30
    assert result["routing_p95_ms"] >= result["routing_p50_ms"] > 0
    assert result["baseline_pk_read_p50_ms"] > 0
    assert sum(result["rules"].values()) == 30
