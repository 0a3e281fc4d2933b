"""The sender's copy is never spliced into a frame (#14 review, fault 1).

Blind reviewers found "Shiftharbor Rostering gives your team Shiftharbor lets …" and "gives your
team Revenue leakage … is surfaced" in the template drafter's mail. Here thirty-odd value
propositions written the ways marketing teams write them (headlines, run-ons, sentences with
their own subject, noun phrases with a verb inside, an opening clause before the product) go
through every email template, and no sentence may glue a frame ("gives your team", "helps
teams", "With X,") to a clause that has its own verb, or start a clause with a headline.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.composing import split_email
from cadenza.writing.drafting import DraftRequest, TemplateDrafter
from cadenza.writing.sender_copy import main_clause_verb, profile_names
from cadenza.writing.sentences import text_sentences

TODAY = dt.date(2026, 11, 24)

#: (product, value propositions) as real senders write them.
COPIES: list[tuple[str, list[str]]] = [
    ("Shiftharbor", ["Shiftharbor lets nurses and carers swap and pick up shifts themselves "
                     "within the rules you set. Skill mix is checked automatically.",
                     "Less agency spend: open shifts go to your own bank staff first, with one "
                     "tap on their phone, before anyone calls an agency."]),
    ("Tallyforge", ["Revenue leakage from unbilled usage, expired discounts and signed contracts "
                    "that never made it into billing is surfaced automatically, so you can "
                    "recover money you have already earned.",
                    "By automating the matching work that typically consumes the first week of "
                    "every month, Tallyforge helps finance teams close the books days faster "
                    "while giving auditors a complete trail."]),
    ("Tallyforge", ["Native connectors for Salesforce, HubSpot, Stripe and Xero mean most teams "
                    "are live in weeks, without a data-warehouse project."]),
    ("DockPilot", ["Shorter gate queues: Carriers book a dock slot before they leave the depot, "
                   "so trucks stop stacking up at the gate.",
                   "Live yard map: Every trailer, door and seal status on one screen."]),
    ("Ledgerline", ["Ledgerline matches every bank line to its invoice overnight."]),
    ("Quayside", ["Real-time visibility: Know where every container is, from berth to gate."]),
    ("Pallio", ["Our platform plugs into the ERP you already run and flags late orders."]),
    ("Brightdesk", ["We help support teams answer every ticket in one inbox."]),
    ("Forma", ["Faster onboarding: New hires get their laptop, accounts and training plan on "
               "day one."]),
    ("Claimly", ["Claims are triaged automatically and routed to the right adjuster."]),
    ("Stockwise", ["Forecasts that learn from every promotion, so stores stop running out."]),
    ("Rota", ["Every rota respects rest rules and contracts — no spreadsheet required."]),
    ("Vantage", ["Your reps spend less time on admin and more time selling."]),
    ("Billow", ["Invoices go out the day the work is done, not at month end."]),
    ("Keel", ["Fleet managers see every vehicle's service history on one screen."]),
    ("Mintline", ["Expense reports that approve themselves when they follow policy."]),
    ("Harbor", ["Fewer no-shows: Patients get a reminder they can answer with one tap."]),
    ("Cobalt", ["Cobalt's audit trail shows who changed what, and when."]),
    ("Tessera", ["One source of truth for every contract: Legal, sales and finance work from "
                 "the same record."]),
    ("Northstar", ["With Northstar, planners move a shipment with one drag instead of five "
                   "phone calls."]),
    ("Lumen", ["Energy use per site, per hour, compared against the last year."]),
    ("Relay", ["Handoffs between shifts are written once and read by everyone."]),
    ("Pinecrest", ["Automate supplier onboarding: Collect documents, check them and approve in "
                   "one flow."]),
    ("Orbit", ["It takes minutes to set up and needs no IT project."]),
    ("Sable", ["Payroll errors drop because every change is checked before the run."]),
    ("Ferry", ["Gives dispatchers a live map of every driver."]),
    ("Atlas", ["Compliance made simple: Every certificate tracked, every expiry flagged."]),
    ("Wren", ["Teachers plan lessons together and share them across schools."]),
    ("Gable", ["Property managers get every repair request in one queue, with photos."]),
    ("Spindle", ["Production schedules that adapt when a machine goes down."]),
    ("Marlow", ["Month-end close: Journals post themselves and exceptions land with an owner."]),
    ("Ridge", ["Safety inspections happen on a phone, offline, and sync when back in range."]),
    ("Quill", ["Proposals are built from approved content, so legal reviews take minutes."]),
    ("Tide", ["No more chasing timesheets: Staff clock in from their phones."]),
]

#: Frames the templates put before the sender's copy.
_FRAME = re.compile(r"(?:gives your team|gives you|your team gets|helps teams|lets your team|"
                    r"^With [A-Z][\w ]*?, (?:teams)?|^In [A-Z][\w ]*?, )\s*(?P<rest>.+)$")
_HEADLINE_IN_CLAUSE = re.compile(r"\w: [A-Z]")


def _sender(product: str, texts: list[str]) -> SenderProfile:
    return SenderProfile.model_validate({
        "company": f"{product} Inc", "website": f"https://{product.lower()}.example",
        "product_name": product,
        "product_description": f"{product} is a workflow platform for operations teams.",
        "value_propositions": [{"id": f"vp{i}", "text": t} for i, t in enumerate(texts, 1)],
        "proof_points": [{"id": "pp1", "customer": "Acme Corp",
                          "text": "cut handling time 30% at Acme Corp"}],
        "sender": {"first_name": "Sam", "last_name": "Lee", "title": "AE",
                   "email": f"sam@{product.lower()}.example"},
        "postal_address": f"{product} Inc, 1 Main St, Springfield",
        "meeting_link": f"https://cal.{product.lower()}.example/sam",
    })


def _prospects() -> list[ProspectIn]:
    return [ProspectIn.model_validate({
        "id": f"p{i}", "email": f"p{i}@example.com", "first_name": "Dana", "company": "Acme",
        "title": "COO", "industry": "logistics", "language": "en"}) for i in range(6)]


def _sentences(sender: SenderProfile) -> list[str]:
    drafter = TemplateDrafter()
    out: list[str] = []
    for prospect in _prospects():
        for step, template in ((1, "email_opener"), (2, "email_followup"), (4, "email_value"),
                               (5, "email_breakup")):
            draft = drafter.draft(DraftRequest(
                prospect=prospect, sender=sender, step_number=step, channel="email",
                template=template, today=TODAY, emailed_before=step > 1,
                previous_subject="a thought" if step > 1 else None))
            main, _ = split_email(draft.body, sender, "en")
            out.extend(text_sentences(main))
    return out


@pytest.mark.parametrize(("product", "texts"), COPIES, ids=[f"{p}-{i}" for i, (p, _) in
                                                             enumerate(COPIES)])
def test_no_sentence_glues_a_frame_to_a_clause_or_a_headline(product: str,
                                                             texts: list[str]) -> None:
    sender = _sender(product, texts)
    names = profile_names(sender)
    for sentence in _sentences(sender):
        assert not _HEADLINE_IN_CLAUSE.search(sentence.split("http")[0]), sentence
        m = _FRAME.search(sentence)
        if m is None:
            continue
        rest = m.group("rest")
        first = rest.split(" ", 1)[0].strip(",.")
        assert not (first[:1].isupper() and first not in names and first != product), sentence
        assert first.lower() != product.lower(), sentence  # "gives your team X lets …"
        # the framed phrase has no verb of its own ("… mean most teams are live")
        if not sentence.startswith(("With ", "In ")):
            assert not main_clause_verb(rest), sentence


def test_there_are_thirty_copies() -> None:
    assert len(COPIES) >= 30


@pytest.mark.parametrize(("text", "verb"), [
    ("native connectors for Salesforce and Xero mean most teams are live", True),
    ("automatic carrier alerts when a slot slips", False),
    ("every trailer, door and seal status on one screen", False),
    ("revenue leakage from unbilled usage is surfaced automatically", True),
    ("a dashboard that shows every gap", False),
    # a clause that opens on its own subject (s14's "gives your team your toolroom sees …")
    ("Your toolroom sees which moulds are approaching their service interval", True),
    ("your buyers knows nothing", True),
])
def test_a_verb_in_the_main_clause(text: str, verb: bool) -> None:
    assert main_clause_verb(text) is verb
