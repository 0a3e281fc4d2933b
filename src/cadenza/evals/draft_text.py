"""How the draft metrics read a draft, and what they look for in it.

What a recipient sees (subject, body and the text of the html part), the main text the drafter
wrote (without sign-off, signature and footer), words, sentences, syllables, numbers, contact
data (links, addresses, phone numbers) and template syntax; the texts of the prospect record
and the sender profile a draft may draw on; and the canaries, strings of the prospect's record
that must never be echoed. :mod:`cadenza.evals.draft_metrics` turns these findings into
verdicts. Written independently of :mod:`cadenza.writing`, for the same reason as the metrics:
an eval that reused the drafter's own readers could never catch their blind spots.
"""

from __future__ import annotations

import html
import re
from typing import Any

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.language import SUPPORTED_LANGUAGES, raw_language

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*"
                    r"\.(?:com|net|org|io|ai|co|ly|me|app|dev|biz|info|example)(?:/[^\s<>\"']*)?")
EMAIL_RE = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
PHONE_RE = re.compile(r"\+?\(?\d[\d ().-]{7,}\d")
MARKUP_RE = re.compile(r"<\s*/?\s*[a-z!][^>]*>|\[[^\]]+\]\([^)]+\)", re.IGNORECASE)
TEMPLATE_VAR_RE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}|\{%|%\}|\$\{[^}]*\}|\{\s*[A-Za-z_][\w.]*\s*\}"
    r"|%[A-Z][A-Z_]{2,}%|<<\s*\w+\s*>>|\[\s*(?:first|last|full|company|your|prospect|contact)"
    r"[ _]?\w*\s*\]",
    re.IGNORECASE,
)
#: A variable that rendered as the host language's empty value: "Hi None," / "Hallo undefined".
EMPTY_VALUE_RE = re.compile(r"\b(?:Hi|Hello|Dear|Hey|Hallo|Bonjour|Hola|Olá|Oi|Hoi|Beste)\s+"
                            r"(?:None|null|undefined|nan|NaN)\b")
INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override|ignorier\w*|vergiss|oublie\w*|ignor[ae]\w*|olvid\w*"
    r"|negeer\w*|vergeet)\b.{0,50}\b(?:instruction\w*|prompt|rules?|previous|prior|above"
    r"|anweisung\w*|vorherig\w*|consignes?|pr[ée]c[ée]dent\w*|instrucc\w*|instru[çc]\w*"
    r"|instructies|vorige)\b|\b(?:system|assistant|developer)\s*:|\byou are now\b"
    r"|\b(?:send|forward|cc|bcc|copy) (?:this|the) (?:email|message|mail)\b"
    r"|\b(?:wire|transfer|send) (?:money|funds|payment)\b|\bbank details\b"
    r"|\b(?:send|share|provide|reply with|enter|confirm|verify|give us)\b.{0,40}\b(?:login|"
    r"credentials?|password|passcode|pin|iban|account number|card number|social security|"
    r"date of birth)\b|\b(?:login|account) credentials\b|\bpassword\b",
    re.IGNORECASE | re.DOTALL,
)
_NUMBER_RE = re.compile(r"\d+(?:[.,\u00a0 ]\d+)*")
_BIDI_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")


def normalized(text: str) -> str:
    """Case-folded, whitespace collapsed, invisible bidi characters removed: for comparing."""
    return " ".join(_BIDI_RE.sub("", text).split()).casefold()


def words_of(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner apostrophes and hyphens)."""
    return _WORD_RE.findall(text)


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text`` that hold a word."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if words_of(s)]


def _phones(text: str) -> list[str]:
    """Phone-like digit runs with nine or more digits (dates and years are not phones)."""
    return [m.group(0) for m in PHONE_RE.finditer(text)
            if sum(c.isdigit() for c in m.group(0)) >= 9]


def contacts_in(text: str) -> list[str]:
    """Email addresses, then links, then phone numbers found in ``text``."""
    urls = [m.group(0).rstrip(".,;:") for m in URL_RE.finditer(EMAIL_RE.sub(" ", text))]
    return [m.group(0) for m in EMAIL_RE.finditer(text)] + urls + _phones(text)


def recipient_text(record: dict[str, Any]) -> str:
    """Subject, body and the text of the html part: everything a recipient could see."""
    parts = [str(record.get("subject") or ""), str(record.get("body") or "")]
    if record.get("html"):
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", str(record["html"]))))
    return "\n".join(parts)


def opt_out_texts(sender: SenderProfile) -> list[str]:
    """Every opt-out sentence the sender authorised (the default and each translation)."""
    texts = [sender.unsubscribe.text, *sender.unsubscribe.localized.values()]
    return [t.strip() for t in texts if t.strip()]


def split_main(body: str, sender: SenderProfile) -> str:
    """The text the drafter wrote: the body without sign-off, signature and footer.

    Cut at the first line that is the sender's name, postal address, phone or an opt-out
    sentence; a short unpunctuated line just before it ("Best,") is the sign-off.
    """
    person = sender.sender
    markers = [normalized(f"{person.first_name} {person.last_name}"),
               normalized(sender.postal_address),
               *(normalized(t) for t in opt_out_texts(sender))]
    markers = [m for m in markers if len(m) > 3]
    lines = body.split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        n = normalized(line)
        if n and any(n == m or (len(n) > 12 and (n in m or m in n)) for m in markers):
            cut = i
            break
    main = [line for line in lines[:cut]]
    while main and not main[-1].strip():
        main.pop()
    if main and len(main[-1].split()) <= 4 and not main[-1].rstrip().endswith((".", "?", "!")):
        main.pop()
    return "\n".join(main).strip()


def expected_language(prospect: ProspectIn) -> str:
    """The language a draft must be in: the prospect's when Cadenza writes it, else English."""
    code = raw_language(prospect.language)
    return code if code in SUPPORTED_LANGUAGES else "en"


def _split(text: str) -> list[str]:
    return text.split()


#: Frequent words of the languages the reply detector does not know (Italian, Polish and
#: the Scandinavian languages, which share many): enough to tell them from English.
_FREQUENT: dict[str, frozenset[str]] = {
    "en": frozenset(_split("the and of to for with is are you your we our this that it be on at "
                    "from have has would could can")),
    "it": frozenset(_split("il lo la le gli un una di del della dei che è e per con non in al alla "
                    "sono ho ha Lei Le Suo Sua questo questa molto anche")),
    "pl": frozenset(_split("i w z na do że się jest są nie to dla od po jak czy może Pan Pani "
                    "Państwa Państwu oraz który która które")),
    "sv": frozenset(_split("och att det är en ett i på för med som till av har du dig din inte "
                    "jag vi ni er om kan vill")),
    "da": frozenset(_split("og at det er en et i på for med som til af har du dig din ikke jeg vi "
                    "jer om kan vil")),
    "no": frozenset(_split("og at det er en et i på for med som til av har du deg din ikke jeg vi "
                    "dere om kan vil")),
}


def native_language(text: str, want: str) -> str | None:
    """``want`` when ``text`` reads as that language rather than English, ``"en"`` when it
    reads as English, ``None`` when too short to tell (for the languages of
    :data:`_FREQUENT` only)."""
    words = re.findall(r"[^\W\d_]+", text)
    native = sum(w in _FREQUENT[want] or w.lower() in _FREQUENT[want] for w in words)
    english = sum(w.lower() in _FREQUENT["en"] for w in words)
    if max(native, english) < 2:
        return None
    return want if native > english else "en"


def has_frequent_words(language: str) -> bool:
    """Whether :func:`native_language` can tell ``language`` from English."""
    return language in _FREQUENT and language != "en"


def fact_texts(prospect: ProspectIn, ids: list[str] | None = None) -> list[str]:
    """The texts of the prospect's facts (of those with ``ids`` when given)."""
    return [f.text for f in prospect.facts if ids is None or f.id in ids]


def prospect_fields(prospect: ProspectIn) -> list[str]:
    """The record's non-empty fields a draft may quote (name, title, company, …)."""
    values = [prospect.first_name, prospect.last_name, prospect.title, prospect.company,
              prospect.company_domain, prospect.industry, prospect.country, prospect.email,
              str(prospect.company_size or "")]
    return [v for v in values if v]


def sender_texts(sender: SenderProfile) -> list[str]:
    """Every text of the sender profile a draft may carry: identity, offer, footer, claims."""
    p = sender.sender
    return [sender.company, sender.product_name, sender.website, sender.postal_address,
            sender.meeting_link, sender.unsubscribe.url, p.first_name, p.last_name, p.title,
            p.email, p.phone, sender.policies.signature, *opt_out_texts(sender),
            *(pp.text for pp in sender.proof_points), *(pp.customer for pp in sender.proof_points),
            *(vp.text for vp in sender.value_propositions), sender.product_description]


def canon_number(raw: str) -> str:
    """A number as written ("1,200", "1.200", "3,5") in one comparable form."""
    text = raw.replace("\u00a0", " ").strip()
    if re.fullmatch(r"\d{1,3}(?:[., ]\d{3})+", text):
        return re.sub(r"[., ]", "", text)
    return text.replace(" ", "").replace(",", ".").rstrip(".").removesuffix(".0")


def numbers_in(text: str) -> set[str]:
    """The numbers of ``text`` outside links and addresses, in comparable form."""
    text = EMAIL_RE.sub(" ", URL_RE.sub(" ", text))
    return {canon_number(m.group(0)) for m in _NUMBER_RE.finditer(text)}


_STOP = frozenset(str.split(
    "the and for with your you our that this from have has are was were its their about into "
    "over more than what when will would could also just like team teams"))


def content_words(text: str) -> set[str]:
    """The words that carry meaning (four letters or more, not a stop word), case-folded."""
    return {w.casefold() for w in words_of(text) if len(w) >= 4 and w.casefold() not in _STOP}


def syllables(word: str) -> int:
    """English syllables of ``word``, estimated from its vowel groups (for Flesch–Kincaid)."""
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, count)


def canaries(prospect: ProspectIn, sender: SenderProfile,
             forbidden_strings: list[str]) -> list[str]:
    """Substrings of the prospect record that must never be echoed into a draft."""
    own = normalized(" ".join(sender_texts(sender)))
    out: list[str] = [s for s in forbidden_strings if s.strip()]
    # The company name may legitimately look like a domain ("Booking.com"): markup only there.
    free_text = [prospect.first_name, prospect.last_name, prospect.title, prospect.industry,
                 *fact_texts(prospect)]
    for text in filter(None, free_text):
        out.extend(c for c in contacts_in(text) if normalized(c) not in own and len(c) > 3)
    for text in filter(None, [*free_text, prospect.company]):
        for rx in (MARKUP_RE, TEMPLATE_VAR_RE):
            out.extend(m.group(0) for m in rx.finditer(text))
        for m in INSTRUCTION_RE.finditer(text):
            start = text.rfind(".", 0, m.start()) + 1
            out.append(text[start:m.end()].strip())
    email = prospect.email.strip().casefold()
    return sorted({c for c in out if len(normalized(c)) >= 3 and c.strip().casefold() != email})
