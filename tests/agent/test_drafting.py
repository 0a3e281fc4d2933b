"""The template drafter on ordinary and adversarial prospects; every template renders."""

import datetime as dt
import json
from pathlib import Path

import pytest

import cadenza
from cadenza.prompts import render, template_names
from cadenza.prospects import ProspectIn
from cadenza.sender import ProofPoint, SenderProfile
from cadenza.writing.draft_context import build_context
from cadenza.writing.drafting import TEMPLATES, DraftRequest, TemplateDrafter
from cadenza.writing.revising import draft_checked
from cadenza.writing.sender_copy import proof_parts, sender_copy, value_parts
from cadenza.writing.sequence import plan_sequence

DATA = Path(cadenza.__file__).parent / "evals" / "datasets" / "prospects"
TODAY = dt.date(2026, 11, 24)
SENDER = SenderProfile.model_validate_json((DATA / "sender.json").read_text())
PROSPECTS = {p.id: p for p in (ProspectIn.model_validate_json(line) for line in
                               (DATA / "prospects.jsonl").read_text().splitlines() if line)}
DRAFTER = TemplateDrafter()
#: A sender with copy in every template language, so that every template set renders.
LOCALIZED = SENDER.model_copy(update={
    "value_propositions": [vp.model_copy(update={"localized": texts}) for vp, texts in zip(
        SENDER.value_propositions, [
            {"de": "Eine Warteschlange für jede Ausnahme, mit Verantwortlichem und Frist.",
             "fr": "Une seule file pour chaque exception, avec un responsable et un délai.",
             "es": "Una sola cola para cada excepción, con responsable y plazo.",
             "pt": "Uma única fila para cada exceção, com responsável e prazo.",
             "nl": "Eén wachtrij voor elke uitzondering, met een eigenaar en een deadline.",
             "it": "Un'unica coda per ogni eccezione, con un responsabile e una scadenza.",
             "pl": "Jedna kolejka dla każdego wyjątku, z osobą odpowiedzialną i terminem.",
             "sv": "En enda kö för varje undantag, med en ansvarig och en deadline.",
             "da": "Én kø for hver undtagelse, med en ansvarlig og en deadline.",
             "no": "Én kø for hvert avvik, med en ansvarlig og en frist."},
            {"de": "No-Code-Workflows übernehmen die Übergaben zwischen den Teams.",
             "fr": "Des workflows sans code automatisent les passages de relais entre équipes.",
             "es": "Flujos sin código automatizan los traspasos entre equipos.",
             "pt": "Fluxos sem código automatizam as passagens entre equipes.",
             "nl": "No-code workflows automatiseren de overdrachten tussen teams.",
             "it": "Flussi senza codice automatizzano i passaggi tra i team.",
             "pl": "Przepływy bez kodu automatyzują przekazywanie zadań między zespołami.",
             "sv": "Flöden utan kod automatiserar överlämningarna mellan team.",
             "da": "Flows uden kode automatiserer overleveringerne mellem teams.",
             "no": "Flyter uten kode automatiserer overleveringene mellom team."},
            {"de": "Verbindet sich mit ERP, WMS und CRM, die Ihr Team schon nutzt.",
             "fr": "Se connecte à l'ERP, au WMS et au CRM déjà en place.",
             "es": "Se conecta con el ERP, el WMS y el CRM que ya usa su equipo.",
             "pt": "Conecta-se ao ERP, ao WMS e ao CRM que o time já usa.",
             "nl": "Koppelt met de ERP, WMS en CRM die jullie al gebruiken.",
             "it": "Si collega all'ERP, al WMS e al CRM che il vostro team usa già.",
             "pl": "Łączy się z systemami ERP, WMS i CRM, których zespół już używa.",
             "sv": "Kopplas till det ERP, WMS och CRM som ert team redan använder.",
             "da": "Kobles til det ERP, WMS og CRM, som jeres team allerede bruger.",
             "no": "Kobles til ERP, WMS og CRM som teamet deres allerede bruker."}],
        strict=True)],
    "proof_points": [SENDER.proof_points[0].model_copy(update={"localized": {
        "de": "Kestrel Freight hat die Bearbeitungszeit für Ausnahmen um 38 % gesenkt.",
        "fr": "Kestrel Freight a réduit de 38 % le temps de traitement des exceptions.",
        "es": "Kestrel Freight redujo un 38 % el tiempo de gestión de excepciones.",
        "pt": "A Kestrel Freight reduziu em 38% o tempo de tratamento de exceções.",
        "nl": "Kestrel Freight verkortte de afhandeltijd van uitzonderingen met 38%.",
        "it": "Kestrel Freight ha ridotto del 38% il tempo di gestione delle eccezioni.",
        "pl": "Kestrel Freight skrócił czas obsługi wyjątków o 38%.",
        "sv": "Kestrel Freight minskade tiden för undantagshantering med 38 %.",
        "da": "Kestrel Freight skar tiden til håndtering af undtagelser ned med 38 %.",
        "no": "Kestrel Freight kuttet tiden for avvikshåndtering med 38 %."}}),
        *SENDER.proof_points[1:]]})



#: The dataset's expected holds by prospect id (``expected.jsonl``).
EXPECTED_HOLD = {e["id"]: e["reason"] or "" for e in (
    json.loads(line) for line in (DATA / "expected.jsonl").read_text().splitlines() if line)
    if e["expect"] == "hold"}


def _req(pid: str, step: int = 1, channel: str = "email", template: str = "email_opener",
         sender: SenderProfile = SENDER, **kw: object) -> DraftRequest:
    return DraftRequest(prospect=PROSPECTS[pid], sender=sender, step_number=step,
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
    if EXPECTED_HOLD.get(pid, "").startswith("check_failed:sensitive_record"):
        # a deferred prospect: every touch waits for a person, with the reason
        assert not outcome.passed
        assert any(r.startswith("sensitive_record") for r in outcome.report.reasons)
        return
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


def test_german_prospect_gets_german_when_the_sender_wrote_german() -> None:
    draft = DRAFTER.draft(_req("p005", sender=LOCALIZED))
    assert draft.language == "de" and draft.note is None
    assert draft.body.startswith("Guten Tag Herr Weber,")
    assert "Viele Grüße" in draft.body and "Abmelden" in draft.body
    german = [vp.localized["de"] for vp in LOCALIZED.value_propositions]
    assert any(text in draft.body for text in german), draft.body


def test_without_german_copy_the_draft_is_german_and_says_so() -> None:
    """Reviewers rated English with an apology to a German prospect 1–2 out of 5: without
    the sender's German copy the draft is still German (greeting, frames, ask, sign-off),
    says the sender by its product's name, has no English sentence and no apology."""
    draft = DRAFTER.draft(_req("p005"))
    assert draft.language == "de" and draft.note == ("the sender has no de copy: its value "
                                                     "propositions are left out")
    assert draft.body.startswith("Guten Tag Herr Weber,") and "Apologies" not in draft.body
    assert not any(vp.text.split(":")[0] in draft.body for vp in SENDER.value_propositions)
    later = DRAFTER.draft(_req("p005", 2, template="email_followup", emailed_before=True,
                               previous_subject=draft.subject))
    assert later.language == "de" and "Apologies" not in later.body
    # Italian has templates now (as Polish, Swedish, Danish and Norwegian): no English
    italian = PROSPECTS["p005"].model_copy(update={"language": "it"})
    draft = DRAFTER.draft(DraftRequest(prospect=italian, sender=LOCALIZED, step_number=1,
                                       channel="email", template="email_opener", today=TODAY))
    assert draft.language == "it" and draft.body.startswith("Buongiorno Jonas,")
    assert draft.note is None  # the sender wrote Italian copy: it is said in Italian
    assert any(vp.localized["it"].rstrip(".") in draft.body
               for vp in LOCALIZED.value_propositions), draft.body
    finnish = PROSPECTS["p005"].model_copy(update={"language": "fi"})
    draft = DRAFTER.draft(DraftRequest(prospect=finnish, sender=LOCALIZED, step_number=1,
                                       channel="email", template="email_opener", today=TODAY))
    assert draft.language == "en" and draft.note == "written in English: no fi templates"


@pytest.mark.parametrize(("pid", "greeting"), [
    ("p006", "Bonjour Claire,"), ("p007", "Hola Alejandro,"), ("p008", "Olá Beatriz,"),
    ("p009", "Beste Sanne,"), ("p051", "Hola María José,"), ("p050", "Hi John,"),
    ("p053", "Hi there,"), ("p054", "Hi there,"), ("p038", "Hi there,"), ("p044", "Hi مريم,"),
])
def test_greetings(pid: str, greeting: str) -> None:
    assert DRAFTER.draft(_req(pid, sender=LOCALIZED)).body.startswith(greeting)


def test_variants_differ_across_prospects() -> None:
    openers = {DRAFTER.draft(_req(pid)).body.split("\n\n")[1][:25] for pid in
               ("p001", "p002", "p003", "p010", "p011", "p012", "p013", "p014")}
    assert len(openers) > 4


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
    """Every template renders with nothing known about the prospect (no name, no company,
    no facts): no "None", no empty output."""
    lang, template = name.split("/")[1], name.rsplit("/", 1)[-1].removesuffix(".j2")
    bare = ProspectIn(id="x1", email="x@example.com", language=lang)
    copy = sender_copy(LOCALIZED)
    values = copy.values if lang == "en" else copy.localized_values[lang]
    plan = plan_sequence(bare, LOCALIZED, copy, today=TODAY, language=lang, values=values,
                         proofs=copy.proofs if lang == "en" else ())
    ctx = build_context(prospect=bare, sender=LOCALIZED, copy=copy, plan=plan,
                        template=template, step=1, language=lang, fallback_from="",
                        previous_subject=None, emailed=False)
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


@pytest.mark.parametrize(("text", "customer", "sentence"), [
    ("Raised NPS by 20 points at Kestrel Freight", "", "Kestrel Freight raised NPS by 20 points."),
    ("Cut order-exception handling time 38%", "Kestrel", "Kestrel cut order-exception handling "
                                                        "time 38%."),
    ("cut handling time 38% at Kestrel Freight", "Kestrel Freight",
     "Kestrel Freight cut handling time 38%."),
    # names and acronyms keep their case; a sentence that starts with the customer stays
    ("United Airlines cut gate delays 12%", "United Airlines", "United Airlines cut gate delays "
                                                               "12%."),
    ("TED talks brought 40% more sign-ups", "", "TED talks brought 40% more sign-ups."),
    ("40% faster onboarding at Halden Health", "Halden Health",
     "For Halden Health, that meant 40% faster onboarding."),
])
def test_a_proof_point_becomes_a_sentence_with_its_customer(text: str, customer: str,
                                                            sentence: str) -> None:
    """"For example, we Raised …" is wrong; so is "we United Airlines …"."""
    parts = proof_parts("pp9", text, customer)
    assert parts is not None and parts.sentence == sentence
    sender = _with_proof(text, customer)
    for attempt in range(3):  # every phrasing of the proof line
        request = DraftRequest(prospect=PROSPECTS["p002"], sender=sender, step_number=4,
                               channel="email", template="email_value", today=TODAY,
                               previous_subject="quick question", attempt=attempt)
        body = DRAFTER.draft(request).body
        assert " we " + text[:1] not in body and "we Raised" not in body, body
    outcome = draft_checked(request, drafter=DRAFTER)
    assert outcome.passed, outcome.report.reasons


def test_a_value_proposition_that_starts_with_a_name_keeps_it() -> None:
    parts = value_parts("vp9", "Salesforce sync for every exception, with an owner",
                        names=frozenset({"Salesforce"}))
    assert parts is not None and parts.body.startswith("Salesforce sync")
    headline = value_parts("vp1", "Live yard map: Every trailer, door and seal status on one "
                                  "screen, updated from gate scans.")
    assert headline is not None and headline.label == "live yard map"
    assert headline.body.startswith("every trailer") and headline.form == "np"


@pytest.mark.parametrize("pid", ["p005", "p006", "p007", "p008", "p009", "p017", "p025"])
def test_a_native_sequence_passes_without_revisions(pid: str) -> None:
    """Each language's four touches, written from the sender's own translations, pass every
    check (register and greeting included) at the first attempt and repeat no sentence."""
    seen: set[str] = set()
    subject = None
    for step, channel, template in [(1, "email", "email_opener"), (2, "email", "email_followup"),
                                    (3, "linkedin_connect", "linkedin_connect"),
                                    (4, "email", "email_value")]:
        request = _req(pid, step, channel, template, sender=LOCALIZED,
                       previous_subject=subject if channel == "email" else None)
        outcome = draft_checked(request, drafter=DRAFTER)
        assert outcome.passed and outcome.revisions == 0, (step, outcome.report.reasons)
        assert outcome.draft.language == PROSPECTS[pid].language
        main = outcome.draft.body.split("\n\n")[1:-2] if channel == "email" else \
            outcome.draft.body.split("\n")[1:]
        sentences = {s for s in " ".join(main).split(". ") if len(s.split()) > 3}
        assert not sentences & seen, sentences & seen
        seen |= sentences
        subject = subject or outcome.draft.subject
