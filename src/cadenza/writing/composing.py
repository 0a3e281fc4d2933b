"""The parts of a message that code writes, never a template author or a model.

Signature, compliance footer (postal address + opt-out) and the HTML rendering are identical for
every drafter, so they live here: the template drafter and the LLM drafter append them, and the
checker strips exactly these strings back off before counting words or checking grounding.
"""

from __future__ import annotations

import html
import re

from cadenza.sender import SenderProfile, Unsubscribe
from cadenza.writing.portuguese import european

SIGNOFF: dict[str, str] = {
    "en": "Best,", "de": "Viele Grüße", "fr": "Bien cordialement,", "es": "Un saludo,",
    "pt": "Abraço,", "nl": "Met vriendelijke groet,", "it": "Cordiali saluti,",
    "pl": "Pozdrawiam serdecznie,", "sv": "Vänliga hälsningar,", "da": "Venlig hilsen",
    "no": "Vennlig hilsen",
}
#: Opt-out sentences used when the sender kept the default English text and wrote no translation.
DEFAULT_OPT_OUT: dict[str, str] = {
    "en": Unsubscribe().text,
    "de": "Falls Sie keine weiteren Nachrichten von mir möchten, antworten Sie einfach "
          "mit „abmelden“.",
    "fr": "Si vous préférez ne plus recevoir de messages de ma part, répondez simplement "
          "« désinscrire ».",
    # usted, like the Spanish drafts: one register from greeting to footer
    "es": "Si prefiere no recibir más mensajes míos, responda simplemente \"baja\".",
    "pt": "Se preferir não receber mais mensagens minhas, é só responder \"descadastrar\".",
    "nl": "Wil je liever geen berichten meer van mij ontvangen? Antwoord dan gewoon met "
          "\"afmelden\".",
    # Lei, like the Italian drafts
    "it": "Se preferisce non ricevere altri messaggi da parte mia, basta rispondere "
          "\"cancellami\".",
    # impersonal: "Pan" or "Pani" would need a gender the record may not give
    "pl": "Aby nie otrzymywać ode mnie kolejnych wiadomości, wystarczy odpowiedzieć "
          "\"wypisz\".",
    "sv": "Vill du inte få fler meddelanden från mig? Svara bara \"avregistrera\".",
    "da": "Vil du ikke have flere beskeder fra mig? Så svar blot \"afmeld\".",
    "no": "Vil du ikke ha flere meldinger fra meg? Da er det bare å svare \"avmeld\".",
}


def opt_out_sentence(sender: SenderProfile, language: str) -> str:
    """The opt-out sentence in ``language``: the sender's own translation, else a default."""
    unsub = sender.unsubscribe
    if language in unsub.localized and unsub.localized[language].strip():
        return unsub.localized[language].strip()
    if language != "en" and unsub.text.strip() == DEFAULT_OPT_OUT["en"]:
        return DEFAULT_OPT_OUT.get(language, unsub.text.strip())
    return unsub.text.strip() or DEFAULT_OPT_OUT.get(language, DEFAULT_OPT_OUT["en"])


def signature_block(sender: SenderProfile, language: str) -> str:
    """Sign-off, the sender's name, and title and company."""
    person = sender.sender
    name = " ".join(p for p in (person.first_name.strip(), person.last_name.strip()) if p)
    role = ", ".join(p for p in (person.title.strip(), sender.company.strip()) if p)
    lines = [SIGNOFF.get(language, SIGNOFF["en"]), name, role]
    return "\n".join(line for line in lines if line)


def footer_block(sender: SenderProfile, language: str) -> str:
    """The compliance footer: who sends (postal address) and how to opt out."""
    address = " ".join(sender.postal_address.split())
    opt_out = opt_out_sentence(sender, language)
    company = sender.company.strip()
    sender_line = address if (address and company.lower() in address.lower()) else \
        ", ".join(p for p in (company, address) if p)
    lines = [sender_line, opt_out]
    url = sender.unsubscribe.url.strip()
    if url and url not in opt_out:
        lines.append(url)
    return "\n".join(line for line in lines if line)


def assemble_email(main: str, sender: SenderProfile, language: str) -> str:
    """Main text + signature + footer, separated by blank lines."""
    return "\n\n".join([main.strip(), signature_block(sender, language),
                        footer_block(sender, language)])


def split_email(body: str, sender: SenderProfile, language: str) -> tuple[str, bool]:
    """The main text of an assembled email, and whether the exact footer was found at its end."""
    footer = footer_block(sender, language)
    signature = signature_block(sender, language)
    has_footer = body.rstrip().endswith(footer)
    main = body.rstrip()
    if has_footer:
        main = main[: -len(footer)].rstrip()
    # a draft to Portugal signs off in European Portuguese ("Cumprimentos,"): left in the
    # main text, its title line was "said again" in every touch and held them all
    signatures = (signature, european(signature)) if language == "pt" else (signature,)
    for sign in signatures:
        if main.endswith(sign):
            main = main[: -len(sign)].rstrip()
            break
    return main, has_footer


def to_html(body: str) -> str:
    """Plain text as escaped ``<p>`` paragraphs; nothing in the text can become markup."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(body.strip()) if p.strip()]
    out = []
    for para in paragraphs:
        lines = [html.escape(line.strip(), quote=False) for line in para.split("\n")]
        out.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(out)


_BLANKS = re.compile(r"[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.])(?=\s|$)")
_BLANK_LINES = re.compile(r"\n{3,}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def tidy(text: str) -> str:
    """Collapse the whitespace a template leaves behind; keep paragraph breaks."""
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    joined = _SPACE_BEFORE_PUNCT.sub(r"\1", joined)
    return _BLANK_LINES.sub("\n\n", joined).strip()


#: French elides "que", "de", "je", "ne", "me", "te", "se" before a vowel: a template slot
#: filled with a company name ("J'ai lu que Atelier Lumière …") must read "qu'Atelier".
#: (Not before h or y: "de Hermès" and "de Yale" are written as they are.)
#: Inside a name ("Banco de Oro", "Maria de Almeida") the particle stays: a word after a
#: capitalised word is left alone.
_FR_ELISION = re.compile(r"(?:^|(?<=\s))(?P<prev>\S+\s+)?\b(?P<w>[QqDdJjNnMmTtSs]|[Qq]u)e\s+"
                         r"(?=[AEIOUÀÂÆÉÈÊËÎÏÔŒÙÛÜaeiouàâæéèêëîïôœùûü])")


def _elided(m: re.Match[str]) -> str:
    prev = m.group("prev") or ""
    if prev[:1].isupper() and not prev.rstrip().endswith((".", "!", "?", ":")):
        return m.group(0)
    return prev + m.group("w") + "'"


def elide(text: str, language: str) -> str:
    """``text`` with the elisions its language requires (French only, so far)."""
    if language != "fr":
        return text
    return _FR_ELISION.sub(_elided, text)
