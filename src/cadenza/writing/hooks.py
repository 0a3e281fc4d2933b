"""Facts turned into hooks, ranked by how well they lead to the product and how recent they are.

A hook is a screened fact read into parts a sentence can mention (:mod:`fact_parts`), with
the value proposition it connects to best and the proof point that backs it, if any. A stated
pain that the product removes beats a funding round; a post on the topic the sender works on
beats a tool list; a fact from last month beats one from last year. A fact that cannot be said
concretely in the draft's language (a German post in an English draft) is not a hook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cadenza.prospects import FactIn, ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.fact_parts import FactParts, unattributed
from cadenza.writing.fact_parts_foreign import read_foreign
from cadenza.writing.fact_readers import read_english
from cadenza.writing.fact_screens import LEGAL_WORDS, company_words, other_person
from cadenza.writing.facts import FactScreen, screen_facts
from cadenza.writing.language import detect_language
from cadenza.writing.names import clean_name
from cadenza.writing.sender_copy import SenderCopy, main_clause_verb, stems

#: How much each kind of event is worth as an opener.
EVENT_WEIGHT: dict[str, float] = {
    "pain": 1.0, "post": 0.9, "launch": 0.8, "site": 0.8, "hiring": 0.75, "funding": 0.7,
    "role": 0.65, "news": 0.6, "stack": 0.35,
}


@dataclass(frozen=True)
class Hook:
    """A fact a draft can mention, what it connects to, and its rank."""

    fact_id: str
    kind: str
    parts: FactParts
    native: bool              # read in full (written in the draft's language)
    score: float
    value_id: str | None      # the value proposition it connects to best
    fit: float                # how well (0–1)
    proof_id: str | None      # a proof point about the same thing (a tool, a topic)
    recent: bool
    words: frozenset[str]


def fact_language(text: str, prospect_language: str | None) -> str:
    """The language a fact is written in: detected, else the prospect's (facts about a
    prospect who writes Italian are mostly Italian, which the detector does not know)."""
    raw = (prospect_language or "en").strip().lower().replace("_", "-").split("-")[0] or "en"
    text = unattributed(text)  # "Ingrid Solberg: \"Vi tester …\"" is Norwegian, not English
    found = detect_language(text)
    if found == "en" and raw != "en" and len(_ENGLISH.intersection(
            w.lower() for w in text.split())) < 3:
        return raw  # "… neemt nieuw distributiecentrum in gebruik in Venlo" is not English
    return found or raw


#: Words only an English sentence has two of (the detector counts "in" and "a" as English).
_ENGLISH = frozenset({"the", "and", "of", "to", "for", "with", "is", "are", "has", "have",
                      "its", "was", "by", "on", "at", "new", "from", "an"})


def _about_them(fact: FactIn, prospect: ProspectIn, ids: frozenset[str],
                names: list[str]) -> bool:
    """Whether a (sensitive) fact is about the prospect's own company, named in full apart
    from its legal form ("Metalplast Gniezno" going bankrupt is not Metalplast Kalisz), or
    about the prospect (not a namesake: another Michael Brennan's lawsuit is not theirs)."""
    core = {w for w in ids if w.rstrip(".") not in LEGAL_WORDS}
    if core and core <= {w.lower().strip(".,:;") for w in fact.text.split()}:
        return True
    return any(n.lower() in fact.text.lower() for n in names) \
        and not other_person(fact, prospect)


def _recency(date: dt.date | None, today: dt.date, days: int = 365) -> float:
    """1 for today, falling to 0 over ``days``."""
    if date is None:
        return 0.4
    age = (today - date).days
    if age < -7:
        return 0.3
    return max(0.0, 1.0 - max(age, 0) / days)


#: A role change older than this is no longer news to congratulate anyone on.
STALE_ROLE_DAYS = 180


def build_hooks(prospect: ProspectIn, sender: SenderProfile, copy: SenderCopy, *,
                today: dt.date, language: str,
                screen: FactScreen | None = None) -> list[Hook]:
    """The prospect's usable facts as hooks for a draft in ``language``, best first."""
    screen = screen or screen_facts(prospect, today=today, competitors=sender.competitors)
    # (both worked out once per sender profile, in SenderCopy)
    interest, vocabulary = copy.interest, copy.vocabulary
    names = [n for n in (clean_name(prospect.first_name, kind="first"),
                         clean_name(prospect.last_name, kind="last")) if n]
    ids = company_words(prospect.company)
    hooks: list[Hook] = []
    troubled = any(f.id in screen.sensitive and _about_them(f, prospect, ids, names)
                   for f in prospect.facts)
    for fact in screen.kept:
        lang = fact_language(fact.text, prospect.language)
        if lang == "en":
            parts = read_english(fact.kind, fact.text, company=prospect.company, names=names,
                                 interest=interest)
        else:
            parts = read_foreign(fact.kind, fact.text, company_words=ids,
                                 interest=vocabulary)
        if parts.place and any(n.lower() in parts.place.lower() for n in names):
            parts = replace(parts, place=None)  # "Entrevista a Lucía Sarmiento" names no place
        native = lang == language
        if not native:
            if parts.event in ("post", "pain", "role", "stack"):
                continue  # what someone wrote in another language is not ours to retell
            parts = FactParts(parts.event, place=parts.place, amount=parts.amount)
        elif lang != "en" and parts.event in ("post", "pain") and not parts.quote:
            continue  # a post is quoted by a few of its own words, or not at all
        parts = speakable(parts, names=names)
        if parts.topic and parts.topic[:1].isupper() and _common_word(
                parts.topic.split(" ", 1)[0], f"{fact.text} {sender.product_description}"):
            # "Legal accruals are the one line …": the capital only started the sentence
            parts = replace(parts, topic=parts.topic[:1].lower() + parts.topic[1:])
        if parts.event == "role" and fact.date is not None \
                and (today - fact.date).days > STALE_ROLE_DAYS:
            continue  # "congrats on the new role" eleven months on (round 13: "stale
            # congratulations on a months-old role", both reviewers)
        if parts.event == "hiring" and troubled:
            continue  # "your team is growing" beside their own layoffs, lawsuit or illness is
            # tone-deaf (round 8: a growing-team note right after 25 redundancies)
        if lang != "en" and parts.event in ("site", "launch", "funding", "news") \
                and other_company(fact.text, ids):
            continue  # "Grupo Sanitario del Sur abre …" is not the prospect's own news
        if not parts.concrete and not (lang != "en" and parts.event in
                                       ("funding", "site", "hiring")):
            continue  # (a raise in another language is still news to mention; a "launch"
            # with nothing said about it may be a pilot, and is not)
        if language == "en" and not mentionable(parts):
            continue  # the opener would have no sentence for it ("That's the kind of
            # problem …" with nothing before it)
        if parts.event == "news" and not (parts.what and parts.gerund):
            continue  # "I read that X continues to innovate", "the recent news": a news
            # item is mentioned by what the company did, or not at all
        words = stems(fact.text) if lang == "en" or native else frozenset()
        value_id, fit = _best_value(words, copy, lang)
        if parts.event == "post" and CELEBRATION.match(fact.text.lstrip("«»\"“”'„ ")):
            continue  # pride in an award or a team is no problem the product solves: led
            # with, it is tied to the pitch by a non sequitur
        if parts.event == "post" and fit == 0 and words and copy.value_words.get(lang):
            continue  # a post that shares no word with anything the product does (a stated
            # pain is kept: it names a problem, in words of its own)
        if parts.event == "pain" and native and lang != "en" \
                and not copy.value_words.get(lang):
            # a stated problem in a language the copy is not in: its fit cannot be measured
            # (Spanish "descargos en papel" shares no stem with English "paper"), and zero
            # put "you're hiring" ahead of the prospect's own words
            fit = max(fit, 0.5)
        proof_id = _proof_for(fact.text, parts, words, copy)
        # what a person said ages slower than news: a view from last spring still holds
        days = 730 if parts.event in ("pain", "post") else 365
        score = (0.45 * EVENT_WEIGHT.get(parts.event, 0.5) + 0.3 * fit
                 + 0.25 * _recency(fact.date, today, days) + (0.05 if proof_id else 0.0))
        if not native:
            score *= 0.75  # said in general terms only
        recent = fact.date is not None and 0 <= (today - fact.date).days <= 120
        hooks.append(Hook(fact_id=fact.id, kind=fact.kind, parts=parts, native=native,
                          score=round(score, 4), value_id=value_id, fit=fit,
                          proof_id=proof_id, recent=recent, words=words))
    hooks.sort(key=lambda h: (-h.score, h.fact_id))
    return hooks


#: Words that make a phrase a fragment of a sentence, not a topic ("single month", "First
#: 100 days done", "home managers spend roughly two days").
_NOT_TOPIC_START = frozenset(["single", "every", "each", "first", "last", "next", "one",
                              "best", "same", "whole", "entire", "few", "many", "most",
                              "other"])
_NOT_TOPIC_WORD = frozenset(["spend", "spends", "spent", "done", "made", "got", "is", "are",
                             "was", "were", "last"])


def good_topic(topic: str | None, names: Sequence[str] = ()) -> bool:
    """Whether ``topic`` is a noun phrase a draft can name ("Salesforce CPQ migration",
    "charge nurses"): no digits, no verb, not a sentence's opening words, no trailing
    punctuation or dangling "to", and no person's name ("your post about Ingrid Solberg:"
    was the worst-rated line of round 3)."""
    if not topic:
        return False
    words = topic.split()
    lowered = {w.lower().strip(".,:;!?\"'“”") for w in words}
    return (not any(c.isdigit() for c in topic) and len(words) <= 6
            and topic[-1:].isalnum() and words[-1].lower() not in _DANGLING
            and not any(n.lower() in lowered for n in names)
            and words[0].lower() not in _NOT_TOPIC_START
            and not any(w.lower() in _NOT_TOPIC_WORD for w in words)
            and not main_clause_verb(topic))


#: Words a noun phrase does not end on ("a Digital Ticketing Officer to", "your take on").
_DANGLING = frozenset(["to", "of", "for", "and", "or", "the", "a", "an", "in", "at", "with",
                       "on", "by", "from"])


def speakable(parts: FactParts, names: Sequence[str] = ()) -> FactParts:
    """``parts`` without a topic or a restatement that would not read as English where the
    templates put it ("your post about single month", "You wrote that Three weeks …");
    ``names`` are the prospect's, never a topic."""
    topic = parts.topic if good_topic(parts.topic, names) else None
    said = parts.said if parts.said and parts.said[:1].islower() else None
    role, place = parts.role, parts.place
    if role:
        # "a Certified Nursing Assistants (CNAs) across Ohio" → "Certified Nursing Assistants
        # across Ohio": no bracketed acronym, no article before a plural
        role = re.sub(r"\s*\([^)]*\)", "", role)
        while role.split() and role.split()[-1].lower() in _DANGLING:
            role = role.rsplit(" ", 1)[0] if " " in role else ""  # "… Officer to"
        role = role or None
    if role:
        head = re.split(r" (?:across|in|for|at) ", role, maxsplit=1)[0]
        if re.match(r"an? ", role) and head.endswith("s") and not head.endswith("ss"):
            role = role.split(" ", 1)[1]
    if place and ((place[:1].islower() and not place.startswith("the "))
                  or any(c.isdigit() for c in place) or "," in place):
        place = None  # "all shifts, sign-on bonus", "Band 7": no place
    new = (topic, said, role, place)
    if new == (parts.topic, parts.said, parts.role, parts.place):
        return parts
    return replace(parts, topic=topic, said=said, role=role, place=place)


def mentionable(parts: FactParts) -> bool:
    """Whether the English templates have a concrete sentence for ``parts``."""
    match parts.event:
        case "pain" | "post":
            return bool(parts.said or (parts.topic and (parts.event == "post" or parts.venue)))
        case "hiring" | "funding" | "role" | "site":
            return True
        case "stack":
            return bool(parts.tools)
        case _:
            return bool(parts.what or parts.clause)


def other_company(text: str, company_words: frozenset[str]) -> bool:
    """Whether a news line opens on another organisation's name: its leading capitalised
    words ("Grupo Sanitario del Sur abre …", "Zorggroep Amstelland en …") are not all the
    prospect company's."""
    lead: list[str] = []
    for word in text.split()[:4]:
        bare = word.strip(",.:;()\"'“”«»").lower()
        if not word[:1].isupper() or not bare:
            break
        lead.append(bare)
    if not lead or not company_words:
        return False
    return not all(w in company_words or w in LEGAL_WORDS for w in lead)


#: How a post of pride or thanks opens, in the languages we draft in ("Proud of our legal
#: team, named …", "Fière de notre équipe …"): it says nothing the product answers.
CELEBRATION = re.compile(
    r"(?i)(?:so |very |really |incredibly |super )?(?:proud|thrilled|delighted|honou?red|"
    r"grateful|thankful|excited to (?:announce|share)|congrat\w*|huge congrat\w*|"
    r"fier|fière|fiers|fières|ravie?s? de|félicitations|bravo|stolz|glückwunsch|"
    r"herzlichen glückwunsch|dankbar|orgullos[oa]s?|enhorabuena|felicidades|trots|"
    r"gefeliciteerd|orgulhos[oa]s?|parabéns)\b")


def _common_word(word: str, text: str) -> bool:
    """Whether ``word`` (capitalised, one capital) is also written in lower case in
    ``text``: a common word, not a name."""
    return sum(c.isupper() for c in word) == 1 and re.search(
        rf"\b{re.escape(word.lower())}\b", text) is not None


def _best_value(words: frozenset[str], copy: SenderCopy,
                language: str = "en") -> tuple[str | None, float]:
    """The value proposition whose words (as the sender wrote it in the fact's language,
    or in English) ``words`` share most, and how well (0–1)."""
    best: tuple[float, str | None] = (0.0, copy.values[0].id if copy.values else None)
    candidates = copy.value_words.get(language) or tuple((v.id, v.words) for v in copy.values)
    for vp_id, vp_words in candidates:
        fit = min(1.0, len(words & vp_words) / 3.0)
        if fit > best[0]:
            best = (fit, vp_id)
    return best[1], round(best[0], 3)


def _proof_for(text: str, parts: FactParts, words: frozenset[str],
               copy: SenderCopy) -> str | None:
    """A proof point that names one of the fact's tools ("Manhattan WMS"), or shares two of
    its words with it."""
    lowered = text.lower()
    for proof in copy.proofs:
        for tool in parts.tools:
            core = tool.split()[0].lower()
            if len(core) > 3 and core in proof.sentence.lower() and core in lowered:
                return proof.id
    best = max(copy.proofs, key=lambda p: len(p.words & words), default=None)
    return best.id if best is not None and len(best.words & words) >= 2 else None
