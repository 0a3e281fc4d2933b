"""Screens that generalise (#14 item 4, round r5): near-name companies, sensitive topics in
every language prospects write in, and a prospect deferred as a whole. Made-up records."""

from __future__ import annotations

import datetime as dt

import pytest

from cadenza.prospects import ProspectIn
from cadenza.writing.facts import screen_facts
from cadenza.writing.sensitive import sensitive_terms

TODAY = dt.date(2026, 11, 24)


def _prospect(*facts: dict[str, object], company: str = "Brambleford Analytics Ltd",
              domain: str = "brambleford.example") -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "o.winther@brambleford.example", "first_name": "Ola",
        "last_name": "Winther", "company": company, "company_domain": domain,
        "title": "Head of Operations",
        "facts": [{"id": f"f{i}", "date": "2026-10-01", **f} for i, f in enumerate(facts, 1)]})


@pytest.mark.parametrize(("company", "text"), [
    # a near-miss spelling sharing a generic word
    ("Brambleford Analytics Ltd", "Bramblewood Analytics (York) receives a critical audit "
                                  "finding over data integrity"),
    # a near-miss spelling alone
    ("Quenvale Santé", "Quenvalé Hauts-Pays annonce un nouveau site à Arras"),
    # another company sharing the distinctive word
    ("Ostrava Kaffe AB", "Ostrava Energi AB tecknar avtal om en ny vindkraftspark"),
    ("Biolager Westmark gGmbH", "Biolager Ostmark AS erhält 4 Mio. NOK Förderung"),
    ("Lough Derg Dairy Ingredients", "Lough Derg Co-operative Creameries enters merger talks"),
])
def test_a_company_with_a_near_name_is_not_the_prospect(company: str, text: str) -> None:
    screen = screen_facts(_prospect({"kind": "news", "text": text}, company=company,
                                    domain="x.example"), today=TODAY)
    assert screen.dropped.get("f1") == "other_company"


@pytest.mark.parametrize(("company", "text"), [
    ("Brambleford Analytics Ltd", "Brambleford Analytics opens a second lab in Leeds"),
    ("Brambleford Analytics Ltd", "Brambleford's new Leeds lab will hold 40 freezers"),
    ("Brambleford Analytics Ltd", "Brambleford ARR passes £9M, CEO says"),
    ("Laboratoires Quenvale Analyses", "Quenvale Analyses ouvre un site à Rennes"),
    ("Cartonneries du Vallon", "Les Cartonneries du Vallon lancent une gamme recyclable"),
])
def test_the_prospects_own_company_under_a_short_name_is_kept(company: str, text: str) -> None:
    screen = screen_facts(_prospect({"kind": "news", "text": text}, company=company),
                          today=TODAY)
    assert "f1" not in screen.dropped


@pytest.mark.parametrize("text", [
    # religion
    "Zu Pfingsten wieder mit der Pfarrgemeinde auf Wallfahrt. Kraft tanken im Glauben.",
    "Pielgrzymka z naszą parafią – dziękuję za wspólną modlitwę.",
    "Mooie kerkdienst vanochtend, geloof geeft rust.",
    # politics
    "Orgulloso de ir en la lista vecinal para las municipales.",
    "Je soutiendrai la liste citoyenne aux prochaines communales.",
    "Stolt over at stille op til kommunevalget for mit parti.",
    # a regulator, an investigation
    "Acme Labs receives a critical finding from the regulator over sample storage",
    "La Procura di Bergamo indaga su presunte irregolarità",
    "Staatsanwaltschaft ermittelt gegen den früheren Vorstand",
    # short-time work and layoffs read as growth
    "Acme Labs moves 40 staff to short-time work",
    "Kraftwerk Nord baut 30 Stellen in der Verwaltung ab",
    "Akva Nord varsler nedbemanning av 14 stillinger",
    "Fynbo Foder varsler afskedigelse af 20 medarbejdere",
    "Vättern Mekaniska varslar 12 tjänster",
    "Mise en activité partielle de 30 salariés",
    "Acme Polska: przestoje i redukcja etatów w zakładzie",
    # health, medical leave, bereavement
    "Dopo sei mesi di chemioterapia sono tornata in laboratorio.",
    "Nach meinem Herzinfarkt und drei Monaten Reha bin ich wieder da.",
    "La dott.ssa Rossi è in congedo per motivi di salute.",
    "Tilbage på arbejde efter en sygemelding med stress.",
    "Po operacji i długiej rekonwalescencji wracam do pracy.",
    "De volta ao escritório depois de uma cirurgia.",
    "Ciao mamma. Grazie a tutti per i messaggi.",
    "Oggi rientro dopo cinque mesi di maternità.",
    # one's own treatment or surgery, someone close passing (round 6, senders s10 and s11)
    "Thank you all. My treatment is going well and I hope to be back soon.",
    "O tratamento está a correr bem e conto voltar ao trabalho em breve.",
    "De vuelta en casa tras la cirugía de rodilla.",
    "Jeg tar en pause fra jobben for å fokusere på behandlingen.",
    "Mamma sovnet stille inn i natt. Takk for all omtanke.",
    "Pappa somnade stilla in i söndags.",
    "Mein Vater ist am Freitag verstorben.",
    "Notre fondateur nous a quittés cette semaine.",
])
def test_sensitive_topics_in_every_language(text: str) -> None:
    assert sensitive_terms(text)


@pytest.mark.parametrize("text", [
    "Procuramos Comprador(a) de Embalagem para a fábrica de Viseu",
    "Perdemos meia manhã à procura de um rolamento no armazém 2",
    "Investiga Levante inaugura su laboratorio central con 30 centros investigadores",
    "Acme Bottling adds a second line at its Joliet, Ill. plant",
    "Vacature: monsternemer, invullen chain-of-custody formulieren",
    "Dr. Chen, cardiologist at Mass General, publishes a study",
    "Behandling av returer tar for lang tid hos oss",
    "Nowa linia do operacji pakowania w zakładzie w Poznaniu",
])
def test_ordinary_business_words_are_not_sensitive(text: str) -> None:
    assert not sensitive_terms(text)


# -- a prospect dominated by sensitive facts is deferred as a whole --------------------------

_DOMINATED = [
    {"kind": "post", "text": "Dopo sei mesi di chemioterapia oggi sono tornata in laboratorio."},
    {"kind": "post", "text": "Ciao mamma. Grazie a tutti per i messaggi in questi giorni."},
    {"kind": "news", "text": "Brambleford Analisi: la dott.ssa Winther è in congedo per motivi "
                             "di salute; rivolgersi alla segreteria"},
    {"kind": "hiring", "text": "Brambleford Analisi cerca un tecnico di laboratorio a Padova"},
]


def test_a_dominated_prospect_is_deferred_for_every_step() -> None:
    from test_batch import FIRST_FOUR, SENDER

    from cadenza.agent.batch import draft_batch
    from cadenza.writing.deferral import defer_reason

    prospect = _prospect(*_DOMINATED, company="Brambleford Analisi S.r.l.")
    prospect = prospect.model_copy(update={"language": "it", "linkedin_url":
                                           "https://www.linkedin.com/in/ola-winther"})
    assert defer_reason(prospect, today=TODAY) == "sensitive_record"
    records = [r for r in draft_batch([prospect], SENDER, FIRST_FOUR, today=TODAY)
               if r.status != "skipped"]
    assert len(records) == 4
    assert all(r.status == "held" and r.reason == "check_failed:sensitive_record"
               for r in records)


def test_one_sensitive_fact_beside_usable_ones_is_still_a_sequence() -> None:
    from cadenza.writing.deferral import defer_reason

    prospect = _prospect(_DOMINATED[1], _DOMINATED[3],
                         {"kind": "news", "text": "Brambleford Analisi apre un nuovo "
                                                  "biorepository a Padova"})
    assert defer_reason(prospect, today=TODAY) is None


# -- a product named as its company --------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv",
                                      "da", "no"])
def test_a_product_named_as_its_company_is_named_once_per_sentence(language: str) -> None:
    import re

    from test_batch import FIRST_FOUR, SENDER

    from cadenza.agent.batch import draft_batch

    sender = SENDER.model_copy(update={"company": "Quillmark", "product_name": "Quillmark"})
    prospects = [ProspectIn.model_validate({
        "id": f"q{i}", "email": f"m.ekdal{i}@harrowby.example", "first_name": "Mira",
        "last_name": "Ekdal", "company": "Harrowby Labs", "language": language,
        "linkedin_url": f"https://www.linkedin.com/in/mira-ekdal-{i}", "facts": facts})
        for i, facts in enumerate([[], [{"id": "f1", "kind": "hiring", "text":
                                         "Harrowby Labs is hiring two sample coordinators"}]])]
    bodies = [r.body or "" for r in draft_batch(prospects, sender, FIRST_FOUR, today=TODAY)]
    assert bodies
    for body in bodies:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", body):
            assert sentence.count("Quillmark") <= 1, sentence


# -- terse copy ------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "every read logged w/ user, timestamp -> audit trail", "every read logged with user, "
                                                                 "timestamp"),
    ("en", "shipments from sites/clients & labs, sent vs received",
     "shipments from sites or clients and labs, sent against received"),
    ("en", "R&D teams keep HL7/ASTM feeds", "R&D teams keep HL7/ASTM feeds"),
    ("de", "Lieferungen von Standorten/Kunden & Laboren", "Lieferungen von Standorten oder "
                                                          "Kunden und Laboren"),
    ("sv", "prover + etiketter", "prover och etiketter"),
])
def test_terse_copy_is_turned_into_prose(language: str, text: str, expected: str) -> None:
    from cadenza.writing.sender_copy import plain_copy

    assert plain_copy(text, language) == expected


def test_value_and_proof_parts_carry_no_shorthand() -> None:
    from cadenza.writing.sender_copy import proof_parts, value_parts

    vp = value_parts("vp1", "Courier handoff: pre-manifested shipments from sites/clients, one "
                            "scan reconciles sent vs received w/ temp-logger data -> no gaps")
    pp = proof_parts("pp1", "Intake time per cooler from 25 min to 6 min w/ pre-manifested "
                            "shipments at Eastmoor Forensics", "Eastmoor Forensics")
    assert vp is not None and pp is not None
    for text in (vp.body, vp.core, pp.sentence, pp.change):
        for mark in (" w/ ", "->", "sites/clients", " vs "):
            assert mark not in text, text


@pytest.mark.parametrize("text", [
    "Hospital Mediterráneo Sur lanza su unidad de hospitalización a domicilio",
    "Buscamos enfermeras/os para la nueva unidad",
    "Grupo Saúde recruta 150 enfermeiros para o novo hospital",
])
def test_a_hospital_hiring_nurses_is_not_sensitive(text: str) -> None:
    assert not sensitive_terms(text)


@pytest.mark.parametrize(("first", "second"), [
    ("Brambleford tog emot 60 000 prover under 2025",
     "Intervju: Brambleford passerade 95 000 prover 2025, enligt vd"),
    ("Brambleford traite 180 000 échantillons par an",
     "Brambleford : plus de 250 000 échantillons analysés en 2025"),
    ("Brambleford współpracuje z 25 kancelariami zewnętrznymi",
     "„Obsługuje nas ponad 60 kancelarii w całej Polsce” – mówi członek zarządu"),
])
def test_two_counts_of_the_same_thing_are_neither_used(first: str, second: str) -> None:
    screen = screen_facts(_prospect({"kind": "news", "text": first},
                                    {"kind": "news", "text": second}), today=TODAY)
    assert screen.dropped.get("f1") == screen.dropped.get("f2") == "conflicting_numbers"


def test_counts_of_different_things_are_both_kept() -> None:
    screen = screen_facts(_prospect(
        {"kind": "news", "text": "Brambleford Analytics opens a lab with 40 freezers in Leeds"},
        {"kind": "hiring", "text": "Brambleford Analytics is hiring 3 sample coordinators"}),
        today=TODAY)
    assert not screen.dropped
