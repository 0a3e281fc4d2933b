"""The LLM path through the whole touch graph, over HTTP against the local OpenAI-compatible
server: one call per touch when the draft passes, usage recorded on the touch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from world import MONDAY, Clock, make_world

from cadenza.agent.enrollment import enroll_prospects
from cadenza.agent.service import open_agent
from cadenza.demo import sample_file
from cadenza.importer import import_prospects
from cadenza.llm import OpenAICompatibleLLM
from cadenza.playbooks import load_builtin
from cadenza.store import Database
from cadenza.store.models import Touch, Workspace
from cadenza.writing.llm_drafting import LLMDrafter

from support.smtp import SmtpServer

pytestmark = pytest.mark.calendar

GOOD = {"reasoning": "funding fact, exception queue angle", "subject": "after the series b",
        "body": "Hi Marcus,\n\nI saw that Ledgerly raised a $42M Series B led by Crosswind "
                "Capital. Growing teams often end up chasing exceptions across email threads; "
                "Northwind Flow gives every exception one owner and a deadline in one queue.\n\n"
                "Would a short call next week make sense?\n\nBest,\nMara",
        "fact_ids": ["f1"], "proof_point_ids": []}
# Marcus (p002) is in New York: 10:00 there on the fixture Monday, inside his send window
NY_MORNING = MONDAY.replace(hour=15)


def test_llm_drafted_touch_is_one_call_and_records_tokens(sqlite_db: Database, tmp_path: Path,
                                                          smtp_server: SmtpServer,
                                                          openai_server: Any) -> None:
    openai_server.script("LLMDraftOutput", GOOD)
    world = make_world(sqlite_db, tmp_path, smtp_port=smtp_server.port)
    with sqlite_db.session() as s:
        ws = s.get(Workspace, world.workspace.id)
        assert ws is not None
        import_prospects(session=s, workspace_id=ws.id or 0,
                         path=sample_file("prospects", "prospects.jsonl"))
        enroll_prospects(session=s, workspace=ws, playbook=load_builtin("ai-sdr-first-four"),
                         external_ids=["p002"], now=NY_MORNING)
    llm = OpenAICompatibleLLM(base_url=openai_server.base_url, model="test-model",
                              api_key="test-key", max_retries=0)
    with open_agent(world.settings, sqlite_db, drafter=LLMDrafter(llm), clock=Clock(NY_MORNING),
                    jitter=(0.0, 0.0)) as agent:
        report = agent.scheduler.tick()
    assert [r.outcome for r in report.results] == ["sent"], report
    calls = [r for r in openai_server.requests if r["path"].endswith("/chat/completions")]
    assert len(calls) == 1                       # passed the checker: one call, no revision
    messages = calls[0]["json"]["messages"]
    assert messages[0]["role"] == "system" and "Ledgerly" not in messages[0]["content"]
    assert "<prospect_data>" in messages[-1]["content"]
    with sqlite_db.session() as s:
        touch = s.exec(select(Touch)).one()
        assert touch.input_tokens > 0 and touch.output_tokens > 0
        assert touch.input_tokens <= 1500
        assert touch.drafter.startswith("llm:")
    sent = smtp_server.sink.messages[0].message
    assert sent["Subject"] == "after the series b"
    body = sent.get_body(("plain",)).get_content()
    assert "Crosswind Capital" in body and "unsubscribe" in body.lower()
