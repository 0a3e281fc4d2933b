"""Research facts: which are safe to mention, which are worth mentioning, and how to say them.

An SDR opening with a prospect's layoffs, lawsuit or bereavement loses the deal and the brand;
a fact that gives the model instructions, speaks to its reader, asks for credentials, money or
personal data, or carries markup was written for the model, not about the prospect: an attack,
not research. So every fact passes a screen (sensitive topics, injections, markup, requests,
orders, contact data) before ranking, and what the screen flags is handed to the checker so
that it can never surface in a draft.
The phrase derived for a sentence is conservative: the fact's own first clause, never a rewrite.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cadenza.prospects import FactIn, ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.asks import has_markdown, promises, requests, speaks_to_reader
from cadenza.writing.fact_screens import conflicting, screen_reason
from cadenza.writing.language import detect_language
from cadenza.writing.links import contact_spans
from cadenza.writing.names import clean_name
from cadenza.writing.safety import clean_line, injection_spans, mixed_script
from cadenza.writing.sensitive import absence_terms, grave_terms, sensitive_terms
from cadenza.writing.sensitive_model import model_says_sensitive


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

#: How much a kind of fact is worth as an opener (a trigger event beats a tool list).
KIND_WEIGHT: dict[str, float] = {
    "funding": 1.0, "product_launch": 0.95, "hiring": 0.9, "role_change": 0.9,
    "post": 0.75, "news": 0.7, "pain_point": 0.55, "tech_stack": 0.45,
}
STALE_AFTER_DAYS = 730
MAX_FACT_WORDS = 28
MAX_PHRASE_WORDS = 20

_STOP = frozenset(
    _words(
        "the and for with that this from your our their have has into about more less than when "
        "will what which while over they them were been also just such each very most other"
    )
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ABBREVIATIONS = _words(
    "inc ltd co corp st dr mr ms mrs vs jr sr no nr mio mrd tsd ca bzw approx dept prof gov "
    "av ave blvd mt ft sq e.g i.e etc u.s u.k n.v b.v s.a p.m a.m est"
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s+\S|$)")


def _first_sentence(text: str) -> str:
    """Up to the first real sentence end (not "Inc.", "Mio.", "U.S.", "4.5", an initial)."""
    for m in _SENTENCE_END.finditer(text):
        before = text[: m.start()].split()
        word = before[-1].lower() if before else ""
        after = text[m.end():].lstrip()
        if word in _ABBREVIATIONS or len(word) == 1 or (after and not after[0].isupper()):
            continue
        return text[: m.start()]
    return text


_CLAUSE_BREAKS = (";", " — ", " – ", " - ", ": ", " (", ", which", ", while", ", but",
                  ", and", ", after", ", with", ", as ")


@dataclass(frozen=True)
class RankedFact:
    """A screened fact, its score, and a clause to put in a sentence.

    ``fact`` is the fact with its text cleaned (invisible characters, contact data removed) and
    truncated at a natural clause; ``phrase`` is that clause; ``clause_en`` is the phrase as an
    English independent clause ("Acme is hiring 12 engineers"), or ``None`` when the text is not
    shaped so that a clause can be built without changing its meaning.
    """

    fact: FactIn
    score: float
    phrase: str
    clause_en: str | None = None
    language: str | None = None
    sanitized: bool = False
    mentions_prospect: bool = False
    recent: bool = False


@dataclass
class FactScreen:
    """What the screen kept, what it dropped (fact id → reason) and the strings it flagged."""

    kept: list[FactIn] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)
    flagged: list[str] = field(default_factory=list)
    sanitized: set[str] = field(default_factory=set)
    #: Facts that touch a sensitive or private topic, whatever else dropped them.
    sensitive: set[str] = field(default_factory=set)
    #: Facts saying the prospect is away on sick, parental or bereavement leave.
    away: set[str] = field(default_factory=set)
    #: Sensitive facts of the last :data:`GRAVE_DAYS` telling of a death or a grave illness
    #: in the prospect's own post, or naming them.
    grave: set[str] = field(default_factory=set)

    @property
    def dominated_by_sensitive(self) -> bool:
        """The prospect is on leave (any usable fact beside it notwithstanding: a sequence to
        someone on sick or parental leave is not sent), or told lately of a death or a grave
        illness (a sequence days after a post about a father's death reads as if no one
        looked), or two or more facts touch a
        sensitive or private topic, more than twice as many as are left to use — a tool list
        not counted, since no sequence is written from it ("would feel like surveillance",
        the writers): such a record is a person's to read, not a sequence's to mine (one
        usable fact beside two sensitive ones is still a sequence, written from it)."""
        usable = [f for f in self.kept if f.kind != "tech_stack"]
        return bool(self.away) or bool(self.grave) or (len(self.sensitive) >= 2
                                   and len(self.sensitive) > 2 * len(usable))


_WORD_CHAR = re.compile(r"\w")
#: Drop reasons that mean the fact was written for the model, not about the prospect: its text
#: is flagged, so that the checker holds a draft that repeats it (an LLM may have read it).
_HOSTILE = frozenset({"injection", "markup", "request", "addresses_reader"})


def mentions_word(needle: str, text: str) -> bool:
    r"""Whether ``needle`` occurs in ``text`` with no word character on either side.

    The same as ``re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)``, without compiling a
    regex for every prospect name (which also evicted the module's other cached patterns).
    """
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        if not (start and _WORD_CHAR.match(text, start - 1)) and not _WORD_CHAR.match(text, end):
            return True
        start = text.find(needle, start + 1)
    return False


#: How long a death or grave illness the record tells of puts the sequence in a person's hands.
GRAVE_DAYS = 90


def _recent(fact: FactIn, today: dt.date, days: int) -> bool:
    """Whether ``fact`` is dated within ``days`` before ``today`` (an undated fact is taken as
    recent: the record gives no reason to think the event is past)."""
    if fact.date is None:
        return True
    return (today - fact.date).days <= days


def _about_prospect(fact: FactIn, text: str, prospect: ProspectIn) -> bool:
    """Whether ``fact`` is the prospect's own post or names them ("Hélène Marchal, en arrêt
    maladie"): another person's leave is not the prospect's."""
    if fact.kind in ("post", "pain_point"):
        return True
    lowered = text.lower()
    return any(mentions_word(n.lower(), lowered) for n in (prospect.last_name,) if n and
               len(n) > 1)


def screen_facts(prospect: ProspectIn, *, today: dt.date,
                 competitors: tuple[str, ...] | list[str] = ()) -> FactScreen:
    """Split a prospect's facts into safe ones and dropped ones, flagging injected text.

    A fact naming one of the sender's ``competitors`` is dropped: the name may never be
    written, and a sentence with the name cut out would misquote the fact. The drafter, the
    checker and the revision loop each ask for the same prospect's screen several times per
    touch, so the last few are remembered (the result is shared: read it, do not change it).
    """
    return _screen(prospect.model_dump_json(), today, tuple(competitors))


@lru_cache(maxsize=64)
def _screen(prospect_json: str, today: dt.date, competitors: tuple[str, ...]) -> FactScreen:
    return _screen_facts(ProspectIn.model_validate_json(prospect_json), today=today,
                         competitors=competitors)


def _screen_facts(prospect: ProspectIn, *, today: dt.date,
                  competitors: tuple[str, ...]) -> FactScreen:
    screen = FactScreen()
    rivals = [c.strip().lower() for c in competitors if c.strip()]
    seen_ids: set[str] = set()
    for fact in prospect.facts:
        raw = fact.text or ""
        text = clean_line(raw)
        reason = _drop_reason(fact, text, today=today, seen_ids=seen_ids)
        if reason == "addresses_reader":
            # a job ad quoted inside a fact speaks to applicants ("You'll manage …"): the
            # words before the quote may stand, the quote is flagged and never used
            head, quoted = _before_quote(text)
            if quoted and _drop_reason(fact, head, today=today, seen_ids=seen_ids) is None:
                screen.flagged.append(quoted)
                screen.sanitized.add(fact.id)
                text, reason = head, None
        if sensitive_fact(text, fact.kind or ""):
            screen.sensitive.add(fact.id)
        if absence_terms(text) and _about_prospect(fact, text, prospect):
            screen.away.add(fact.id)
        if fact.id in screen.sensitive and _recent(fact, today, GRAVE_DAYS) \
                and grave_terms(text) and _about_prospect(fact, text, prospect):
            screen.grave.add(fact.id)
        seen_ids.add(fact.id)
        lowered = text.lower()
        if reason is None and any(mentions_word(c, lowered) for c in rivals):
            reason = "competitor"
        if reason is None:
            reason = screen_reason(fact.model_copy(update={"text": text}), prospect)
        if reason is None and fact.id in screen.sensitive:
            reason = "sensitive"  # the model's reading, after the lists and the other screens
        if reason is not None:
            screen.dropped[fact.id] = reason
            if reason in _HOSTILE:
                screen.flagged.extend(injection_spans(text) or [text])
                screen.flagged.append(text)
            continue
        contacts = contact_spans(text)
        if contacts:
            screen.flagged.extend(contacts)
            remainder = _before_first(text, contacts)
            if len(remainder.split()) < 5:
                screen.dropped[fact.id] = "contact_data"
                continue
            text = remainder
            screen.sanitized.add(fact.id)
        screen.kept.append(fact.model_copy(update={"text": text}))
    for fact_id in conflicting(screen.kept):
        screen.dropped[fact_id] = "conflicting_numbers"
    screen.kept = [f for f in screen.kept if f.id not in screen.dropped]
    return screen


_QUOTE_START = re.compile(r"[\"“„«]")


def _before_quote(text: str) -> tuple[str, str]:
    """The words before a quotation (without a dangling ":" or dash) and the quoted rest;
    ``("", "")`` when there is no quote or too little before it."""
    m = _QUOTE_START.search(text)
    if not m:
        return "", ""
    head = re.sub(r"[\s:;,.–—-]+$", "", text[:m.start()]).strip()
    return (head, text[m.start():].strip()) if len(head.split()) >= 3 else ("", "")


def _drop_reason(fact: FactIn, text: str, *, today: dt.date, seen_ids: set[str]) -> str | None:
    if not fact.id.strip() or fact.id in seen_ids:
        return "bad_id"
    if len(text.split()) < 2:
        return "empty"
    # injection_spans finds every match of the instruction patterns, so when it finds none,
    # has_instruction would not either (it is the same search)
    if injection_spans(text) or "<" in text or ">" in text or mixed_script(text):
        return "injection"
    if has_markdown(text):
        return "markup"
    if requests(text) or promises(text):
        return "request"
    if speaks_to_reader(text):
        return "addresses_reader"
    if sensitive_terms(text):
        return "sensitive"
    if fact.date is not None and (today - fact.date).days > STALE_AFTER_DAYS:
        return "stale"
    return None


def sensitive_fact(text: str, kind: str) -> bool:
    """Whether a fact of ``kind`` touches a sensitive or private topic: the word lists
    (:func:`cadenza.writing.sensitive.sensitive_terms`) or the model trained on independent
    writers' facts (:mod:`cadenza.writing.sensitive_model`) say so; either alone is enough."""
    return bool(sensitive_terms(text)) or model_says_sensitive(text, kind)


def _before_first(text: str, spans: list[str]) -> str:
    """The text before the first contact span, without a dangling "at"/"to"/":" at its end."""
    cut = min(text.find(s) for s in spans if s in text) if any(s in text for s in spans) else 0
    head = text[:cut]
    for _ in range(3):
        head = re.sub(r"(?:\b(?:at|to|via|on|see|visit|call|email|contact|here|or|and|in|"
                      r"under|from|apply|the|a|an)\b|[\[\]():,;\-–—])\s*$", "", head.strip(),
                      flags=re.IGNORECASE).strip()
    return head


def first_clause(text: str, max_words: int = MAX_FACT_WORDS) -> str | None:
    """The first sentence of ``text``, cut at a clause boundary if long; ``None`` if no cut fits.

    Cutting mid-clause can change a fact's meaning ("expanded into France and closed …"), so a
    text with no natural boundary within ``max_words`` is not quoted at all.
    """
    text = text.strip()
    sentence = _first_sentence(text).strip().rstrip(".!?;:,")
    for strong in (";", " — ", " – ", " | "):  # a new thought starts there: never run on
        head = sentence.split(strong, 1)[0].strip()
        if len(head.split()) >= 3:
            sentence = head
    if len(sentence.split()) <= max_words:
        return sentence or None
    for brk in _CLAUSE_BREAKS:
        head = sentence.split(brk, 1)[0].strip().rstrip(",;:")
        if 3 <= len(head.split()) <= max_words and head != sentence:
            return head
    return None


_GERUND = re.compile(r"^[A-Za-z]+ing$")
_PAST = frozenset(
    _words(
        "raised closed launched announced opened hired joined started moved expanded acquired "
        "released introduced shipped published posted wrote shared spoke presented won secured "
        "completed signed partnered became was named appointed promoted migrated adopted rolled "
        "unveiled debuted entered reached crossed doubled tripled grew added built chose switched "
        "received landed earned celebrated hosted kicked took went uses runs plans works operates "
        "serves ships builds sells offers relies"
    )
)
_FINITE = frozenset(
    _words(
        "is are was were has have had will raised closed launched announced opened hired joined "
        "started moved expanded acquired released introduced shipped published posted wrote "
        "shared secured signed partnered became appointed promoted named plans plans migrated "
        "adopted uses runs grew added reached unveiled completed won"
    )
)
_LOWER_STARTS = frozenset({"the", "a", "an", "its", "their", "his", "her", "new"})


def _second_person(phrase: str, names: list[str]) -> str | None:
    """"Marcus wrote that his team …" → "you wrote that your team …"; ``None`` if unsure."""
    for name in sorted(names, key=len, reverse=True):
        if phrase.startswith(name + " "):
            rest = phrase[len(name) + 1:]
            rest = re.sub(r"^was\b", "were", rest)
            rest = re.sub(r"\b(?:his|her)\b", "your", rest)
            rest = re.sub(r"\b(?:he|she) (is|was)\b",
                          lambda m: "you are" if m.group(1) == "is" else "you were", rest)
            if re.search(r"\b(?:he|she|him|his|her|hers)\b", rest, re.IGNORECASE):
                return None
            if any(n in rest for n in names):
                return None
            return "you " + rest
    return None


def english_clause(phrase: str, *, kind: str, company: str | None,
                   names: list[str] | None = None) -> str | None:
    """``phrase`` as a clause that completes "I saw that …", or ``None`` if that needs guessing."""
    names = [n for n in (names or []) if n]
    if names and any(mentions_word(n, phrase) for n in names):
        return _second_person(phrase, names)
    words = phrase.split()
    if not words or "?" in phrase or "\"" in phrase or "“" in phrase:
        return None
    first = words[0]
    lowered_first = first.lower()
    personal = kind in ("post", "role_change")
    subject = "you" if personal else (company or "your team")
    if lowered_first in {"we", "i", "our", "my", "us"}:
        return None  # a quote from a post: not ours to restate
    if lowered_first in {"recently", "just"} and len(words) > 1:
        rest = english_clause(" ".join(words[1:]), kind=kind, company=company)
        return rest
    # "Hiring 12 engineers" opens with a gerund; "Kitewing is hiring …" or "Sterling raised …"
    # open with a name that merely ends in -ing: a finite verb after it, or the company's own
    # first word, says so
    names_subject = (len(words) > 1 and words[1].lower() in _FINITE) or bool(
        company and company.split() and company.split()[0].lower() == lowered_first)
    if (_GERUND.match(first) and not names_subject
            and lowered_first not in {"king", "thing", "spring", "ring"}):
        verb = "are" if subject == "you" else "is"
        return f"{subject} {verb} {lowered_first} {' '.join(words[1:])}".strip()
    if lowered_first in _PAST:
        return f"{subject} {lowered_first} {' '.join(words[1:])}".strip()
    if any(w.lower() in _FINITE for w in words[1:9]):
        if lowered_first in _LOWER_STARTS:
            return lowered_first + phrase[len(first):]
        return phrase
    return None


@lru_cache(maxsize=256)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:6] for w in _WORD.findall(text)
                     if len(w) > 3 and w.lower() not in _STOP)


def _recency(date: dt.date | None, today: dt.date) -> float:
    if date is None:
        return 0.4
    age = (today - date).days
    if age < -7:
        return 0.3  # announced for the future, or a wrong date: do not lead with it
    return max(0.0, 1.0 - max(age, 0) / 365.0)


def rank_facts(prospect: ProspectIn, sender: SenderProfile, *, today: dt.date,
               screen: FactScreen | None = None) -> list[RankedFact]:
    """Safe facts, best first (recency, kind, relevance to the sender's value propositions)."""
    screen = screen or screen_facts(prospect, today=today, competitors=sender.competitors)
    names = _prospect_names(prospect)
    # the same for every touch of a sender: _content_words remembers it
    pitch = _content_words(" ".join([sender.product_description]
                                    + [vp.text for vp in sender.value_propositions]))
    company = clean_line(prospect.company) or None
    ranked: list[RankedFact] = []
    for fact in screen.kept:
        phrase = first_clause(fact.text) or ""
        usable = bool(phrase) and len(phrase.split()) <= MAX_PHRASE_WORDS
        words = _content_words(fact.text)
        relevance = min(1.0, len(words & pitch) / 3.0) if pitch else 0.0
        score = (0.45 * KIND_WEIGHT.get(fact.kind, 0.5) + 0.35 * _recency(fact.date, today)
                 + 0.2 * relevance)
        clause = (english_clause(phrase, kind=fact.kind, company=company, names=names)
                  if usable else None)
        mentions = any(mentions_word(n, fact.text) for n in names)
        ranked.append(RankedFact(
            fact=fact,
            score=round(score, 4), phrase=phrase, clause_en=clause,
            language=detect_language(phrase), sanitized=fact.id in screen.sanitized,
            mentions_prospect=mentions,
            recent=fact.date is not None and 0 <= (today - fact.date).days <= 120,
        ))
    ranked.sort(key=lambda r: (-r.score, r.fact.id))
    return ranked


def _prospect_names(prospect: ProspectIn) -> list[str]:
    first = clean_name(prospect.first_name, kind="first")
    last = clean_name(prospect.last_name, kind="last")
    names = [n for n in (first, last) if n]
    if first and last:
        names.append(f"{first} {last}")
    return names
