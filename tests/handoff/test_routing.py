"""Routing tables on SQLite and PostgreSQL: owner, territory, language, rotation, availability."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
from handoff_world import MONDAY_10, config, handoff, prospect, rep, workspace
from sqlmodel import select

from cadenza.handoff.routing import route_handoff, route_pending
from cadenza.store import Database
from cadenza.store.models import Event, Handoff, Prospect

pytestmark = pytest.mark.calendar


def test_owner_of_the_company_domain_keeps_the_account(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        owner = rep(s, ws, "owner@agency.test")
        rep(s, ws, "other@agency.test", weight=10)
        prospect(s, ws, company_domain="acme.com", owner_rep_id=owner.id)
        newcomer = prospect(s, ws, company_domain="acme.com")
        h = handoff(s, ws, newcomer)
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=config())
        assert (d.rule, d.rep_id) == ("owner", owner.id)
        assert "owner: owner@agency.test owns acme.com" in d.reason
        event = s.exec(select(Event).where(Event.kind == "handoff.routed")).one()
        assert event.data["rep_id"] == owner.id and event.data["reason"] == d.reason


def test_webmail_domain_is_not_an_account(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        owner = rep(s, ws, "owner@agency.test", away=True)
        other = rep(s, ws, "other@agency.test")
        prospect(s, ws, company_domain="gmail.com", owner_rep_id=owner.id)
        h = handoff(s, ws, prospect(s, ws, company_domain="gmail.com"))
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=config())
        assert (d.rule, d.rep_id) == ("round_robin", other.id)


def test_away_owner_keeps_account_unless_configured_to_route(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        owner = rep(s, ws, "owner@agency.test", away=True)
        other = rep(s, ws, "other@agency.test")
        p = prospect(s, ws, company_domain="acme.com", owner_rep_id=owner.id)
        h1 = handoff(s, ws, p)
        d1 = route_handoff(session=s, handoff_id=h1.id, now=MONDAY_10, config=config())
        assert d1.rep_id == owner.id and "away, kept" in d1.reason
        h2 = handoff(s, ws, p)
        d2 = route_handoff(session=s, handoff_id=h2.id, now=MONDAY_10,
                           config=config(owner_when_away="route", cc_owner=True))
        assert d2.rep_id == other.id
        assert d2.cc == ("owner@agency.test",)


def test_territory_by_country_region_and_time_zone(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        dach = rep(s, ws, "dach@agency.test", territories=["DACH"])
        us = rep(s, ws, "us@agency.test", territories=["US", "tz:America/"])
        nordics = rep(s, ws, "nordics@agency.test", territories=["NORDICS"])
        general = rep(s, ws, "general@agency.test")
        cfg = config(regions={"nordics": ["se", "no"]}, assign_owner=False)
        cases = [(dict(country="AT"), dach), (dict(country="us"), us),
                 (dict(timezone="America/Chicago"), us), (dict(country="NO"), nordics),
                 (dict(country="FI"), general),  # custom region replaces the built-in one
                 (dict(country="JP"), general)]
        for attrs, expected in cases:
            h = handoff(s, ws, prospect(s, ws, **attrs))
            d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=cfg)
            assert d.rep_id == expected.id, (attrs, d.reason)
            assert "territory:" in d.reason


def test_language_narrows_but_is_soft_unless_required(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        rep(s, ws, "en@agency.test", languages=["en"])
        de = rep(s, ws, "de@agency.test", languages=["de", "en"])
        cfg = config(assign_owner=False)
        h = handoff(s, ws, prospect(s, ws, language="de-AT"))
        assert route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=cfg).rep_id == de.id
        h = handoff(s, ws, prospect(s, ws, language="fr"))
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=cfg)
        assert d.rule == "round_robin" and "nobody left speaks fr; not applied" in d.reason
        h = handoff(s, ws, prospect(s, ws, language="fr"))
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10,
                          config=config(language_required=True, fallback_queue="triage-sales"))
        assert (d.rule, d.queue, d.rep_id) == ("fallback", "triage-sales", None)


def test_weighted_rotation_is_two_to_one_and_deterministic(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        heavy = rep(s, ws, "heavy@agency.test", weight=2.0, capacity=100)
        light = rep(s, ws, "light@agency.test", weight=1.0, capacity=100)
        cfg = config(assign_owner=False)
        picks = []
        for _ in range(30):
            h = handoff(s, ws, prospect(s, ws))
            picks.append(route_handoff(session=s, handoff_id=h.id, now=MONDAY_10,
                                       config=cfg).rep_id)
        counts = collections.Counter(picks)
        assert counts == {heavy.id: 20, light.id: 10}
        # fair at every prefix, not just at the end: never more than one ahead of 2:1
        for i in range(1, 31):
            assert abs(picks[:i].count(heavy.id) - 2 * i / 3) <= 1


def test_unavailable_reps_are_skipped_with_reasons(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        rep(s, ws, "away@agency.test", away=True)
        rep(s, ws, "asleep@agency.test", timezone="Asia/Tokyo",
            working_hours={"mon-fri": "09:00-17:00"})  # 19:00 in Tokyo
        full = rep(s, ws, "full@agency.test", capacity=1)
        rep(s, ws, "gone@agency.test", active=False)
        awake = rep(s, ws, "awake@agency.test", timezone="Europe/Berlin",
                    working_hours={"mon-fri": "09:00-17:00"})
        handoff(s, ws, prospect(s, ws), rep_id=full.id, state="accepted")
        h = handoff(s, ws, prospect(s, ws))
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=config())
        assert d.rep_id == awake.id
        assert "away@agency.test away" in d.reason
        assert "asleep@agency.test outside working hours (Mon 19:00 Asia/Tokyo)" in d.reason
        assert "full@agency.test full (1/1)" in d.reason
        assert "gone@" not in d.reason
        # the SLA clock runs in the chosen rep's hours
        assert d.sla_due_at == MONDAY_10 + dt.timedelta(minutes=15)


def test_fallback_queue_when_nobody_is_available(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        rep(s, ws, "away@agency.test", away=True)
        h = handoff(s, ws, prospect(s, ws))
        saturday = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
        d = route_handoff(session=s, handoff_id=h.id, now=saturday,
                          config=config(fallback_queue="sales-desk",
                                        working_hours={"mon-fri": "09:00-17:00"}))
        assert (d.rep_id, d.queue, d.rule) == (None, "sales-desk", "fallback")
        assert d.sla_due_at == dt.datetime(2026, 12, 7, 9, 15, tzinfo=dt.UTC)
        stored = s.get(Handoff, h.id)
        assert stored is not None and stored.queue == "sales-desk" and stored.routed_at


def test_assignment_makes_the_rep_owner_for_the_next_reply(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s)
        first = rep(s, ws, "first@agency.test")
        rep(s, ws, "second@agency.test")
        p = prospect(s, ws, company_domain="globex.com")
        h = handoff(s, ws, p)
        d = route_handoff(session=s, handoff_id=h.id, now=MONDAY_10, config=config())
        assert d.rep_id == first.id
        assert s.get(Prospect, p.id).owner_rep_id == first.id  # type: ignore[union-attr]
        colleague = prospect(s, ws, company_domain="globex.com")
        h2 = handoff(s, ws, colleague)
        d2 = route_handoff(session=s, handoff_id=h2.id, now=MONDAY_10, config=config())
        assert (d2.rule, d2.rep_id) == ("owner", first.id)


def test_route_pending_routes_unrouted_new_by_priority(database: Database) -> None:
    with database.session() as s:
        ws = workspace(s, routing={"reps": [{"email": "a@agency.test", "name": "A",
                                             "working_hours": {"daily": "00:00-24:00"}}]})
        low = handoff(s, ws, prospect(s, ws), priority=1)
        high = handoff(s, ws, prospect(s, ws), priority=3)
        handoff(s, ws, prospect(s, ws), state="disqualified")
        decisions = route_pending(session=s, now=MONDAY_10)
        assert [d.handoff_id for d in decisions] == [high.id, low.id]
        assert route_pending(session=s, now=MONDAY_10) == []


def test_rep_cache_is_forgotten_when_a_rep_changes(database: Database) -> None:
    """Reps are loaded once per session for speed; a rep added (and the others marked away) in
    the same session must be seen by the next decision."""
    with database.session() as s:
        ws = workspace(s)
        a = rep(s, ws, "a@agency.example")
        route_handoff(session=s, handoff_id=handoff(s, ws, prospect(s, ws)).id or 0,
                      now=MONDAY_10, config=config(assign_owner=False))
        a.away = True
        s.add(a)
        newcomer = rep(s, ws, "new@agency.example")
        s.flush()
        decision = route_handoff(session=s, handoff_id=handoff(s, ws, prospect(s, ws)).id or 0,
                                 now=MONDAY_10, config=config(assign_owner=False))
    assert decision.rep_id == newcomer.id
