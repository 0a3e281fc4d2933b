"""The referred person's name, with or without an address, in the eleven languages.

Examples written for these tests (names and companies invented), not taken from a corpus.
"""

from __future__ import annotations

import pytest

from cadenza.replies.classify.names import name_key, referral_name


@pytest.mark.parametrize(("text", "email", "expected"), [
    # English: the address spells the name; a role stands between
    ("Hi Paula,\n\nNot my area. Our head of logistics, Grant Whitfield, owns this: "
     "grant.whitfield@boxhill.example\n\nCheers,\nNina", "grant.whitfield@boxhill.example",
     "Grant Whitfield"),
    ("Wrong person - you want Oskar Lindahl (olindahl@fenmark.example).",
     "olindahl@fenmark.example", "Oskar Lindahl"),
    ("I've passed this on to my colleague Rhiannon Price. She'll be in touch if useful.",
     None, "Rhiannon Price"),
    ("Thanks, but talk to Priyanka, she runs our payroll. priyanka@tallow.example",
     "priyanka@tallow.example", "Priyanka"),
    # German: titles, a surname alone keeps its title
    ("Guten Tag Herr Albers,\n\ndafür ist Frau Dr. Henrike Stoll aus dem Einkauf zuständig: "
     "h.stoll@weserwerk.example", "h.stoll@weserwerk.example", "Henrike Stoll"),
    ("Sehr geehrte Frau Kunz,\n\nbitte wenden Sie sich an Herrn Brandauer aus der IT.",
     None, "Herr Brandauer"),
    # French
    ("Bonjour Monsieur Favre,\n\nMerci de contacter Mme Solène Garnier, notre acheteuse : "
     "s.garnier@lumiere-ind.example", "s.garnier@lumiere-ind.example", "Solène Garnier"),
    # Spanish
    ("Hola Marta,\n\nEsto lo lleva nuestra directora financiera, Begoña Iturbe. "
     "Escríbele a biturbe@norte-sa.example", "biturbe@norte-sa.example", "Begoña Iturbe"),
    # Portuguese: an engineer's title
    ("Bom dia,\n\nQuem decide é o Eng.º Tiago Meireles, que coloco em cópia.", None,
     "Tiago Meireles"),
    # Dutch: particles belong to the name
    ("Beste Sven,\n\nDaarvoor moet je bij Floor van der Meulen zijn, onze planner.", None,
     "Floor van der Meulen"),
    # Italian: an elided title
    ("Gentile Dottore,\n\nper questi temi si rivolga all'ing. Renato Bassi: "
     "r.bassi@officine-po.example", "r.bassi@officine-po.example", "Renato Bassi"),
    # Polish: back to the nominative, by the address and by the case endings
    ("Dzień dobry,\n\nproszę kontaktować się z p. Wojciechem Zielińskim: "
     "w.zielinski@mostostal-k.example", "w.zielinski@mostostal-k.example", "Wojciech Zieliński"),
    ("Dzień dobry, tym zajmuje się nasza księgowa, Panią Martą Sobczak proszę pytać.",
     None, "Marta Sobczak"),
    # Swedish, Danish, Norwegian
    ("Hej Jonas,\n\nDet är vår ekonomichef Sanna Holmqvist du ska prata med.", None,
     "Sanna Holmqvist"),
    ("Hej Mette\n\nDet er vores lagerchef, Bjarke Nørgaard, der bestemmer. Skriv til ham på "
     "bn@skovlund.example.", "bn@skovlund.example", "Bjarke Nørgaard"),
    ("Hei,\n\nSnakk med Ingvild Solheim hos oss, hun har ansvaret.\n\nMvh Ole Hansen", None,
     "Ingvild Solheim"),
])
def test_referral_name_in_eleven_languages(text: str, email: str | None, expected: str) -> None:
    assert referral_name(text, email=email) == expected


def test_the_writer_the_greeted_and_our_side_are_not_the_referral() -> None:
    text = ("Hi Tessa,\n\nI'm not the one for this - Corinne Abbott handles vendors.\n\n"
            "Kind regards,\nHugo Marsh\nOperations Lead")
    assert referral_name(text, exclude=["Hugo Marsh"]) == "Corinne Abbott"
    # the same surname as the writer is still another person
    text = ("Hola,\n\nDe eso se ocupa mi socia, la Dra. Elena Quiroga.\n\nSaludos,\n"
            "Andrés Quiroga\nQuiroga Hermanos")
    assert referral_name(text) == "Elena Quiroga"
    # the greeted colleague is named in full later: that is the referral
    text = "Hallo Greta,\n\nkannst du das anschauen?\n\nHerr Ruiz, Frau Greta Lenz entscheidet das."
    assert referral_name(text, exclude=["Diego Ruiz"]) == "Greta Lenz"


def test_roles_places_and_organisations_are_not_names() -> None:
    text = ("Dear Mr Hale,\n\nThis goes through the Central Procurement Unit and the Director "
            "of Operations. Please write to tenders@harbourtown.example.")
    assert referral_name(text, email="tenders@harbourtown.example") is None
    text = ("Buenas,\n\nLa Unidad de Contratación lo gestiona: contratacion@hospital.example\n\n"
            "Un saludo,\nRamón Gil\nCalle Mayor 12")
    assert referral_name(text, email="contratacion@hospital.example") is None


def test_a_colleague_only_in_cc_gives_the_cc_name() -> None:
    assert referral_name("+Viktor (cc'd) owns the AWS bill.", email="viktor@lumen.example",
                         cc_names=["Viktor Hallgren"]) == "Viktor Hallgren"
    assert referral_name("I've copied the right person here.", email="a.b@lumen.example",
                         copied_name="Astrid Berg") == "Astrid Berg"
    assert referral_name("I've copied the right person here.") is None


def test_name_key_compares_without_titles_case_or_accents() -> None:
    assert name_key("Frau Dr. Meier") == name_key("Dr. Meier") == "meier"
    assert name_key("Mme Solène  Garnier") == name_key("solene garnier")
    assert name_key("Tomasza Nowaka") != name_key("Tomasz Nowak")
