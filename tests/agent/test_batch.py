"""draft_batch over the whole dataset: statuses and reasons as expected, nothing forbidden."""

import datetime as dt
import json
from pathlib import Path

import pytest

import cadenza
from cadenza.agent.batch import DraftRecord, StepSpec, draft_batch
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import Draft, DraftRequest

DATA = Path(cadenza.__file__).parent / "evals" / "datasets" / "prospects"
TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate_json((DATA / "sender.json").read_text())
PROSPECTS = [ProspectIn.model_validate_json(line)
             for line in (DATA / "prospects.jsonl").read_text().splitlines() if line]
EXPECTED = {e["id"]: e for e in (json.loads(line) for line in
                                 (DATA / "expected.jsonl").read_text().splitlines() if line)}
FIRST_FOUR = [StepSpec(1, "email", "email_opener"), StepSpec(2, "email", "email_followup"),
              StepSpec(3, "linkedin_connect", "linkedin_connect"),
              StepSpec(4, "email", "email_value"), StepSpec(5, "call", None, "rep")]
STATUS = {"draft": "drafted", "skip": "skipped", "hold": "held"}


@pytest.fixture(scope="module")
def records() -> list[DraftRecord]:
    return draft_batch(PROSPECTS, SENDER, FIRST_FOUR, today=TODAY)


def test_one_record_per_prospect_and_agent_step(records: list[DraftRecord]) -> None:
    assert len(records) == 4 * len(PROSPECTS)
    assert {r.step for r in records} == {1, 2, 3, 4}


def test_statuses_match_expected(records: list[DraftRecord]) -> None:
    for r in records:
        exp = EXPECTED[r.prospect_id]
        if r.channel != "email" and r.reason == "no_linkedin_url":
            assert not PROSPECTS[[p.id for p in PROSPECTS].index(r.prospect_id)].linkedin_url
            continue
        assert r.status == STATUS[exp["expect"]], (r.prospect_id, r.step, r.reason)
        if exp["reason"]:
            assert r.reason == exp["reason"], (r.prospect_id, r.step)


def test_forbidden_never_appear(records: list[DraftRecord]) -> None:
    for r in records:
        exp = EXPECTED[r.prospect_id]
        text = "\n".join(x or "" for x in (r.subject, r.body, r.html))
        for s in exp["forbidden_strings"]:
            assert s not in text, (r.prospect_id, r.step, s)
        assert not set(exp["forbidden_fact_ids"]) & set(r.fact_ids), (r.prospect_id, r.step)


def test_drafted_records_are_clean(records: list[DraftRecord]) -> None:
    for r in records:
        if r.status == "skipped":
            assert r.body is None and r.reason
            continue
        assert all(r.checks.values()) or r.status == "held"
        assert r.to and "\n" not in r.to
        if r.channel == "email":
            assert r.to and "@" in r.to and r.html and r.subject
        contract = r.contract()
        assert list(contract) == ["prospect_id", "step", "channel", "status", "to", "subject",
                                  "body", "html", "fact_ids", "checks", "reason"]


def test_threading_and_normalised_to(records: list[DraftRecord]) -> None:
    by = {(r.prospect_id, r.step): r for r in records}
    assert by[("p073", 1)].to == "Liam.Ng@brightwave.example"
    assert by[("p039", 1)].to == "karen.lowe@tidepoolhealth.example"
    for pid in ("p001", "p002", "p005"):
        assert by[(pid, 2)].subject == f"Re: {by[(pid, 1)].subject}"


def test_suppressed_and_consent() -> None:
    recs = draft_batch(PROSPECTS[:2], SENDER, FIRST_FOUR[:1], today=TODAY,
                       suppressed={PROSPECTS[0].email.upper()})
    assert (recs[0].status, recs[0].reason) == ("skipped", "suppressed")
    de = [p for p in PROSPECTS if p.id == "p005"]
    recs = draft_batch(de, SENDER, FIRST_FOUR[:1], today=TODAY,
                       consent_required_countries=frozenset({"DE"}))
    assert (recs[0].status, recs[0].reason) == ("held", "consent_required")


class _AlwaysBad:
    name = "bad"

    def draft(self, request: DraftRequest) -> Draft:
        return Draft(channel="email", subject="hi", body="Hi ,\n\nBuy now at https://x.example",
                     html="<p>x</p>", template=request.template, drafter=self.name)


def test_failing_drafts_are_held_never_drafted() -> None:
    recs = draft_batch(PROSPECTS[:1], SENDER, FIRST_FOUR[:1], today=TODAY, drafter=_AlwaysBad())
    assert recs[0].status == "held"
    assert recs[0].reason is not None and recs[0].reason.startswith("check_failed:")
    assert recs[0].revisions == 2


@pytest.mark.parametrize("language", ["de", "fr", "es", "pt", "nl", "en"])
def test_a_thin_record_is_still_drafted_in_its_own_language(language: str) -> None:
    """No facts, no first name, maybe no title: the sender's value propositions are English,
    yet every email step is drafted (long enough, a proper greeting), not held."""
    thin = [ProspectIn.model_validate({
        "id": f"t{i}", "email": f"person{i}@company{i}.example", "language": language,
        "company_domain": f"company{i}.example", **fields})
        for i, fields in enumerate([{}, {"company": "bergwerk ag"}, {"title": "CFO"},
                                    {"first_name": "lena", "company": "Bergwerk AG",
                                     "title": "Head of Finance"}])]
    records = draft_batch(thin, SENDER, FIRST_FOUR, today=TODAY)
    emails = [r for r in records if r.channel == "email"]
    assert len(emails) == 3 * len(thin)
    assert all(r.status == "drafted" for r in emails), [
        (r.prospect_id, r.step, r.reason) for r in emails if r.status != "drafted"]
