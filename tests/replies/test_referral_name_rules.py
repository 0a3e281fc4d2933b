"""The rules that find a referred person's name where the first reading failed.

Examples written for these tests (names and companies invented), not taken from a corpus.
"""

from __future__ import annotations

import pytest

from cadenza.replies.classify.names import referral_name


@pytest.mark.parametrize(("text", "expected"), [
    # a role compound before the name is the role, not part of the name
    ("Hej, det är vår IT-chef Linnea Strand som bestämmer här.", "Linnea Strand"),
    ("Det er vores CFO-assistent... nej, vores HR-chef Sofie Dahl der har det.", "Sofie Dahl"),
    ("Hi, our DevOps-lead Tomás Reyes owns the build farm.", "Tomás Reyes"),
    # a closed compound naming a team is no name: the titled colleague after it is
    ("Das ist etwas für unsere Kollegin aus dem Vertriebsteam, Frau Ostermann.",
     "Frau Ostermann"),
    ("Dafür ist die Einkaufsabteilung zuständig, genauer Herr Wiegand.", "Herr Wiegand"),
])
def test_role_compounds_are_not_part_of_a_name(text: str, expected: str) -> None:
    assert referral_name(text) == expected


def test_a_hyphenated_first_name_is_still_a_name() -> None:
    assert referral_name("Please talk to Anne-Sophie Marchal, she runs payroll.") \
        == "Anne-Sophie Marchal"
    assert referral_name("Sprechen Sie mit Karl-Heinz Bräuer aus dem Lager.") \
        == "Karl-Heinz Bräuer"


@pytest.mark.parametrize(("text", "expected"), [
    ("Dat doet mijn collega Yasmina El Idrissi, zij beheert de planning.", "Yasmina El Idrissi"),
    ("Parlez plutôt à Gaëlle Le Bihan, notre acheteuse.", "Gaëlle Le Bihan"),
    ("Ne ha la responsabilità il collega Marco Di Stefano.", "Marco Di Stefano"),
])
def test_capitalised_particles_inside_a_name_stay(text: str, expected: str) -> None:
    assert referral_name(text) == expected


def test_a_particle_at_either_end_is_not_kept() -> None:
    # "La" opens the next sentence: not part of the name
    assert referral_name("Habla con Inés Carrasco. La decisión es suya.") == "Inés Carrasco"


@pytest.mark.parametrize(("text", "expected"), [
    ("Not my call. Call Desmond on 020 7946 0000, he buys for the depot.", "Desmond"),
    ("Ring Håkon på 22 33 44 55, han tar seg av dette.", "Håkon"),
    ("Hi, my husband Tadeusz does the books, not me. I'll show him your mail.", "Tadeusz"),
])
def test_call_and_family_introduce_a_single_name(text: str, expected: str) -> None:
    assert referral_name(text) == expected


def test_contractions_are_not_names() -> None:
    assert referral_name("Not me. I'll forward it on.") is None
    assert referral_name("Sorry, wrong person. We're a small team, It's Hamid Rezaei you want.") \
        == "Hamid Rezaei"


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm writing on behalf of Brenda Kowal, who is away. The person you need is "
     "Oluwaseun Adeyemi, Head of Facilities.", "Oluwaseun Adeyemi"),
    ("Ich antworte im Auftrag von Dr. Gregor Pfeil: zuständig ist Lena Sommer, "
     "Leiterin Einkauf.", "Lena Sommer"),
    ("Je réponds au nom de Hélène Roussel. Voyez plutôt Baptiste Fontaine, Directeur "
     "financier.", "Baptiste Fontaine"),
])
def test_the_represented_person_is_not_the_referral_and_a_title_points(text: str,
                                                                       expected: str) -> None:
    assert referral_name(text) == expected


def test_a_title_after_a_name_is_evidence_only_on_its_line() -> None:
    # the role on the next line is the writer's signature, not a pointer to "Kowalski"
    assert referral_name("Kowalski\nHead of Facilities") is None


def test_polish_case_endings_restored_whatever_the_detected_language() -> None:
    text = ("proszę pisać do Tomasza Nowickiego (tomasz.nowicki@kielce-soft.example) - on to "
            "prowadzi.")
    assert referral_name(text, email="tomasz.nowicki@kielce-soft.example",
                         language="en") == "Tomasz Nowicki"
    # no Polish letters and not Polish: a name ending in -a stays as written
    assert referral_name("Please write to Nikola Jurica (nikol.jur@split.example).",
                         email="nikol.jur@split.example", language="en") == "Nikola Jurica"


@pytest.mark.parametrize(("text", "expected"), [
    # a verb of addressing with its preposition introduces a single name, in each language
    ("Bitte wenden Sie sich an Jana.", "Jana"),
    ("Ich leite das an meinen Kollegen Stefan weiter.", "Stefan"),
    ("J'ai transféré votre message à Mathilde.", "Mathilde"),
    ("He reenviado tu correo a Lucía.", "Lucía"),
    ("Encaminhei para o Rodrigo.", "Rodrigo"),
    ("Rivolgiti a Francesca.", "Francesca"),
    ("Neem contact op met Pieter.", "Pieter"),
    ("Proszę skontaktować się z Agnieszką.", "Agnieszka"),
    ("Kontakta Johanna istället.", "Johanna"),
    ("Jeg har videresendt til Sigrid.", "Sigrid"),
    ("Snakk med Torbjørn.", "Torbjørn"),
    ("Forwarding to Priya.", "Priya"),
    ("I've cc'd Harriet, who runs procurement.", "Harriet"),
    # a copula with "the right person", or a pronoun going on about the person
    ("Amélie est la bonne personne.", "Amélie"),
    ("Benedikt ist der richtige Ansprechpartner.", "Benedikt"),
    ("Parla con Giulia, è lei che segue gli acquisti.", "Giulia"),
    ("Prata med Elin, hon har hand om det.", "Elin"),
    ("Tal med Mikkel, han styrer det.", "Mikkel"),
    ("Escribe a Carmen, ella se encarga.", "Carmen"),
    ("C'est plutôt Jean-Baptiste qui gère.", "Jean-Baptiste"),
])
def test_the_grammar_of_introductions_in_eleven_languages(text: str, expected: str) -> None:
    assert referral_name(text) == expected


@pytest.mark.parametrize("text", [
    "Viele Grüße an Anna und das Team.",  # a preposition without a verb of addressing
    "Bitte schreiben Sie an Vertrieb.",  # a department
    "Send it to Legal.",
    "Fale com a Compras.",
    "Not interested. I use Hubspot, it works.",  # "IT" is a title only when capitalised
    "We are in Madrid, que es donde está la sede.",  # a relative follows places too
    "Thanks, Mark. He said no.",  # the pronoun opens the next sentence
    "Hi Mark, she said no.",  # the greeted person
])
def test_no_name_from_a_preposition_a_department_or_another_sentence(text: str) -> None:
    assert referral_name(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Skontaktuj się z panem Krzysztofem Wiśniewskim.", "Krzysztof Wiśniewski"),
    ("Proszę pisać do pana Tomasza Zielińskiego.", "Tomasz Zieliński"),
])
def test_polish_adjectival_surnames_back_in_the_nominative(text: str, expected: str) -> None:
    assert referral_name(text, language="pl") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Not me - the right person is:\n\nMorgan Patel | Head of Procurement\n"
     "morgan.patel@x.example\n\nBest,\nSue Lamb\nOffice Manager", "Morgan Patel"),
    ("Zuständig ist:\nFrau Sabine Wolff, Leiterin Einkauf\nTel. 0123\n\n"
     "Mit freundlichen Grüßen\nKlaus Berger", "Sabine Wolff"),
    ("Hola,\nescríbele a Paula Gómez-Ruiz (compras).\n\nUn saludo,\nIñaki Etxeberria\n"
     "Director Financiero", "Paula Gómez-Ruiz"),
    ("Questo lo segue la collega Maria Grazia De Luca.", "Maria Grazia De Luca"),
    ("Kontakta vår inköpare Åsa Lindgren-Öberg.", "Åsa Lindgren-Öberg"),
    # the writer's own signature, titled, is never the referral
    ("I'm not the right person.\n\nThanks,\nAlex Turner\nCEO", None),
    ("Please remove me.\n\nRegards\nPriya Sharma | Director", None),
])
def test_a_titled_pointer_line_but_never_the_writers_signature(text: str,
                                                              expected: str | None) -> None:
    assert referral_name(text) == expected


def test_a_stop_word_that_is_a_first_name_before_a_surname_is_the_name() -> None:
    # "hans" is Danish for "his"; capitalised before a surname it is Hans
    assert referral_name("Talk to Hans Verbeek at our installer, he runs the plant room.") \
        == "Hans Verbeek"
    assert referral_name("Det er hans kollega Ida Brun der bestemmer.") == "Ida Brun"


def test_a_possessive_is_not_part_of_the_name() -> None:
    assert referral_name("Please ask Ruth Calder's team instead.") == "Ruth Calder"


def test_a_department_in_capitals_is_no_danish_title() -> None:
    assert referral_name("Wrong person, I'm HR. Try Ole in finance (Ole Brask).") == "Ole Brask"


def test_the_full_name_written_later_completes_a_first_name() -> None:
    assert referral_name("Try Margit, she leads our data team (Margit Solberg).") \
        == "Margit Solberg"


def test_a_polish_name_regains_its_fleeting_e_when_the_address_spells_it() -> None:
    text = "Proszę kontaktować się z mec. Pawłem Zielińskim – pawel.zielinski@kancelaria.example."
    assert referral_name(text, email="pawel.zielinski@kancelaria.example",
                         language="pl") == "Paweł Zieliński"


_FROM_OUR_MAIL_HOST = b"""From: Frank Moll <frank.moll@prospect.example>
To: Tom Hale <tom.hale@seller.example>
Subject: Re: Heating costs
Date: Fri, 03 Oct 2025 09:50:00 +0100
Message-ID: <r1@prospect.example>
In-Reply-To: <s1@mail.seller.example>
Content-Type: text/plain; charset=utf-8

Tom, energy is handled by our partner. Talk to Hans Verbeek at Kuipers.

Frank

On Wed, 1 Oct 2025 at 10:53, Tom Hale <tom.hale@seller.example> wrote:
> Hello Frank,
> Tom Hale, Seller
"""


def test_our_sdr_at_the_mail_hosts_parent_domain_is_never_the_referral() -> None:
    # our Message-IDs come from mail.seller.example, the SDR writes as tom.hale@seller.example
    from cadenza.mailbox.parse import parse_message
    from cadenza.mailbox.quotes import strip_reply
    from cadenza.replies.classify.message import _referral

    parsed = parse_message(_FROM_OUR_MAIL_HOST)
    fields = _referral(parsed, strip_reply(parsed.text).text, "en", frozenset())
    assert fields == {"referral_email": None, "referral_name": "Hans Verbeek"}


@pytest.mark.parametrize(("text", "expected"), [
    # a possessive and a role before a bare first name introduce the person
    ("Hej! Musiklicenser går via vår musikansvarige Amir, ring honom.", "Amir"),
    ("Du skal tale med vores indkøber Mikkel, jeg giver ham besked.", "Mikkel"),
    ("Las compras no las llevo yo, las lleva mi hermano Alberto.", "Alberto"),
    ("Ne parli con mio figlio Matteo che segue la parte tecnica.", "Matteo"),
    ("Ce n'est pas moi, c'est ma gestionnaire de bureau, Manon, qui décide.", "Manon"),
    # what the person does, after the name
    ("wrong guy, Priya runs all our VO. tell her i sent u", "Priya"),
    ("Anbud er det Per Olsen som håndterer. Ring ham.", "Per Olsen"),
    ("Moet je bij Joost zijn, die doet data & strategie hier.", "Joost"),
    # a Mexican title is a title, not the name
    ("My boss, Lic. Raúl Treviño, handles this kind of thing.", "Raúl Treviño"),
])
def test_a_first_name_introduced_by_a_role_or_a_duty(text: str, expected: str) -> None:
    assert referral_name(text) == expected


@pytest.mark.parametrize("text", [
    "Our office in Madrid handles this, I think.",
    "My team at Lisbon will decide next month.",
])
def test_a_place_after_a_possessive_is_no_person(text: str) -> None:
    assert referral_name(text) is None


@pytest.mark.parametrize(("text", "language", "name"), [
    ("Eso lo lleva Maite, la de tráfico. Llama al 976 45 12 30 y pide que te pasen con ella.",
     "es", "Maite"),
    ("Nie ja się tym zajmuję. Proszę dzwonić do dyspozytorni, tam siedzi Marek - on ogarnia "
     "GPS-y i karty paliwowe.", "pl", "Marek"),
    ("Tym zajmuje się Ewa z działu zakupów.", "pl", "Ewa"),
    ("Di questo se ne occupa Paolo, in amministrazione.", "it", "Paolo"),
])
def test_a_name_after_its_verb_is_the_referral(text: str, language: str, name: str) -> None:
    from cadenza.replies.classify.names import referral_name
    assert referral_name(text, language=language) == name
