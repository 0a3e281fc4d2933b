from __future__ import annotations

import pytest

from cadenza.mailbox.quotes import strip_reply

FOOTER = "If you'd rather not hear from me again, just reply \"unsubscribe\"."


@pytest.mark.parametrize("header", [
    "On Tue, Mar 31, 2026 at 9:00 AM Sam SDR <sam@sender.example> wrote:",
    "Am Di., 31. März 2026 um 09:00 Uhr schrieb Sam SDR <sam@sender.example>:",
    "Le mar. 31 mars 2026 à 09:00, Sam SDR <sam@sender.example> a écrit :",
    "El mar, 31 mar 2026 a las 9:00, Sam SDR (<sam@sender.example>) escribió:",
    "Em ter., 31 de mar. de 2026 às 09:00, Sam SDR <sam@sender.example> escreveu:",
    "Op di 31 mrt 2026 om 09:00 schreef Sam SDR <sam@sender.example>:",
    "On 31 Mar 2026, at 09:00, Sam SDR <sam@sender.example> wrote:",
])
def test_attribution_lines_in_six_languages(header: str) -> None:
    text = f"Yes, let's talk.\n\n{header}\n> Hi Jane,\n> {FOOTER}"
    result = strip_reply(text)
    assert result.text == "Yes, let's talk."
    assert "unsubscribe" in result.quoted


def test_gmail_attribution_wrapped_on_two_lines() -> None:
    text = ("Sounds good\n\nOn Tue, Mar 31, 2026 at 9:00 AM Sam SDR <sam@sender.example>\nwrote:\n"
            "> old")
    assert strip_reply(text).text == "Sounds good"


@pytest.mark.parametrize("block", [
    "From: Sam SDR <sam@sender.example>\nSent: Tuesday, March 31, 2026\nTo: Jane\nSubject: Hi",
    "Von: Sam SDR <sam@sender.example>\nGesendet: Dienstag, 31. März 2026\nAn: Jane\nBetreff: Hi",
    "De : Sam SDR <sam@sender.example>\nEnvoyé : mardi 31 mars 2026 09:00\nÀ : Jane\nObjet : Hi",
    "De: Sam <sam@sender.example>\nEnviado el: martes, 31 de marzo\nPara: Jane\nAsunto: Hi",
    "De: Sam <sam@sender.example>\nEnviada em: terça-feira, 31 de março\nPara: Jane\nAssunto: Hi",
    "Van: Sam <sam@sender.example>\nVerzonden: dinsdag 31 maart 2026\nAan: Jane\nOnderwerp: Hi",
    "-----Original Message-----\nFrom: Sam",
    "-----Ursprüngliche Nachricht-----\nVon: Sam",
    "________________________________\nFrom: Sam SDR\nSent: today\nTo: Jane",
])
def test_outlook_header_blocks(block: str) -> None:
    text = f"Not interested, thanks.\n\n{block}\n\nHi Jane, ...\n{FOOTER}"
    result = strip_reply(text)
    assert result.text == "Not interested, thanks."
    assert "unsubscribe" not in result.text


def test_signatures_and_mobile_footers() -> None:
    assert strip_reply("Call me Tuesday.\n\nSent from my iPhone").text == "Call me Tuesday."
    assert strip_reply("Gerne.\n\nVon meinem iPhone gesendet").text == "Gerne."
    assert strip_reply("Ok pour moi.\n-- \nJean Dupont\nCEO").text == "Ok pour moi."
    signed = "Happy to chat next week.\n\nBest regards,\nJane Doe\nVP Ops | ACME\n+1 555 0100"
    result = strip_reply(signed)
    assert result.text == "Happy to chat next week."
    assert "555" in result.signature


def test_unmarked_quoted_footer_never_survives() -> None:
    text = f"Thanks, interesting.\n\nHi Jane, we help teams like yours.\n{FOOTER}"
    assert "unsubscribe" not in strip_reply(text).text
    german = "Danke.\nWenn Sie keine weiteren E-Mails wünschen, antworten Sie mit „abmelden“."
    assert "abmelden" not in strip_reply(german).text


def test_human_unsubscribe_is_kept() -> None:
    assert strip_reply("Please unsubscribe me.").text == "Please unsubscribe me."


def test_bottom_posted_reply() -> None:
    text = "On Tue, Mar 31, 2026 Sam <sam@sender.example> wrote:\n> Hi Jane\n\nSure, Tuesday works."
    assert strip_reply(text).text == "Sure, Tuesday works."


@pytest.mark.parametrize("attribution", [
    "ons. 1. sep. 2027 kl. 11:28 skrev Chloe Martin <chloe@vendor.example>:",
    "tors 4 mars 2027 kl 09:15 skrev Chloe Martin <chloe@vendor.example>:",
    "Den 3. marts 2026 kl. 10.02 skrev Chloe Martin <chloe@vendor.example>:",
    "W dniu 3.03.2026 o 09:12 Chloe Martin <chloe@vendor.example> pisze:",
    "Wiadomość napisana przez Chloe Martin <chloe@vendor.example> w dniu 9.02.2026, "
    "o godz. 09:32:",
    "Op 16 mei 2025 om 09:41 heeft Chloe Martin <chloe@vendor.example> het volgende "
    "geschreven:",
    "Il giorno mar 3 mar 2026 alle ore 09:12 Chloe Martin <chloe@vendor.example> ha scritto:",
    '-----"Chloe Martin" <chloe@vendor.example> wrote: -----',
])
def test_attribution_lines_in_every_language(attribution: str) -> None:
    text = (f"Ikke interessert, takk.\n\n{attribution}\n\n"
            "Hi, would a call on Tuesday at 3pm work? Reply stop to unsubscribe.")
    result = strip_reply(text)
    assert result.text == "Ikke interessert, takk."
    assert "Tuesday" in result.quoted


@pytest.mark.parametrize(("separator", "headers"), [
    ("-----Opprinnelig melding-----", "Fra: Chloe\nSendt: 1. sep. 2027\nTil: Geir\nEmne: Hei"),
    ("-----Ursprungligt meddelande-----", "Från: Chloe\nSkickat: den 1 sep\nTill: Eva\nÄmne: Hej"),
    ("-----Oprindelig meddelelse-----", "Fra: Chloe\nSendt: 1. sep\nTil: Lars\nEmne: Hej"),
    ("-----Wiadomość oryginalna-----", "Od: Chloe\nWysłano: 1 wrz\nDo: Jan\nTemat: Witam"),
    ("________________________________", "Fra: Chloe\nSendt: 1. sep\nTil: Tor\nEmne: Faktura"),
])
def test_outlook_blocks_in_nordic_and_polish(separator: str, headers: str) -> None:
    text = f"Nei takk.\n\nMvh\nTor\n\n{separator}\n{headers}\n\nShall we meet on Tuesday?"
    result = strip_reply(text)
    assert "Tuesday" not in result.text and result.text.startswith("Nei takk.")
