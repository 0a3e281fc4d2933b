"""Facts that read fine and are not about this prospect, or not a hook at all (#14 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import DraftRequest, TemplateDrafter
from cadenza.writing.facts import screen_facts
from cadenza.writing.revising import draft_checked
from cadenza.writing.sensitive import sensitive_terms

TODAY = dt.date(2026, 11, 24)


def _prospect(*facts: dict[str, object], company: str = "Tidewater Mills") -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "ines@tidewater.example", "first_name": "Ines",
        "last_name": "Carvalho", "company": company, "title": "Head of Logistics",
        "facts": [{"id": f"f{i}", "date": "2026-10-01", **f} for i, f in enumerate(facts, 1)]})


def _dropped(*facts: dict[str, object], company: str = "Tidewater Mills") -> dict[str, str]:
    return screen_facts(_prospect(*facts, company=company), today=TODAY).dropped


@pytest.mark.parametrize(("kind", "text", "reason"), [
    ("news", "Ines Carvalho, a pastry chef from Porto, wins a national baking award.",
     "other_person"),
    ("news", "Seattle architect Ines Carvalho unveils a riverside library design.",
     "other_person"),
    ("post", "Jonah Whitfield wrote that warehouse slotting is his favourite puzzle.",
     "other_person"),
    ("news", "Harbourline Foods acquires two cold stores near Leeds.", "other_company"),
    ("product_launch", "Grupo Maresol lanza un servicio de reparto nocturno en Murcia.",
     "other_company"),
    ("news", "Tidewater Mills is focused on growth in 2027.", "vague"),
    ("post", "Ines liked a post about supply chain trends.", "vague"),
])
def test_a_fact_about_someone_else_or_nothing_is_not_used(kind: str, text: str,
                                                          reason: str) -> None:
    assert _dropped({"kind": kind, "text": text}) == {"f1": reason}


@pytest.mark.parametrize(("kind", "text"), [
    ("news", "Tidewater Mills opens a 30-door distribution centre in Leeds."),
    ("funding", "Raised a $20M Series B led by Harbourline Capital."),
    ("post", "Ines Carvalho wrote that dock bookings by email no longer scale."),
    ("pain_point", "\"Our gate is chaos before 7am.\" — Ines Carvalho, speaking at LogiMAT"),
    ("news", "French miller Tidewater raises €15M to expand its Leeds site."),
])
def test_a_fact_about_the_prospect_stays(kind: str, text: str) -> None:
    assert _dropped({"kind": kind, "text": text}) == {}


def test_conflicting_numbers_drop_both_and_distinct_events_stay() -> None:
    assert _dropped({"kind": "funding", "text": "Tidewater Mills raises €12M."},
                    {"kind": "funding", "text": "Tidewater Mills lève 15 M€."}) == {
        "f1": "conflicting_numbers", "f2": "conflicting_numbers"}
    assert _dropped({"kind": "news", "text": "Tidewater Mills adds 45 dock doors in Leeds."},
                    {"kind": "news", "text": "The new Tidewater Mills site in Leeds will have "
                                             "60 dock doors."}) == {
        "f1": "conflicting_numbers", "f2": "conflicting_numbers"}
    # a seed round and, a year later, a Series B: two events, both true
    prospect = _prospect({"kind": "funding", "text": "Tidewater Mills raises a $2M seed."},
                         {"kind": "funding", "text": "Tidewater Mills raises a $30M Series B.",
                          "date": "2025-06-01"})
    assert screen_facts(prospect, today=TODAY).dropped == {}


def test_a_job_ad_quote_is_cut_not_the_fact() -> None:
    screen = screen_facts(_prospect({"kind": "hiring", "text": "Tidewater Mills is hiring: "
                                     "Dock Planner – Leeds. \"You'll own the inbound schedule "
                                     "and talk to carriers.\""}), today=TODAY)
    assert screen.dropped == {}
    assert screen.kept[0].text == "Tidewater Mills is hiring: Dock Planner – Leeds"
    assert any("You'll own" in s for s in screen.flagged)


@pytest.mark.parametrize("text", [
    "Back from parental leave this week, excited to see the team again.",
    "Eid Mubarak to all who celebrate!",
    "Tomorrow is election day: I vote for the Green list and so should you.",
    "Heute vor einem Jahr ist mein Vater gestorben.",
    "Lost my job last month, open to work in logistics.",
    "Un anno fa se ne andava mio padre.",
    # Danish and Norwegian, now that their posts are quoted in native drafts
    "Så er jeg tilbage efter en lang sygemelding.",
    "Vi har desværre måttet afskedige 20 kolleger.",
    "Endelig tilbake etter en lang sykemelding.",
    "Vi må dessverre gå til oppsigelse av 15 ansatte.",
])
def test_private_life_is_never_a_hook(text: str) -> None:
    assert sensitive_terms(text)


def test_the_senders_own_words_are_no_sensitive_topic_in_a_draft() -> None:
    copy = "Rosters that cover sick leave in minutes, even around parental leave."
    own = frozenset(t.lower() for t in sensitive_terms(copy))
    assert sensitive_terms("We cover sick leave for wards like yours.", allowed=own) == []
    # a person's life stays off limits, whatever the sender's copy says
    assert sensitive_terms("Welcome back from parental leave.", allowed=own)


def test_a_record_dominated_by_sensitive_facts_is_deferred_to_a_person() -> None:
    sender = SenderProfile.model_validate({
        "company": "Kestrel Yard Systems", "product_name": "DockPilot",
        "value_propositions": [{"id": "vp1", "text": "Shorter gate queues: carriers book a "
                                                     "slot before they leave the depot."}],
        "postal_address": "1 Wharf Road, Manchester", "sender": {"first_name": "Priya"}})
    prospect = _prospect(
        {"kind": "news", "text": "Tidewater Mills to cut 120 jobs and close its Hull mill."},
        {"kind": "post", "text": "Taking time off to be with my dad during his chemo."},
        {"kind": "news", "text": "Tidewater Mills is a leading provider of flour."})
    request = DraftRequest(prospect=prospect, sender=sender, step_number=1, channel="email",
                           template="email_opener", today=TODAY)
    outcome = draft_checked(request, drafter=TemplateDrafter())
    assert outcome.held_reason == "check_failed:sensitive_record"
    assert outcome.revisions == 0
    body = outcome.draft.body.lower()
    assert "chemo" not in body and "jobs" not in body and "dad" not in body
    # one sensitive fact beside a usable one: the sequence is written
    one_sensitive = prospect.model_copy(update={"facts": [
        prospect.facts[0], prospect.facts[0].model_copy(update={
            "id": "f9", "kind": "hiring", "text": "Tidewater Mills is hiring a Dock Planner "
                                                  "in Leeds."})]})
    ok = draft_checked(DraftRequest(prospect=one_sensitive, sender=sender, step_number=1,
                                    channel="email", template="email_opener", today=TODAY),
                       drafter=TemplateDrafter())
    assert ok.held_reason is None, ok.report.reasons
    # … but not from a job ad beside the company's own job cuts: "your team is growing" after
    # 120 redundancies is tone-deaf (round 8's reviewers)
    assert ok.draft.fact_ids == [] and "jobs" not in ok.draft.body
    assert "hiring" not in ok.draft.body.lower() and "growing" not in ok.draft.body.lower()
