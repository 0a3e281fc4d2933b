"""The faults blind reviewers named in the template drafter's mail (#14), one test each.

Quote splicing ("You wrote that Three weeks into …", "your post about single month"), a
medical-procedure post as a hook, vague news nods beside sensitive facts, another company's
opening congratulated, a pilot called a launch, a mismatched proof point, and a later touch
that refers to an opener that was never sent.
"""

from __future__ import annotations

import datetime as dt

from cadenza.agent.batch import StepSpec, draft_batch
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import Draft, DraftRequest, TemplateDrafter
from cadenza.writing.hooks import build_hooks, good_topic, other_company
from cadenza.writing.sender_copy import sender_copy
from cadenza.writing.sequence import fitting_proofs

TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate({
    "company": "Tallyforge", "product_name": "Tallyforge",
    "product_description": "Tallyforge is a finance automation platform for SaaS companies.",
    "value_propositions": [
        {"id": "vp1", "text": "Tallyforge matches every invoice against closed-won deals in "
                              "your CRM."}],
    "proof_points": [
        {"id": "pp1", "customer": "Veldt Software",
         "text": "replaced 14 spreadsheets at Veldt Software, live on Salesforce and NetSuite"},
        {"id": "pp2", "customer": "Havenlea Care Homes",
         "text": "cut month-end close from 9 days to 4 at Havenlea Care Homes"}],
    "postal_address": "Tallyforge Inc, 1 Main St, Austin",
    "sender": {"first_name": "Megan", "last_name": "C", "email": "megan@tallyforge.example"},
})


def _prospect(*facts: dict[str, object], language: str = "en", industry: str = "SaaS",
              company: str = "Kitebird") -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "natalie@kitebird.example", "first_name": "Natalie",
        "last_name": "Reyes", "company": company, "language": language, "industry": industry,
        "facts": [{"id": f"f{i}", "date": "2026-10-20", **f} for i, f in enumerate(facts, 1)]})


def _hooks(prospect: ProspectIn, language: str = "en") -> list[str]:
    return [h.fact_id for h in build_hooks(prospect, SENDER, sender_copy(SENDER), today=TODAY,
                                           language=language)]


def test_a_post_is_never_spliced_after_you_wrote_that() -> None:
    hooks = build_hooks(_prospect({"kind": "post", "text": "Three weeks into our Salesforce "
                                   "CPQ migration. Discount schedules are a gift."}),
                        SENDER, sender_copy(SENDER), today=TODAY, language="en")
    assert all(h.parts.said is None or h.parts.said[:1].islower() for h in hooks)


def test_fragments_are_no_topics() -> None:
    for fragment in ("single month", "First 100 days done", "4 2m on agency nurses last",
                     "home managers spend roughly two days"):
        assert not good_topic(fragment), fragment
    for topic in ("Salesforce CPQ migration", "charge nurses", "trucks stacking up at the gate"):
        assert good_topic(topic), topic


def test_private_life_and_probes_are_no_hooks() -> None:
    assert _hooks(_prospect(
        {"kind": "post", "text": "Stepping away for a few weeks for a medical procedure."},
        {"kind": "post", "text": "Married my best friend on Saturday!"},
        {"kind": "news", "text": "Kitebird CFO resigns weeks after SEC inquiry disclosed"},
    )) == []


def test_vague_news_is_no_hook() -> None:
    assert _hooks(_prospect(
        {"kind": "news", "text": "Kitebird continues to innovate in digital"},
        {"kind": "news", "text": "Kitebird is transforming payments for the modern era"},
    )) == []


def test_another_organisations_news_in_another_language_is_no_hook() -> None:
    words = frozenset({"hospital", "mediterráneo", "sur"})
    assert other_company("Grupo Sanitario del Sur abre un nuevo hospital en Marbella", words)
    assert not other_company("Hospital Mediterráneo Sur abre una unidad en Málaga", words)
    prospect = _prospect({"kind": "news", "text": "Grupo Sanitario del Sur abre un nuevo "
                                                  "hospital en Marbella con 150 camas"},
                         language="es", company="Hospital Mediterráneo Sur")
    assert _hooks(prospect, "es") == []


def test_a_pilot_with_nothing_said_is_no_launch() -> None:
    prospect = _prospect({"kind": "news", "text": "Klinikum Lindenau führt Vier-Tage-Woche "
                                                  "in der Pflege ein – Pilot auf drei Stationen"},
                         language="de", company="Klinikum Lindenau")
    assert _hooks(prospect, "en") == []


def test_a_stated_pain_in_the_prospects_language_leads() -> None:
    prospect = _prospect(
        {"kind": "hiring", "text": "Klokwerk zoekt een Financial Controller (32-40 uur)"},
        {"kind": "pain_point", "text": "\"We hebben inmiddels 11 spreadsheets om Exact Online "
                                       "en HubSpot met elkaar te laten kloppen. Elke maand "
                                       "weer.\" — Thijs Jansen op het CFO Forum NL"},
        language="nl", company="Klokwerk Software")
    assert _hooks(prospect, "nl")[0] == "f2"


def test_a_proof_point_on_other_tools_is_left_out_and_the_closest_trade_leads() -> None:
    on_other_tools = _prospect({"kind": "tech_stack", "text": "HubSpot, Stripe, Fortnox"})
    proofs, _ = fitting_proofs(sender_copy(SENDER).proofs, on_other_tools, sender_copy(SENDER))
    assert [p.id for p in proofs] == ["pp2"]
    care = _prospect(industry="Elderly care homes")
    proofs, closest = fitting_proofs(sender_copy(SENDER).proofs, care, sender_copy(SENDER))
    assert proofs[0].id == "pp2" and closest == 1


class _HeldOpener:
    """The template drafter, except that its opener always fails the checker."""

    name = "template"

    def draft(self, request: DraftRequest) -> Draft:
        draft = TemplateDrafter().draft(request)
        if request.step_number == 1:
            return draft.model_copy(update={"body": "Hi Natalie, buy now. Worth a chat?"})
        return draft


def test_after_a_held_opener_the_batch_writes_step_two_as_an_opener() -> None:
    steps = [StepSpec(number=1, channel="email", template="email_opener"),
             StepSpec(number=2, channel="email", template="email_followup")]
    records = draft_batch([_prospect()], SENDER, steps, today=TODAY, drafter=_HeldOpener())
    assert [r.status for r in records] == ["held", "drafted"]
    second = records[1]
    assert second.subject and not second.subject.lower().startswith("re:")
    for orphan in ("last email", "earlier note", "my note", "following up"):
        assert orphan not in (second.body or "").lower()


def test_a_long_covid_post_is_never_a_hook() -> None:
    # round 4's reviewers: a LinkedIn note told a prospect her long-COVID post "resonated"
    from cadenza.writing.sensitive import personal_terms, sensitive_terms

    post = "Two years into long COVID recovery. Some days are still hard. Grateful for my team."
    assert personal_terms(post) and sensitive_terms(post, allowed=frozenset({"long covid"}))
