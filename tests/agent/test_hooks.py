"""Facts read into hooks: mentioned by their parts, never pasted; ranked by fit (#14 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.fact_parts_foreign import read_foreign
from cadenza.writing.fact_readers import read_english
from cadenza.writing.hooks import build_hooks
from cadenza.writing.sender_copy import sender_copy

TODAY = dt.date(2026, 11, 24)
INTEREST = frozenset({"roste", "shift", "cover", "agenc", "overt"})


def _read(kind: str, text: str) -> dict[str, object]:
    parts = read_english(kind, text, company="Ashby Care Group", names=["Nora", "Quinn"],
                         interest=INTEREST)
    return {k: v for k, v in vars(parts).items() if v}


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("hiring", "Ashby Care Group is hiring: Rota Coordinator – Leeds Hub. \"You'll own the "
               "weekly roster.\" Posted 2 days ago · 12 applicants",
     {"event": "hiring", "role": "a Rota Coordinator", "place": "the Leeds Hub"}),
    ("hiring", "Ashby Care Group is hiring 8 night nurses for its Bristol home.",
     {"event": "hiring", "role": "8 night nurses", "place": "the Bristol home"}),
    ("funding", "Ashby Care Group raised £20M in growth funding to open four new homes.",
     {"event": "funding", "amount": "£20M", "round": "growth",
      "purpose": "to open four new homes"}),
    ("news", "Ashby Care Group opened a 60-bed care home in York, adding 40 jobs.",
     {"event": "site", "what": "the 60-bed care home in York", "gerund": "opening",
      "place": "York", "clause": "Ashby Care Group opened a 60-bed care home in York"}),
    ("news", "Ashby Care Group to merge its two Leeds rota teams into one hub.",
     {"event": "news", "what": "the two Leeds rota teams into one hub",
      "clause": "Ashby Care Group is merging the two Leeds rota teams into one hub"}),
    ("role_change", "Nora Quinn was promoted to Director of Nursing at Ashby Care Group.",
     {"event": "role", "title": "Director of Nursing"}),
    ("tech_stack", "Technologies detected: Allocate HealthRoster, Workday (HR)",
     {"event": "stack", "tools": ("Allocate HealthRoster", "Workday")}),
])
def test_a_fact_is_read_into_parts(kind: str, text: str, expected: dict[str, object]) -> None:
    assert _read(kind, text) == expected


def test_what_a_person_said_is_told_back_to_them_or_named_by_its_topic() -> None:
    reported = _read("pain_point", "Nora wrote that agency shifts cost her team a fortune.")
    assert reported["said"] == "agency shifts cost your team a fortune"
    quoted = _read("pain_point", "\"Our biggest headache is covering night shifts at short "
                                 "notice every winter.\" — Nora Quinn, speaking on the Care "
                                 "Talk podcast")
    assert quoted["topic"] == "covering night shifts at short notice"
    assert quoted["venue"] == "on the Care Talk podcast"
    assert quoted["said"] == ("your biggest headache is covering night shifts at short notice "
                              "every winter")
    post = _read("post", "Hot take: most rota problems are really cover problems.")
    assert post["said"] == "most rota problems are really cover problems"
    other = _read("pain_point", "Ashby Care Group's agency spend rose 30% in 2025.")
    assert "said" not in other and other["clause"] == ("Ashby Care Group's agency spend rose "
                                                       "30% in 2025")


def test_a_fact_in_another_language_gives_only_what_needs_no_translation() -> None:
    parts = read_foreign("news", "Ashby Pflege eröffnet ein neues Heim in Kassel mit 80 "
                                 "Plätzen.", company_words=frozenset({"ashby"}))
    assert (parts.event, parts.place) == ("site", "Kassel")
    post = read_foreign("post", "Dienstpläne per Excel funktionieren nicht mehr. Wir "
                                "brauchen etwas Besseres.", company_words=frozenset())
    assert post.quote == "Dienstpläne per Excel funktionieren nicht mehr"


SENDER = SenderProfile.model_validate({
    "company": "Shiftwell", "product_name": "Shiftwell",
    "product_description": "Shiftwell is a staff rostering platform for care homes.",
    "value_propositions": [
        {"id": "vp1", "text": "Cover in minutes: Open shifts go to available staff first, "
                              "so agency is the last resort."},
        {"id": "vp2", "text": "Connects to the payroll system you already run."}],
    "proof_points": [{"id": "pp1", "customer": "Brook Care",
                      "text": "cut agency spend 18% in a quarter at Brook Care"}]})


def _prospect(language: str, *facts: dict[str, object]) -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "nora@ashby.example", "first_name": "Nora", "last_name": "Quinn",
        "company": "Ashby Care Group", "language": language,
        "facts": [{"id": f"f{i}", "date": "2026-10-20", **f} for i, f in enumerate(facts, 1)]})


def test_a_stated_pain_about_the_product_leads_and_a_tool_list_trails() -> None:
    prospect = _prospect(
        "en",
        {"kind": "tech_stack", "text": "Ashby Care Group uses Workday and Allocate."},
        {"kind": "pain_point", "text": "Nora wrote that covering open shifts without agency "
                                       "staff is the hardest part of her week."},
        {"kind": "hiring", "text": "Ashby Care Group is hiring 8 night nurses in Leeds."})
    hooks = build_hooks(prospect, SENDER, sender_copy(SENDER), today=TODAY, language="en")
    assert [h.fact_id for h in hooks] == ["f2", "f3", "f1"]
    assert hooks[0].value_id == "vp1" and hooks[0].fit > 0


def test_in_an_english_draft_a_german_post_is_no_hook_and_a_german_opening_is_a_place() -> None:
    prospect = _prospect(
        "de",
        {"kind": "post", "text": "Dienstpläne per Excel funktionieren nicht mehr."},
        {"kind": "news", "text": "Ashby Care Group eröffnet ein neues Heim in Kassel."})
    hooks = build_hooks(prospect, SENDER, sender_copy(SENDER), today=TODAY, language="en")
    assert [(h.fact_id, h.parts.event, h.parts.place) for h in hooks] == [
        ("f2", "site", "Kassel")]
