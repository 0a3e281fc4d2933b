"""Detectors for text that must never reach a draft: injections, markup, contact data, secrets.

Prospect records come from enrichment vendors, scraped pages and CSV exports; any field may hold
text written *to* a language model ("ignore previous instructions …") or markup meant for a mail
client. The fact screener, the name cleaner and the draft checker share these detectors so that
what the screener flags is exactly what the checker later refuses to see in a draft.
"""

from __future__ import annotations

import re
import unicodedata

#: Zero-width and bidirectional control characters: invisible, used to smuggle or reorder text.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_SPACES = re.compile(r"\s+")

URL_RE = re.compile(
    r"(?i)\b(?:(?:https?|ftp|file|javascript|data|mailto):[^\s<>\"']+|www\.[^\s<>\"']+"
    r"|[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|io|ai|co|app|dev|biz|info"
    r"|xyz|ly|me|de|fr|es|nl|be|pt|br|it|uk|us|eu|ch|at|se|dk|no|fi|pl|ru|cn|jp|in|au|ca|gg)"
    r"(?:/[^\s<>\"']*)?)(?![\w-])"
)
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
_INSTRUCTION_RE = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS),
                             re.IGNORECASE | re.DOTALL)


def strip_invisible(text: str) -> str:
    """NFC-normalise, drop zero-width/bidi controls and other control characters."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return "".join(ch if (ch in "\n\t" or unicodedata.category(ch)[0] != "C") else " "
                   for ch in text)


def clean_line(text: str | None) -> str:
    """One-line text as a person would type it: no invisible characters, single spaces."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_invisible(text)).strip()


def injection_spans(text: str) -> list[str]:
    """Substrings of ``text`` that are instructions to a model, template syntax or markup."""
    spans: list[str] = []
    for rx in (_INSTRUCTION_RE, TEMPLATE_RE, HTML_TAG_RE):
        spans.extend(m.group(0) for m in rx.finditer(text))
    return [s for s in spans if s.strip()]


def has_instruction(text: str) -> bool:
    """Whether ``text`` talks to a model (in any of the supported languages)."""
    return bool(_INSTRUCTION_RE.search(text))


def has_markup(text: str) -> bool:
    """Template syntax or HTML: never legitimate inside a research fact or a name."""
    return bool(TEMPLATE_RE.search(text) or HTML_TAG_RE.search(text) or "<" in text
                or ">" in text)


def contact_spans(text: str) -> list[str]:
    """URLs, email addresses and phone numbers found in ``text``."""
    spans = [m.group(0) for m in EMAIL_RE.finditer(text)]
    without_emails = EMAIL_RE.sub(" ", text)
    spans += [m.group(0).rstrip(".,;:)") for m in URL_RE.finditer(without_emails)]
    spans += [m.group(0).strip() for m in PHONE_RE.finditer(without_emails)
              if looks_like_phone(m.group(0))]
    return spans


def looks_like_phone(candidate: str) -> bool:
    # Date ranges ("2024-2026") and ISO dates have eight digits; phone numbers have nine or
    # more, or start with an international prefix.
    digits = sum(c.isdigit() for c in candidate)
    return digits >= 9 or (candidate.lstrip().startswith("+") and digits >= 7)


def safe_field(value: str | None, *, max_len: int = 80) -> str | None:
    """A prospect field (company, title, industry) fit to print, or ``None``.

    Anything that carries an instruction, markup, a link or contact data is refused whole:
    a field is short, so there is no "safe remainder" worth keeping.
    """
    text = clean_line(value)
    if not text or len(text) > max_len:
        return None
    if has_instruction(text) or has_markup(text) or contact_spans(text):
        return None
    if not any(ch.isalnum() for ch in text):
        return None
    return text
