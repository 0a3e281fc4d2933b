"""``cadenza eval drafts`` measures production: for the same prospect, step and day, the eval's
record and the touch graph's touch carry the same draft and the same outcome — drafted by the
template drafter across the sample set, revised after a failing first draft, and held after
the last revision still fails (the revision limit, the held reason and the LLM's re-ask with
the failures listed are the same, because both run one draft → check → revise loop)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from world import MONDAY, Clock, World, make_world, walk

from cadenza.agent.batch import DraftRecord, draft_batch
from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.demo import sample_file
from cadenza.evals.drafts import playbook_steps, read_prospects, read_sender
from cadenza.importer import import_prospects
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.models import Prospect, Touch, Workspace
from cadenza.writing.llm_drafting import LLMDrafter

from support.scripted_llm import ScriptedLLM
from support.smtp import SmtpServer

PROSPECTS = {p.id: p for p in read_prospects(sample_file("prospects", "prospects.jsonl"))}
SENDER = read_sender(sample_file("prospects", "sender.json"))
STEPS = playbook_steps("ai-sdr-first-four")
#: English and German, an injected fact, a bare record (no facts, no LinkedIn URL); the whole
#: shipped set (every language, every adversarial record) runs in the full suite.
SAMPLE = ["p001", "p005", "p037", "p053"]
GOOD = {"reasoning": "funding fact, exception queue angle", "subject": "after the series b",
        "body": "Hi Marcus,\n\nI saw that Ledgerly raised a $42M Series B led by Crosswind "
                "Capital. Growing teams often end up chasing exceptions across email threads; "
                "Northwind Flow gives every exception one owner and a deadline in one queue.\n\n"
                "Would a short call next week make sense?\n\nBest,\nMara",
        "fact_ids": ["f1"], "proof_point_ids": []}
#: Names a competitor and a number no fact holds: fails ``numbers`` and ``competitors``.
BAD = dict(GOOD, body=GOOD["body"].replace("Would a", "Unlike Opsmith, we save 70%. Would a"))
# Marcus (p002) is in New York: 10:00 there on the fixture Monday, inside his send window
NY_MORNING = MONDAY.replace(hour=15)


def _world(db: Database, tmp_path: Path, smtp_port: int, ids: list[str],
           now: dt.datetime = MONDAY) -> World:
    world = make_world(db, tmp_path, smtp_port=smtp_port)
    with db.session() as s:
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        import_prospects(session=s, workspace_id=ws.id or 0,
                         path=sample_file("prospects", "prospects.jsonl"))
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                         external_ids=ids, now=now)
    return world


def _touches(db: Database) -> dict[tuple[str, int], Touch]:
    with db.session() as s:
        rows = s.exec(select(Touch, Prospect).where(Touch.prospect_id == Prospect.id)).all()
        return {(p.external_id, t.step): t for t, p in rows}


def _eval_record(pid: str, step: int, today: dt.date, **kw: Any) -> DraftRecord:
    """The eval's record for one prospect and step, its earlier steps drafted the same day."""
    records = draft_batch([PROSPECTS[pid]], SENDER, STEPS, today=today, **kw)
    return next(r for r in records if r.step == step)


# the calendar runs (the same tests at five shifted dates) take the sample, not the whole set
@pytest.mark.parametrize("ids", [
    pytest.param(SAMPLE, marks=pytest.mark.calendar, id="sample"),
    pytest.param(sorted(PROSPECTS), marks=pytest.mark.slow, id="whole-set")])
def test_every_sent_touch_is_the_eval_record(ids: list[str], sqlite_db: Database,
                                             tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = _world(sqlite_db, tmp_path, smtp_server.port, ids)
    clock = Clock()
    with open_agent(world.settings, sqlite_db, clock=clock, jitter=(0.0, 0.0)) as agent:
        walk(agent, world, clock, days=30)
    statuses = draft_batch([PROSPECTS[i] for i in ids], SENDER, STEPS, today=MONDAY.date())
    # role accounts: the eval skips the whole prospect, the graph only its emails
    roles = {r.prospect_id for r in statuses if r.reason == "role_account"}
    delivered = {key: t for key, t in _touches(sqlite_db).items()
                 if t.state in ("sent", "task_open") and key[0] not in roles}
    assert set(delivered) == {(r.prospect_id, r.step) for r in statuses
                              if r.status == "drafted"}
    for (pid, step), touch in sorted(delivered.items()):
        record = _eval_record(pid, step, touch.created_at.date())
        assert (record.subject or "", record.body, record.fact_ids, record.checks) == (
            touch.subject, touch.body, touch.fact_ids, touch.checks), (pid, step)


@pytest.mark.calendar
@pytest.mark.parametrize("max_revisions", [1, 2])
def test_a_failing_draft_is_revised_alike(max_revisions: int, sqlite_db: Database,
                                          tmp_path: Path, smtp_server: SmtpServer) -> None:
    world = _world(sqlite_db, tmp_path, smtp_server.port, ["p002"], now=NY_MORNING)
    settings = world.settings.model_copy(update={"max_revisions": max_revisions})
    graph_llm, eval_llm = ScriptedLLM(BAD, GOOD), ScriptedLLM(BAD, GOOD)
    with open_agent(settings, sqlite_db, drafter=LLMDrafter(graph_llm),
                    clock=Clock(NY_MORNING), jitter=(0.0, 0.0)) as agent:
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["sent"]
    record = _eval_record("p002", 1, NY_MORNING.date(), drafter=LLMDrafter(eval_llm),
                          max_revisions=max_revisions)
    touch = _touches(sqlite_db)[("p002", 1)]
    assert (record.status, record.revisions) == ("drafted", 1)
    assert (record.subject, record.body, record.fact_ids, record.checks) == (
        touch.subject, touch.body, touch.fact_ids, touch.checks)
    # the same two prompts: the re-ask lists the first draft's failures, in both
    assert len(graph_llm.calls) == 2 and graph_llm.calls == eval_llm.calls[:2]
    assert "competitor" in graph_llm.calls[1][1].content
    assert "number 70" in graph_llm.calls[1][1].content


@pytest.mark.calendar
@pytest.mark.parametrize("max_revisions", [0, 2])
def test_a_draft_that_keeps_failing_is_held_alike(max_revisions: int, sqlite_db: Database,
                                                  tmp_path: Path,
                                                  smtp_server: SmtpServer) -> None:
    world = _world(sqlite_db, tmp_path, smtp_server.port, ["p002"], now=NY_MORNING)
    settings = world.settings.model_copy(update={"max_revisions": max_revisions})
    graph_llm, eval_llm = ScriptedLLM(BAD), ScriptedLLM(BAD)
    with open_agent(settings, sqlite_db, drafter=LLMDrafter(graph_llm),
                    clock=Clock(NY_MORNING), jitter=(0.0, 0.0)) as agent:
        report = agent.scheduler.tick()
    (result,) = report.results
    assert result.outcome == "waiting" and result.waiting and result.waiting["kind"] == "held"
    record = _eval_record("p002", 1, NY_MORNING.date(), drafter=LLMDrafter(eval_llm),
                          max_revisions=max_revisions)
    touch = _touches(sqlite_db)[("p002", 1)]
    assert touch.state == "held" and smtp_server.sink.messages == []
    assert (record.status, record.revisions) == ("held", max_revisions)
    assert record.reason == f"check_failed:{result.waiting['failures'][0]}"
    assert result.waiting["failures"] == [k for k, ok in record.checks.items() if not ok]
    assert result.waiting["draft"]["body"] == record.body
    assert (record.subject, record.body, record.checks) == (touch.subject, touch.body,
                                                            touch.checks)
    # one first draft and max_revisions re-asks, the same prompts in both
    eval_calls = eval_llm.calls[:max_revisions + 1]
    assert len(graph_llm.calls) == max_revisions + 1 and graph_llm.calls == eval_calls
