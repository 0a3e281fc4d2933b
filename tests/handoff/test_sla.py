"""The SLA timer: escalate, reassign excluding previous reps, cap, then the fallback queue."""

from __future__ import annotations

import datetime as dt

import pytest
from handoff_world import MONDAY_10, config, handoff, prospect, rep, workspace
from sqlmodel import select

from cadenza.handoff.notify import MemoryNotifier
from cadenza.handoff.routing import route_handoff
from cadenza.handoff.sla import check_sla
from cadenza.store import Database
from cadenza.store.models import Event, Handoff

pytestmark = pytest.mark.calendar


def test_escalate_then_reassign_then_cap_to_fallback(database: Database) -> None:
    cfg = config(sla_minutes=15, fallback_queue="sales-desk", assign_owner=False,
                 working_hours={"mon-fri": "09:00-17:00"},
                 escalation={"reassign_after": 30, "max_reassignments": 1,
                             "notify": ["lead@agency.test"]})
    notifier = MemoryNotifier()
    with database.session() as s:
        ws = workspace(s)
        a = rep(s, ws, "a@agency.test", working_hours={"mon-fri": "09:00-17:00"})
        b = rep(s, ws, "b@agency.test", working_hours={"mon-fri": "09:00-17:00"})
        h = handoff(s, ws, prospect(s, ws))
        assert h.id is not None
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=cfg)
        assert d.rep_id == a.id

        # not yet due
        r = check_sla(session=s, now=MONDAY_10 + dt.timedelta(minutes=14), config=cfg,
                      notifier=notifier)
        assert r.checked == 0
        # due: escalates once, to the rep and the escalation address
        t1 = MONDAY_10 + dt.timedelta(minutes=15)
        r = check_sla(session=s, now=t1, config=cfg, notifier=notifier)
        assert r.escalated == [h.id]
        assert notifier.notices[-1].kind == "escalated"
        assert notifier.notices[-1].recipients == ("a@agency.test", "lead@agency.test")
        assert check_sla(session=s, now=t1 + dt.timedelta(minutes=29), config=cfg,
                         notifier=notifier).escalated == []
        # 30 working minutes later: reassigned to b, with a new SLA
        t2 = t1 + dt.timedelta(minutes=30)
        r = check_sla(session=s, now=t2, config=cfg, notifier=notifier)
        assert r.reassigned == [h.id]
        ticket = s.get(Handoff, h.id)
        assert ticket is not None
        assert ticket.rep_id == b.id and ticket.escalated_at is None
        assert ticket.sla_due_at == t2 + dt.timedelta(minutes=15)
        assert "excluded (already tried): a@agency.test" in ticket.route_reason
        assert notifier.notices[-1].kind == "reassigned"
        assert notifier.notices[-1].recipients[0] == "b@agency.test"
        # b ignores it too: escalate, then the cap sends it to the queue (not back to a)
        t3 = t2 + dt.timedelta(minutes=15)
        assert check_sla(session=s, now=t3, config=cfg, notifier=notifier).escalated == [h.id]
        t4 = t3 + dt.timedelta(minutes=30)
        r = check_sla(session=s, now=t4, config=cfg, notifier=notifier)
        assert r.to_fallback == [h.id]
        ticket = s.get(Handoff, h.id)
        assert ticket is not None
        assert (ticket.rep_id, ticket.queue) == (None, "sales-desk")
        assert "cap (1) reached" in ticket.route_reason
        # the queue ticket escalates once more and is never reassigned
        t5 = t4 + dt.timedelta(minutes=15)
        assert check_sla(session=s, now=t5, config=cfg, notifier=notifier).escalated == [h.id]
        for minutes in (60, 600, 6000):
            r = check_sla(session=s, now=t5 + dt.timedelta(minutes=minutes), config=cfg,
                          notifier=notifier)
            assert (r.escalated, r.reassigned, r.to_fallback) == ([], [], [])
        kinds = [e.kind for e in s.exec(select(Event).where(Event.subject_id == h.id,
                                                             Event.subject_type == "handoff")
                                         .order_by(Event.id))]
        assert kinds == ["handoff.routed", "handoff.escalated", "handoff.sla_breached",
                         "handoff.routed", "handoff.reassigned", "handoff.escalated",
                         "handoff.sla_breached", "handoff.queued", "handoff.escalated",
                         "handoff.sla_breached"]


def test_reassign_waits_in_working_minutes_and_skips_accepted(database: Database) -> None:
    cfg = config(working_hours={"mon-fri": "09:00-17:00"}, assign_owner=False,
                 escalation={"reassign_after": 30})
    with database.session() as s:
        ws = workspace(s)
        rep(s, ws, "a@agency.test", working_hours={"mon-fri": "09:00-17:00"})
        rep(s, ws, "b@agency.test", working_hours={"mon-fri": "09:00-17:00"})
        friday = dt.datetime(2026, 12, 4, 16, 40, tzinfo=dt.UTC)
        late = handoff(s, ws, prospect(s, ws))
        taken = handoff(s, ws, prospect(s, ws))
        for h in (late, taken):
            assert h.id is not None
            route_handoff(session=s, handoff_id=h.id, now=friday, config=cfg)
        taken.state = "accepted"
        s.add(taken)
        r = check_sla(session=s, now=friday + dt.timedelta(minutes=20), config=cfg)
        assert r.escalated == [late.id]
        # the weekend does not count: Monday 09:29 is 29 working minutes later
        monday = dt.datetime(2026, 12, 7, 9, 29, tzinfo=dt.UTC)
        assert check_sla(session=s, now=monday, config=cfg).reassigned == []
        assert check_sla(session=s, now=monday + dt.timedelta(minutes=1),
                         config=cfg).reassigned == [late.id]
