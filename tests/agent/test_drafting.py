"""The template drafter on ordinary and adversarial prospects; every template renders."""

import datetime as dt
import json
from pathlib import Path

import pytest

import cadenza
from cadenza.prompts import render, template_names
from cadenza.prospects import ProspectIn
from cadenza.sender import ProofPoint, SenderProfile, ValueProposition
from cadenza.writing.drafting import (
    TEMPLATES,
    DraftRequest,
    TemplateDrafter,
    build_context,
    choose_fact,
    variant_for,
)
from cadenza.writing.revising import draft_checked

DATA = Path(cadenza.__file__).parent / "evals" / "datasets" / "prospects"
TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate_json((DATA / "sender.json").read_text())
PROSPECTS = {p.id: p for p in (ProspectIn.model_validate_json(line) for line in
                               (DATA / "prospects.jsonl").read_text().splitlines() if line)}
DRAFTER = TemplateDrafter()


def _req(pid: str, step: int = 1, channel: str = "email", template: str = "email_opener",
         **kw: object) -> DraftRequest:
    return DraftRequest(prospect=PROSPECTS[pid], sender=SENDER, step_number=step,
                        channel=channel, template=template, today=TODAY, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("pid", sorted(PROSPECTS))
@pytest.mark.parametrize(("step", "channel", "template"), [
    (1, "email", "email_opener"), (2, "email", "email_followup"),
    (3, "linkedin_connect", "linkedin_connect"), (4, "email", "email_value"),
    (5, "email", "email_breakup"), (6, "linkedin_message", "linkedin_message"),
])
def test_every_prospect_every_template(pid: str, step: int, channel: str, template: str) -> None:
    request = _req(pid, step, channel, template, previous_subject="quick question")
    draft = DRAFTER.draft(request)
    text = f"{draft.subject or ''}\n{draft.body}"
    assert "Hi ," not in text and "{{" not in text and "None" not in text
    assert "\u200b" not in text and "\u202e" not in text
    if channel == "email":
        assert SENDER.postal_address in draft.body
        assert draft.html and "<script" not in draft.html
    else:
        assert SENDER.postal_address not in draft.body
    if channel == "linkedin_connect":
        assert len(draft.body) <= 300 and "http" not in draft.body
    outcome = draft_checked(request, drafter=DRAFTER)
    assert outcome.passed, outcome.report.reasons


def test_linkedin_free_account_limit() -> None:
    for pid in PROSPECTS:
        draft = DRAFTER.draft(_req(pid, 3, "linkedin_connect", "linkedin_connect",
                                   linkedin_note_limit=200, emailed_before=True))
        assert len(draft.body) <= 200
        assert not draft.body.endswith(("-", " "))


def test_followup_threads_and_uses_another_fact() -> None:
    first = DRAFTER.draft(_req("p002"))
    follow = DRAFTER.draft(_req("p002", 2, template="email_followup",
                                previous_subject=first.subject,
                                previous_fact_ids=frozenset(first.fact_ids)))
    assert follow.subject == f"Re: {first.subject}"
    assert follow.fact_ids and set(follow.fact_ids).isdisjoint(first.fact_ids)


def test_german_prospect_gets_german() -> None:
    draft = DRAFTER.draft(_req("p005"))
    assert draft.language == "de"
    assert draft.body.startswith("Hallo Jonas,")
    assert "Viele Grüße" in draft.body and "Abmelden" in draft.body


@pytest.mark.parametrize(("pid", "greeting"), [
    ("p006", "Bonjour Claire,"), ("p007", "Hola Alejandro,"), ("p008", "Olá Beatriz,"),
    ("p009", "Beste Sanne,"), ("p051", "Hola María José,"), ("p050", "Hi John,"),
    ("p053", "Hi there,"), ("p054", "Hi there,"), ("p038", "Hi there,"), ("p044", "Hi مريم,"),
])
def test_greetings(pid: str, greeting: str) -> None:
    assert DRAFTER.draft(_req(pid)).body.startswith(greeting)


def test_variants_differ_across_prospects() -> None:
    openers = {DRAFTER.draft(_req(pid)).body.split("\n\n")[1][:25] for pid in
               ("p001", "p002", "p003", "p010", "p011", "p012", "p013", "p014")}
    assert len(openers) > 2
    assert {variant_for(f"p{i}", 1) for i in range(30)} == {0, 1, 2}


def test_html_escapes_company() -> None:
    draft = DRAFTER.draft(_req("p055", 3, "linkedin_connect", "linkedin_connect"))
    email = DRAFTER.draft(_req("p055"))
    assert "&amp;" not in draft.body
    assert email.html is not None and ("Harbor & Pine" not in email.html)


def test_unknown_template_refused() -> None:
    with pytest.raises(ValueError):
        DRAFTER.draft(_req("p001", template="linkedin_connect"))


@pytest.mark.parametrize("name", [n for n in template_names() if n.startswith("drafts/")])
def test_every_template_renders(name: str) -> None:
    template = name.rsplit("/", 1)[-1].removesuffix(".j2")
    ctx = {"name": None, "company": None, "company_short": None, "title": None,
           "industry": None, "fact": None, "variant": 2, "step": 1, "product": "P",
           "sender_company": "S", "sender_first": "", "vp": "", "vp_form": "np", "proof": "",
           "proof_we": False, "proof_id": "", "meeting_link": "", "cta": "question",
           "previous_subject": "", "emailed": False}
    text = render(name, **ctx)
    if not template.startswith("_"):
        assert any(template in t for t in TEMPLATES.values())
        assert text.strip() and "None" not in text


def test_dataset_sender_is_json() -> None:
    assert json.loads((DATA / "sender.json").read_text())["company"] == SENDER.company


@pytest.mark.parametrize(("text", "written"), [
    ("J'ai lu que Atelier Lumière a ouvert", "J'ai lu qu'Atelier Lumière a ouvert"),
    ("la solution de Éclat Cosmétiques", "la solution d'Éclat Cosmétiques"),
    ("que Hermès", "que Hermès"), ("de Yale", "de Yale"),          # h and y: as written
    ("chez Banco de Oro", "chez Banco de Oro"),                     # inside a name: kept
    ("Je pense que Northwind Flow", "Je pense que Northwind Flow"),
])
def test_french_elides_before_a_vowel(text: str, written: str) -> None:
    from cadenza.writing.composing import elide

    assert elide(text, "fr") == written
    assert elide(text, "en") == text


def _with_proof(text: str, customer: str = "") -> SenderProfile:
    return SENDER.model_copy(update={"proof_points": [
        ProofPoint(id="pp9", customer=customer, text=text)]})


@pytest.mark.parametrize(("text", "customer", "spliced", "after_we"), [
    ("Raised NPS by 20 points at Kestrel Freight", "", "raised NPS by 20 points", True),
    ("Cut order-exception handling time 38%", "", "cut order-exception handling", True),
    ("cut order-exception handling time 38%", "", "cut order-exception handling", True),
    # names and acronyms keep their case and never follow "we"
    ("United Airlines cut gate delays 12%", "United Airlines", "United Airlines cut", False),
    ("Red Hat cut its month-end close by 2 days", "Red Hat", "Red Hat cut", False),
    ("TED talks brought 40% more sign-ups", "", "TED talks", False),
])
def test_a_spliced_proof_point_keeps_sentence_case(text: str, customer: str, spliced: str,
                                                   after_we: bool) -> None:
    """"For example, we Raised …" is wrong; so is "we United Airlines …"."""
    sender = _with_proof(text, customer)
    for attempt in range(3):  # every phrasing of the proof line
        request = DraftRequest(prospect=PROSPECTS["p002"], sender=sender, step_number=4,
                               channel="email", template="email_value", today=TODAY,
                               previous_subject="quick question", attempt=attempt)
        ctx = build_context(request, choose_fact(request))
        assert ctx["proof_we"] is after_we and ctx["proof"].startswith(spliced)
        body = DRAFTER.draft(request).body
        assert (f"we {spliced}" in body) is after_we, body
        assert f"we {spliced[:1].swapcase()}{spliced[1:]}" not in body
    outcome = draft_checked(request, drafter=DRAFTER)
    assert outcome.passed, outcome.report.reasons


def test_a_value_proposition_that_starts_with_a_name_keeps_it() -> None:
    sender = SENDER.model_copy(update={
        "product_description": "Northwind Flow syncs with Salesforce and HubSpot.",
        "value_propositions": [ValueProposition(id="vp9", text="Salesforce sync for every "
                                                "exception, with an owner and a deadline")]})
    request = DraftRequest(prospect=PROSPECTS["p002"], sender=sender, step_number=4,
                           channel="email", template="email_value", today=TODAY)
    assert build_context(request, choose_fact(request))["vp"].startswith("Salesforce sync")
