"""Detectors for text that must never reach a draft: injections, markup, contact data, secrets.

Prospect records come from enrichment vendors, scraped pages and CSV exports; any field may hold
text written *to* a language model ("ignore previous instructions …") or markup meant for a mail
client. The fact screener, the name cleaner and the draft checker share these detectors so that
what the screener flags is exactly what the checker later refuses to see in a draft.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Zero-width and bidirectional control characters: invisible, used to smuggle or reorder text.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_SPACES = re.compile(r"\s+")

EMAIL_RE = re.compile(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
# Eight or more digits with phone punctuation between them; short numbers ($42M, 2026) are facts.
PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\d\s().\-/]{6,}\d)(?!\w|\.\d)")
HTML_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|<\s*/?\s*(?:script|img|iframe|a|svg)\b",
                         re.IGNORECASE)
TEMPLATE_RE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\}\}|\{%|%\}|\$\{[^}]*\}|\{\s*[A-Za-z_][\w.\s]*\}"
    r"|\[\s*(?:first|last|full|company|your|contact|prospect)[ _]?\w*\s*\]"
    r"|%[A-Z_]{3,}%|<<\s*\w+\s*>>",
    re.IGNORECASE,
)
_INSTRUCTION_PATTERNS = (
    # English
    r"\bignore\b.{0,40}\b(?:instruction|prompt|rule|above|previous|prior|earlier|everything)",
    r"\bdisregard\b", r"\bforget\b.{0,30}\b(?:instruction|prompt|rule|everything|previous)",
    r"\boverride\b.{0,30}\b(?:instruction|rule|prompt|system)",
    r"\b(?:system|assistant|developer|user)\s*(?:prompt|message)?\s*:",
    r"\byou are (?:now|an?|the)\b.{0,40}\b(?:assistant|ai|model|bot|gpt|llm|dan)\b",
    r"\b(?:new|updated|additional|hidden) instructions?\b", r"\binstructions? (?:to|for) (?:the )?"
    r"(?:ai|model|assistant|llm|bot|writer)\b",
    r"\b(?:as an? )?(?:ai|language model|llm|chatgpt|gpt-?\d|claude)\b.{0,30}\b(?:must|should|"
    r"will|write|include|say|mention|add|reply)",
    r"\b(?:write|say|tell|include|mention|add|insert|append|output|print|respond|reply)\b.{0,40}"
    r"\b(?:in (?:the|your) (?:email|message|draft|reply|response|subject)|to the (?:reader|"
    r"recipient))",
    r"\bprompt injection\b", r"\bjailbreak", r"<\|[a-z_]+\|>", r"\[/?inst\]", r"###\s*\w",
    r"\bbegin (?:system|instructions?)\b", r"\bdo anything now\b",
    r"\b(?:wire|transfer|send) (?:money|funds|payment|bitcoin|crypto)\b",
    r"\bclick (?:here|this|the link)\b",
    # German, French, Spanish, Portuguese, Dutch, Italian
    r"\bignorier\w*\b.{0,40}\b(?:anweisung|vorherig|bisherig|oben|alles)",
    r"\bvergiss\b.{0,40}\b(?:anweisung|alles|vorherig)", r"\banweisungen?\s*:",
    r"\bignore[rz]?\b.{0,40}\b(?:instructions?|consignes?|pr[ée]c[ée]dent)",
    r"\boublie[rz]?\b.{0,30}\b(?:instructions?|consignes?|tout)",
    r"\bignor[ae]\w*\b.{0,40}\b(?:instrucciones|instru[çc][õo]es|anteriores|istruzioni)",
    r"\bolvid[ae]\w*\b.{0,30}\binstrucciones", r"\besque[çc]a\b.{0,30}\binstru[çc][õo]es",
    r"\bnegeer\w*\b.{0,40}\b(?:instructies|vorige|eerdere|alles)",
    r"\bvergeet\b.{0,30}\b(?:instructies|alles)",
)
#: Where an instruction pattern can start: each starts with ``\b`` before a letter, or with
#: "<", "[" or "#". Checking that first spares the engine trying every pattern at every
#: character (2.5x faster; the matches are the same).
_INSTRUCTION_START = r"(?=[<\[#]|\b\w)"
_INSTRUCTION_RE = re.compile(
    _INSTRUCTION_START + "(?:" + "|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS) + ")",
    re.IGNORECASE | re.DOTALL)
#: The control characters of ASCII (Unicode category Cc) but tab and newline, each to a space.
_ASCII_CONTROLS = {c: " " for c in (*range(0x20), 0x7F) if chr(c) not in "\n\t"}


def strip_invisible(text: str) -> str:
    """NFC-normalise, drop zero-width/bidi controls and other control characters."""
    if text.isascii():
        # ASCII is already NFC, holds no invisible character, and its only category-C
        # characters are the controls: the same result as below, without a pass per character
        return text.translate(_ASCII_CONTROLS)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return "".join(ch if (ch in "\n\t" or unicodedata.category(ch)[0] != "C") else " "
                   for ch in text)


def clean_line(text: str | None) -> str:
    """One-line text as a person would type it: no invisible characters, single spaces."""
    if not text:
        return ""
    return _clean_line(text)


@lru_cache(maxsize=4096)
def _clean_line(text: str) -> str:
    # the sender's profile is cleaned for every touch: remember the last few thousand lines
    return _SPACES.sub(" ", strip_invisible(text)).strip()


#: Cyrillic and Greek letters drawn like Latin ones: "Іgnore previous instructions" with a
#: Cyrillic І reads the same to a model and to a person, so it is searched for as Latin.
_CONFUSABLES = str.maketrans(
    "АВЕКМНОРСТХІЈЅаеорсухіјѕԁӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαρνιϳ",
    "ABEKMHOPCTXIJSaeopcyxijsdlABEZHIKMNOPTYXoapvij")
#: A long run of Base64 or hex: encoded text a person cannot read and a model may decode.
_OPAQUE = re.compile(r"(?<![\w+/=])(?:[A-Za-z0-9+/]{24,}={0,2}|[0-9a-fA-F]{32,})(?![\w+/=])")


def latin_skeleton(text: str) -> str:
    """``text`` with look-alike Cyrillic/Greek letters as their Latin twins (same length)."""
    return text if text.isascii() else text.translate(_CONFUSABLES)


def opaque_spans(text: str) -> list[str]:
    """Encoded blobs (Base64, hex): a mix of letters and digits no one writes in prose."""
    return [m.group(0) for m in _OPAQUE.finditer(text)
            if any(c.isdigit() for c in m.group(0)) and any(c.isalpha() for c in m.group(0))]


def mixed_script(text: str) -> bool:
    """Whether a word mixes Latin letters with Cyrillic or Greek ones ("Аcme" with a
    Cyrillic А): a spoof, since real names and words keep to one script."""
    if text.isascii():
        return False
    for word in text.split():
        scripts = {unicodedata.name(ch, "").split(" ", 1)[0] for ch in word if ch.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return True
    return False


def injection_spans(text: str) -> list[str]:
    """Substrings of ``text`` that are instructions to a model (also written with look-alike
    letters), template syntax, markup or encoded blobs."""
    spans: list[str] = []
    skeleton = latin_skeleton(text)
    spans.extend(text[m.start():m.end()] for m in _INSTRUCTION_RE.finditer(skeleton))
    for rx in (TEMPLATE_RE, HTML_TAG_RE):
        spans.extend(m.group(0) for m in rx.finditer(text))
    spans.extend(opaque_spans(text))
    return [s for s in spans if s.strip()]


def has_instruction(text: str) -> bool:
    """Whether ``text`` talks to a model (in any of the supported languages), also when it is
    spelled with look-alike letters."""
    return bool(_INSTRUCTION_RE.search(latin_skeleton(text)))


def has_markup(text: str) -> bool:
    """Template syntax or HTML: never legitimate inside a research fact or a name."""
    return bool(TEMPLATE_RE.search(text) or HTML_TAG_RE.search(text) or "<" in text
                or ">" in text)


def emails(text: str) -> list[str]:
    """``EMAIL_RE.findall(text)``, at once when ``text`` has no "@"."""
    return EMAIL_RE.findall(text) if "@" in text else []


def without_emails(text: str) -> str:
    """``text`` with every email address replaced by a space (URLs and phones are found in
    what remains, so that an address's domain is not also reported as a link)."""
    return EMAIL_RE.sub(" ", text) if "@" in text else text


def looks_like_phone(candidate: str) -> bool:
    # Date ranges ("2024-2026") and ISO dates have eight digits; phone numbers have nine or
    # more, or start with an international prefix.
    digits = sum(c.isdigit() for c in candidate)
    return digits >= 9 or (candidate.lstrip().startswith("+") and digits >= 7)


def breaks_line(value: str) -> bool:
    """A line break inside a one-line value (a name, a company): a header injection
    ("Acme\r\nBcc: …"), never part of a name."""
    inner = value.strip()
    return "\n" in inner or "\r" in inner
