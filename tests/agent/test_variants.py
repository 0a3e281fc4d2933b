"""A/B variants of a step: the schema, a stable and balanced assignment, the drafter really
using the variant (template, subject style, day, channel), and a promoted winner taking over."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import col, select
from world import MONDAY, Clock, add_prospects, make_world

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.errors import PlaybookError
from cadenza.metrics.promotion import promote_variant
from cadenza.playbooks import assign_variant, load_builtin, parse_playbook, variant_for
from cadenza.store import Database
from cadenza.store.models import Enrollment, Event, Touch, Workspace

from support.smtp import SmtpServer

AB = """
name: ab-opener
steps:
  - day: 1
    channel: email
    template: email_opener
    variants:
      - {name: a}
      - {name: b, template: email_value, subject_style: company}
  - day: 3
    channel: email
    template: email_followup
    variants:
      - {name: a}
      - {name: late, day: 5}
      - {name: linkedin, channel: linkedin_connect}
  - {day: 8, channel: call, owner: rep}
"""


def test_assignment_is_stable_and_balanced() -> None:
    for names in (["a", "b"], ["a", "b", "c"]):
        counts = Counter(assign_variant(playbook="ab-opener", step=2, prospect_id=i,
                                        names=names) for i in range(10_000))
        share = 10_000 / len(names)
        assert set(counts) == set(names)
        assert all(abs(n - share) / share < 0.04 for n in counts.values()), counts
    first = [assign_variant(playbook="ab-opener", step=1, prospect_id=i, names=["a", "b"])
             for i in range(2000)]
    again = [assign_variant(playbook="ab-opener", step=1, prospect_id=i, names=["a", "b"])
             for i in range(2000)]
    later = [assign_variant(playbook="ab-opener", step=2, prospect_id=i, names=["a", "b"])
             for i in range(2000)]
    assert first == again                                     # stable
    same = sum(x == y for x, y in zip(first, later, strict=True)) / 2000
    assert 0.45 < same < 0.55                                 # steps assigned independently
    spec = parse_playbook(AB, origin="t").spec
    assert variant_for(spec, 1, 7, winner="b") == "b"         # a promotion overrides the hash
    assert variant_for(spec, 1, 7, winner="gone") in ("a", "b")  # an unknown winner does not
    assert variant_for(spec, 3, 7) == ""                      # a rep step has none


@pytest.mark.parametrize(("yaml", "message"), [
    ("steps:\n  - {day: 1, channel: email, template: email_opener, variants: [{name: a}]}",
     "at least two arms"),
    ("steps:\n  - {day: 1, channel: email, template: email_opener,\n"
     "     variants: [{name: a}, {name: b, template: linkedin_connect}]}",
     "variant 'b': unknown template 'linkedin_connect' for channel email"),
    ("steps:\n  - {day: 1, channel: email, template: email_opener,\n"
     "     variants: [{name: a}, {name: b, colour: red}]}", "Extra inputs"),
    ("steps:\n  - {day: 1, channel: email, template: email_opener}\n"
     "  - {day: 4, channel: email, template: email_followup,\n"
     "     variants: [{name: a}, {name: b, day: 7}]}\n"
     "  - {day: 6, channel: email, template: email_value}", "outside its neighbours"),
    ("steps:\n  - {day: 1, channel: call, owner: rep, variants: [{name: a}, {name: b}]}",
     "only agent-owned steps"),
])
def test_bad_variants_are_refused_with_file_and_line(yaml: str, message: str) -> None:
    with pytest.raises(PlaybookError, match=message) as err:
        parse_playbook("name: ab\n" + yaml, origin="cadence.yaml")
    assert str(err.value).startswith("cadence.yaml:")


def test_playbooks_without_variants_keep_their_definition_and_hash() -> None:
    spec = load_builtin("ai-sdr-first-four").spec
    assert all("variants" not in s and "subject_style" not in s
               for s in spec.model_dump(mode="json")["steps"])


def _enroll_ab(db: Database, world_ws: Workspace, now: dt.datetime) -> None:
    with db.session() as s:
        ws = s.get(Workspace, world_ws.id)
        assert ws is not None
        enroll_prospects(session=s, workspace=ws, playbook=parse_playbook(AB, origin="ab.yaml"),
                         now=now)


PEOPLE = [{"id": f"p{i}", "email": f"person{i}@company{i}.example", "first_name": f"Alex{i}",
           "last_name": "Kim", "company": f"Company {i} Logistics",
           "company_domain": f"company{i}.example", "title": "VP Operations",
           "linkedin_url": f"https://www.linkedin.com/in/alex-{i}"} for i in range(12)]


def test_the_agent_drafts_each_variant_and_a_winner_takes_over(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE)
    _enroll_ab(sqlite_db, world.workspace, MONDAY)
    clock = Clock()
    with open_agent(world.settings, sqlite_db, clock=clock, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
        with sqlite_db.session() as s:
            ones = s.exec(select(Touch).where(Touch.step == 1)).all()
        assert len(ones) == 12 and {t.variant for t in ones} == {"a", "b"}
        for t in ones:
            assert t.state == "sent", t.reason
            expected = assign_variant(playbook="ab-opener", step=1, prospect_id=t.prospect_id,
                                      names=["a", "b"])
            assert t.variant == expected
            company = PEOPLE[t.prospect_id - 1]["company"]
            if t.variant == "b":   # email_value, subject = the company's name alone
                assert t.subject == company
            else:                  # the opener's own subject
                assert t.subject != company
        with sqlite_db.session() as s:
            due = {e.prospect_id: e.next_due_at for e in s.exec(select(Enrollment))}
        step2 = {p: assign_variant(playbook="ab-opener", step=2, prospect_id=p,
                                   names=["a", "late", "linkedin"]) for p in due}
        for p, when in due.items():  # "late" runs on day 5, the others on day 3
            assert when is not None
            assert when.date() == (dt.date(2026, 12, 4) if step2[p] == "late"
                                   else dt.date(2026, 12, 2)), (p, step2[p], when)
        # the operator promotes "a" for step 2 before anyone's step 2 was created
        with sqlite_db.session() as s:
            promote_variant(s, workspace_id=world.workspace.id or 0, playbook="ab-opener",
                            step=2, variant="a", by="olivia", now=MONDAY)
        clock.now = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
        agent.scheduler.tick()
    with sqlite_db.session() as s:
        twos = s.exec(select(Touch).where(Touch.step == 2)).all()
        assert len(twos) == 12 and {t.variant for t in twos} == {"a"}
        assert {t.channel for t in twos} == {"email"}
        event = s.exec(select(Event).where(Event.kind == "variant.promoted")).one()
        assert (event.data["variant"], event.data["by"], event.data["step"]) == ("a", "olivia", 2)
        # the test's state at that moment is kept: nobody had reached step 2 yet
        assert not event.data["evidence"]["significant"]
        assert [a["touched"] for a in event.data["evidence"]["arms"]] == [0, 0, 0]


def test_a_variant_may_move_a_step_to_another_channel(
        sqlite_db: Database, tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    add_prospects(world, PEOPLE)
    _enroll_ab(sqlite_db, world.workspace, MONDAY)
    clock = Clock()
    with open_agent(world.settings, sqlite_db, clock=clock, jitter=(0.0, 0.0)) as agent:
        agent.scheduler.tick()
        clock.now = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
        agent.scheduler.tick()
    with sqlite_db.session() as s:
        twos = s.exec(select(Touch).where(Touch.step == 2).order_by(col(Touch.id))).all()
    by_variant = {t.variant: t for t in twos}
    assert set(by_variant) == {"a", "late", "linkedin"}
    note = by_variant["linkedin"]
    assert (note.channel, note.state) == ("linkedin_connect", "task_open")
    assert "linkedin.com/in/" in note.to_address and len(note.body) <= 300
    assert by_variant["a"].channel == "email" and by_variant["a"].subject.startswith("Re: ")
