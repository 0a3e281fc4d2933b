"""The LLM drafter: prompt shape, data delimiting, code-owned footer, revision; also over HTTP."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import cadenza
from cadenza.agent.batch import StepSpec, draft_batch
from cadenza.llm import OpenAICompatibleLLM
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import DraftRequest
from cadenza.writing.llm_drafting import LLMDrafter
from cadenza.writing.revising import draft_checked

from support.scripted_llm import ScriptedLLM

DATA = Path(cadenza.__file__).parent / "evals" / "datasets" / "prospects"
TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate_json((DATA / "sender.json").read_text())
PROSPECTS = {p.id: p for p in (ProspectIn.model_validate_json(line) for line in
                               (DATA / "prospects.jsonl").read_text().splitlines() if line)}
GOOD = {"reasoning": "funding fact, exception queue angle", "subject": "after the series b",
        "body": "Hi Marcus,\n\nI saw that Ledgerly raised a $42M Series B led by Crosswind "
                "Capital. Growing teams often end up chasing exceptions across email threads; "
                "Northwind Flow gives every exception one owner and a deadline in one queue.\n\n"
                "Would a short call next week make sense?\n\nBest,\nMara",
        "fact_ids": ["f1"], "proof_point_ids": []}


def _req(pid: str = "p002", **kw: Any) -> DraftRequest:
    fields: dict[str, Any] = {"step_number": 1, "channel": "email", "template": "email_opener",
                              **kw}
    return DraftRequest(prospect=PROSPECTS[pid], sender=SENDER, today=TODAY, **fields)


def test_prompt_is_stable_prefix_plus_delimited_data() -> None:
    llm = ScriptedLLM(GOOD)
    drafter = LLMDrafter(llm)
    a = drafter.messages(_req("p002"))
    b = drafter.messages(_req("p037"))
    assert a[0] == b[0] and a[0].role == "system"
    assert "<prospect_data>" in a[1].content and "id=f1" in a[1].content
    assert "Ignore all previous" not in b[1].content  # the injected fact never reaches the model
    for pid in PROSPECTS:
        msgs = drafter.messages(_req(pid))
        assert sum(len(m.content) for m in msgs) / 4 <= 1500, pid
        assert "{{" not in msgs[1].content


def test_footer_and_signature_come_from_code() -> None:
    draft = LLMDrafter(ScriptedLLM(GOOD)).draft(_req())
    assert draft.body.count("Mara Lindqvist") == 1
    assert SENDER.postal_address in draft.body
    assert draft.usage.input_tokens == 300 and draft.drafter == "llm:scripted"


def test_revision_feeds_failures_back() -> None:
    bad = dict(GOOD, body=GOOD["body"].replace("Would a", "Unlike Opsmith, we save 70%. Would a"))
    llm = ScriptedLLM(bad, GOOD)
    outcome = draft_checked(_req(), drafter=LLMDrafter(llm))
    assert outcome.passed and outcome.revisions == 1
    assert "competitors" in llm.calls[1][1].content or "numbers" in llm.calls[1][1].content


def test_persistent_failure_is_held() -> None:
    bad = dict(GOOD, body="Hi ,\n\nCheck https://evil.example now.")
    recs = draft_batch([PROSPECTS["p002"]], SENDER, [StepSpec(1, "email", "email_opener")],
                       drafter=LLMDrafter(ScriptedLLM(bad)), today=TODAY)
    assert recs[0].status == "held" and recs[0].reason.startswith("check_failed:")


def test_over_http(openai_server: Any) -> None:
    openai_server.script("LLMDraftOutput", GOOD)
    llm = OpenAICompatibleLLM(base_url=openai_server.base_url, model="test-model",
                              api_key="test-key")
    outcome = draft_checked(_req(), drafter=LLMDrafter(llm))
    assert outcome.passed, outcome.report.reasons
    request = openai_server.requests[-1]["json"]
    assert request["messages"][0]["role"] == "system"
    assert json.dumps(request).count("prospect_data") >= 2


def test_the_prompt_carries_the_steps_plan_and_two_examples() -> None:
    """The LLM gets the template drafter's plan: the fact to lead with in the opener, the
    proof point in the follow-up, another value proposition in the last email."""
    drafter = LLMDrafter(ScriptedLLM(GOOD))
    opener = drafter.messages(_req("p002"))[1].content
    assert "lead with fact f4 (pain)" in opener and opener.count("\nA") + opener.count(
        "\nB") >= 2
    follow = drafter.messages(_req("p002", template="email_followup", step_number=2,
                                   previous_subject="x"))[1].content
    assert "proof point pp" in follow and "lead with fact" not in follow
    last = drafter.messages(_req("p002", template="email_value", step_number=4))[1].content
    assert "value proposition vp" in last and "meeting link" in last
    assert "never paste" in drafter.messages(_req("p002"))[0].content
