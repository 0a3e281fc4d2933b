"""Research facts: which are safe to mention, which are worth mentioning, and how to say them.

An SDR opening with a prospect's layoffs, lawsuit or bereavement loses the deal and the brand;
a fact that carries an instruction to the model is an attack, not research. So every fact passes
a screen (sensitive topics in six languages, injections, markup, contact data) before ranking,
and what the screen flags is handed to the checker so that it can never surface in a draft.
The phrase derived for a sentence is conservative: the fact's own first clause, never a rewrite.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cadenza.prospects import FactIn, ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.language import detect_language
from cadenza.writing.names import clean_name
from cadenza.writing.safety import clean_line, contact_spans, injection_spans, mixed_script


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

#: Word-start stems (regex) of topics an SDR must not bring up, per language.
SENSITIVE_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (r"lay-?offs?", r"laid off", r"lay(?:ing)? off", r"redundanc", r"made redundant",
           r"job cuts", r"cut(?:s|ting)? (?:\d+ )?jobs", r"downsiz", r"furlough", r"restructur",
           r"workforce reduction", r"headcount reduction", r"lawsuit", r"sued\b", r"suing\b",
           r"litigat", r"class action", r"indict", r"arrest", r"jail", r"prison", r"convicted",
           r"fraud", r"scandal", r"bankrupt", r"chapter 11", r"insolven", r"liquidation",
           r"receivership", r"died\b", r"passed away", r"death", r"dead\b", r"funeral",
           r"bereave", r"obituar", r"condolence", r"mourn", r"illness", r"ill\b", r"sick",
           r"cancer", r"chemo", r"diagnos", r"hospitali[sz]", r"medical leave", r"sick leave",
           r"health (?:issue|problem|reason|scare|crisis)", r"mental health", r"surgery",
           r"divorc", r"pregnan", r"miscarriage", r"data breach", r"breach", r"hacked",
           r"ransomware", r"cyber-?attack", r"investigat", r"subpoena", r"misconduct",
           r"harass", r"discriminat", r"resign(?:ed|ation) (?:amid|after|over)", r"fired\b",
           r"recall(?:ed|s)? (?:of|after)", r"fine[ds]? (?:by|of)", r"penalt", r"treatment",
           r"heart (?:condition|attack|surgery)", r"stroke\b", r"recover(?:ing|y) from",
           r"back at work after", r"rehab", r"therapy", r"disease", r"terminal", r"widow",
           r"custody", r"drunk", r"dui\b", r"police", r"sentenced", r"accident"),
    "de": (r"entlass", r"stellenabbau", r"kündigung", r"kurzarbeit", r"insolven", r"pleite",
           r"konkurs", r"klage", r"verklagt", r"rechtsstreit", r"gerichtsverfahren",
           r"festgenommen", r"verhaftet", r"betrug", r"skandal", r"gestorben", r"verstorben",
           r"tod\b", r"todes", r"beerdigung", r"trauer", r"beileid", r"krank", r"krebs",
           r"diagnose", r"scheidung", r"geschieden", r"schwanger", r"datenleck", r"hackerangriff",
           r"ermittlung", r"abfindung", r"sozialplan", r"umstrukturierung"),
    "fr": (r"licenci", r"suppressions? de postes?", r"plan social", r"chômage partiel",
           r"faillite", r"redressement judiciaire", r"liquidation", r"procès", r"poursuit",
           r"plainte", r"tribunal", r"arrêté", r"arrestation", r"fraude", r"scandale", r"décè",
           r"décéd", r"mort\b", r"funérailles", r"obsèques", r"deuil", r"condoléances",
           r"maladie", r"malade", r"cancer", r"divorc", r"enceinte", r"piratage", r"enquête"),
    "es": (r"despid", r"despido", r"\bere\b", r"recorte de (?:plantilla|personal|empleo)",
           r"quiebra", r"concurso de acreedores", r"demanda judicial", r"demandad", r"juicio",
           r"tribunal", r"detenid", r"arrestad", r"fraude", r"escándalo", r"falleci", r"muert",
           r"funeral", r"luto", r"pésame", r"enfermedad", r"enferm", r"cáncer", r"divorci",
           r"embarazada", r"hackeo", r"investigación judicial"),
    "pt": (r"demiss", r"demitid", r"cortes? de (?:pessoal|empregos|vagas)", r"falência",
           r"recuperação judicial", r"processo judicial", r"processad", r"tribunal", r"pres[oa]\b",
           r"prisão", r"fraude", r"escândalo", r"faleceu", r"falecimento", r"morte", r"funeral",
           r"luto", r"doença", r"doente", r"câncer", r"cancro", r"divórcio", r"grávida"),
    "nl": (r"ontslag", r"ontslagen", r"reorganisatie", r"faillissement", r"failliet",
           r"rechtszaak", r"aangeklaagd", r"rechtbank", r"gearresteerd", r"fraude", r"schandaal",
           r"overleden", r"overlijden", r"begrafenis", r"rouw", r"condoleance", r"ziek",
           r"kanker", r"echtscheiding", r"gescheiden", r"zwanger", r"datalek"),
}


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and character class."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":  # "[]…]" and "[^]…]": a literal "]" first
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def _alternation_by_first_letter(patterns: list[str]) -> str | None:
    """``patterns`` (each preceded by "not after a word character") as one alternation grouped
    by first letter: ``l(?:ay-?offs?|aid off|…)|r(?:edundanc|…)|…``.

    The regex engine then tries one group per word instead of every pattern, and matches
    exactly the same text: inside a group the patterns keep their order, and patterns with
    different first letters can never match at the same place. ``None`` when a pattern is not
    shaped so that this holds (a first letter with a quantifier, a top-level ``|``).
    """
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        # after "not after a word character", a \b before a letter always holds
        body = pattern.removeprefix("\\b")
        if (len(body) < 2 or not ("a" <= body[0] <= "z") or body[1] in "?*+{|"
                or _top_level_bar(body)):
            return None
        groups.setdefault(body[0], []).append(body[1:])
    return "|".join(f"{letter}(?:{'|'.join(rests)})" for letter, rests in groups.items())


_SENSITIVE_ALTERNATIVES = [p for ps in SENSITIVE_PATTERNS.values() for p in ps]
# one lookbehind around the whole alternation: 10x faster than one per alternative, and the
# alternatives grouped by first letter: 5x faster again
_SENSITIVE_RE = re.compile(
    r"(?<!\w)(?:" + (_alternation_by_first_letter(_SENSITIVE_ALTERNATIVES)
                     or "|".join(_SENSITIVE_ALTERNATIVES)) + ")",
    re.IGNORECASE,
)

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


_WORD_CHAR = re.compile(r"\w")


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


def sensitive_terms(text: str) -> list[str]:
    """Sensitive-topic words found in ``text`` (any of the six languages)."""
    return [m.group(0) for m in _SENSITIVE_RE.finditer(text)]


def screen_facts(prospect: ProspectIn, *, today: dt.date,
                 competitors: tuple[str, ...] | list[str] = ()) -> FactScreen:
    """Split a prospect's facts into safe ones and dropped ones, flagging injected text.

    A fact naming one of the sender's ``competitors`` is dropped: the name may never be
    written, and a sentence with the name cut out would misquote the fact.
    """
    screen = FactScreen()
    rivals = [c.strip().lower() for c in competitors if c.strip()]
    seen_ids: set[str] = set()
    for fact in prospect.facts:
        raw = fact.text or ""
        text = clean_line(raw)
        reason = _drop_reason(fact, text, today=today, seen_ids=seen_ids)
        seen_ids.add(fact.id)
        lowered = text.lower()
        if reason is None and any(mentions_word(c, lowered) for c in rivals):
            reason = "competitor"
        if reason is not None:
            screen.dropped[fact.id] = reason
            if reason == "injection":
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
    return screen


def _drop_reason(fact: FactIn, text: str, *, today: dt.date, seen_ids: set[str]) -> str | None:
    if not fact.id.strip() or fact.id in seen_ids:
        return "bad_id"
    if len(text.split()) < 2:
        return "empty"
    # injection_spans finds every match of the instruction patterns, so when it finds none,
    # has_instruction would not either (it is the same search)
    if injection_spans(text) or "<" in text or ">" in text or mixed_script(text):
        return "injection"
    if sensitive_terms(text):
        return "sensitive"
    if fact.date is not None and (today - fact.date).days > STALE_AFTER_DAYS:
        return "stale"
    return None


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
