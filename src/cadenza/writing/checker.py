"""The deterministic draft checker: every draft, from any drafter, passes here before approval.

Each check is named, so a failure can be reported ("check_failed:numbers"), fed back to the LLM
for a revision, and counted in evals. The checker trusts nothing in the draft: it recomputes the
footer it expects, re-screens the prospect's facts, and compares what the draft says with what the
record and the sender's profile authorise.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cadenza.prompts import TEMPLATE_DIR
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.asks import draft_markup, promises, requests
from cadenza.writing.composing import opt_out_sentence, split_email, to_html
from cadenza.writing.drafting import LINKEDIN_MESSAGE_MAX_CHARS, Draft, DraftRequest
from cadenza.writing.facts import screen_facts
from cadenza.writing.fluency import fluency_problems, register_problems
from cadenza.writing.links import find_links
from cadenza.writing.names import display_first_name, formal_name
from cadenza.writing.own_text import contact_token, contacts, is_own, own_tokens, without_own
from cadenza.writing.polish import polish_address
from cadenza.writing.safety import has_instruction
from cadenza.writing.sensitive import sensitive_terms
from cadenza.writing.sentences import repeated_sentences, text_sentences
from cadenza.writing.subjects import MAX_SUBJECT

MIN_EMAIL_WORDS = 25
_UNRESOLVED = re.compile(
    r"\{\{|\}\}|\{%|%\}|\{[A-Za-z_][\w.]*\}|\$\{|%[A-Z_]{3,}%|\[\s*(?:first|last|full|company|"
    r"your|contact|prospect|insert)[^\]]{0,30}\]|<<\s*\w+\s*>>",
    re.IGNORECASE,
)
_PLACEHOLDER_WORDS = re.compile(r"\b(?:None|null|undefined|NaN)\b")
#: A greeting whose name slot came out empty: "Hi ,", "Hallo !", or a salutation that needs a
#: name ("Dear,", "Beste,", "Liebe,"). "Guten Tag," "Bonjour," "Hola," are whole greetings.
_EMPTY_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|hallo|bonjour|hola|olá|ola|oi|beste|hoi|guten tag|ciao)"
    r"[ \t\u00a0]+[,!:]|(?:dear|beste|liebe|lieber|sehr geehrte[r]?|estimad[oa]|querid[oa]|"
    r"car[oa]|cher|chère|geachte)[ \t\u00a0]*[,!:])",
    re.IGNORECASE,
)
_GREETING_NAME = re.compile(
    r"^\s*(?:hi|hello|hey|dear|hallo|guten tag|bonjour|hola|olá|beste|hoi|buongiorno|"
    r"dzień dobry|hej|hei)\s+([^,\n]{1,60}),",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
_ALLOWED_TAG = re.compile(r"</?p>|<br>")
_SPAMMY = re.compile(r"!!|\$\$|\b(?:free|guarantee[d]?|act now|urgent|winner|100% free|"
                     r"risk[- ]free|click here|limited time)\b", re.IGNORECASE)
_SHOUTING = re.compile(r"\b[A-Z]{5,}\b")
_NON_DIGIT = re.compile(r"\D")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W_][\w'’&-]*")
#: A word as a reader counts it: letters, with inner apostrophes and hyphens (a link's
#: parts are words, "14 %" is none).
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def email_words(text: str) -> int:
    """The length of an email's text for the word limit: the larger of its space-separated
    tokens and its letter words, so that it is within the limit however it is counted
    (``cadenza eval drafts`` counts letter words; a link is then several)."""
    return max(len(text.split()), len(_LETTER_WORD.findall(text)))


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])\s+|\n+")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_TAG = re.compile(r"<[^>]*>")
_TAG_STRIP = re.compile(r"<[^>]+>")


@dataclass
class CheckReport:
    """Named checks (name → passed) and the reasons behind each failure."""

    checks: dict[str, bool] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(self.checks.values())

    @property
    def failures(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]

    def record(self, name: str, problems: list[str]) -> None:
        self.checks[name] = not problems
        self.reasons.extend(f"{name}: {p}" for p in problems)


def _numbers(text: str) -> set[str]:
    """Numbers as digit strings ("1,200" and "1.200" → "1200"; "4,5" → "45")."""
    return {_NON_DIGIT.sub("", m.group(0)) for m in _NUMBER.finditer(text)} - {""}


def _template_vocabulary(language: str) -> frozenset[str]:
    """Every word of the draft templates of ``language`` (read once: templates ship with us)."""
    return _vocabulary_of(str(TEMPLATE_DIR / "drafts" / language))


@lru_cache(maxsize=16)
def _vocabulary_of(folder_name: str) -> frozenset[str]:
    folder = Path(folder_name)
    words: set[str] = set()
    if folder.is_dir():
        for path in folder.glob("*.j2"):
            words.update(_TOKEN.findall(path.read_text(encoding="utf-8")))
    return frozenset(words)


def _with_lower(words: set[str] | frozenset[str]) -> set[str]:
    """``words`` and the lower-case form of each."""
    out = set(words)
    out.update([w.lower() for w in words])
    return out


@lru_cache(maxsize=32)
def _profile_words(sender_json: str, language: str) -> frozenset[str]:
    """Words the sender's profile and the templates of ``language`` authorise (and lower case)."""
    return frozenset(_with_lower(set(_TOKEN.findall(sender_json)) | _template_vocabulary(language)))


@lru_cache(maxsize=64)
def _competitor_patterns(competitors: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c, re.compile(rf"(?<!\w){re.escape(c.strip())}(?!\w)", re.I))
                 for c in competitors if c.strip())


def _capitalised_entities(text: str) -> list[str]:
    """Capitalised words that do not start a sentence (the proper nouns of a text)."""
    out: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text):
        words = _TOKEN.findall(sentence)
        out.extend(w for w in words[1:] if w[:1].isupper() or (_DIGIT.search(w[1:]) and
                   w[:1].isalpha()))
    return out


def _own_terms(sender: SenderProfile) -> frozenset[str]:
    """Sensitive-list words the sender's own copy and name use ("sick leave" for a rostering
    product, "Diagnostics" in "Kestrel Belt Diagnostics Ltd", which signs every email):
    repeating the sender's words is no sensitive topic (a personal one still is)."""
    return _terms_of(" ".join([sender.company, sender.product_name,
                               sender.sender.title, sender.product_description,
                               *sender.product_description_localized.values(),
                               *(vp.text for vp in sender.value_propositions),
                               *(t for vp in sender.value_propositions
                                 for t in vp.localized.values()),
                               *(pp.text for pp in sender.proof_points),
                               *(t for pp in sender.proof_points
                                 for t in pp.localized.values())]))


@lru_cache(maxsize=32)
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(t.lower() for t in sensitive_terms(text))


def _field_names(prospect: ProspectIn, sender: SenderProfile) -> frozenset[str]:
    """Words of the record and the profile that may start a sentence in lower case
    ("eBay", "solmar hoteles" as the record writes it)."""
    values = (prospect.company, prospect.first_name, prospect.last_name, sender.company,
              sender.product_name, *(pp.customer for pp in sender.proof_points))
    return frozenset(w for v in values if v for w in _TOKEN.findall(v))


def check_draft(draft: Draft, *, prospect: ProspectIn, sender: SenderProfile,
                request: DraftRequest) -> CheckReport:
    """Run every check on ``draft``; see the module docstring for why each exists."""
    report = CheckReport()
    lang = draft.language or request.lang
    subject = draft.subject or ""
    is_email = draft.channel == "email"
    main, has_footer = (split_email(draft.body, sender, lang) if is_email
                        else (draft.body, False))
    visible = f"{subject}\n{main}"
    # what the checks of claims read: the sender's own links and addresses are no claims
    own_main = without_own(main, sender, lang)
    own_visible = f"{without_own(subject, sender, lang)}\n{own_main}"
    screen = screen_facts(prospect, today=request.today, competitors=sender.competitors)
    facts_by_id = {f.id: f for f in prospect.facts}
    used_text = " ".join(facts_by_id[i].text for i in draft.fact_ids if i in facts_by_id)
    proof_text = " ".join(pp.text for pp in sender.proof_points)
    fields_text = " ".join(str(v) for v in (
        prospect.first_name, prospect.last_name, prospect.title, prospect.company,
        prospect.industry, prospect.company_size, prospect.country) if v)

    # length
    problems: list[str] = []
    if is_email:
        words = email_words(main)
        if words > sender.policies.email_max_words:
            problems.append(f"{words} words > {sender.policies.email_max_words}")
        if words < MIN_EMAIL_WORDS:
            problems.append(f"{words} words < {MIN_EMAIL_WORDS}")
    elif draft.channel == "linkedin_connect":
        limit = min(request.linkedin_note_limit, sender.policies.linkedin_note_max_chars)
        if len(draft.body) > limit:
            problems.append(f"{len(draft.body)} chars > {limit}")
    elif len(draft.body) > LINKEDIN_MESSAGE_MAX_CHARS:
        problems.append(f"{len(draft.body)} chars > {LINKEDIN_MESSAGE_MAX_CHARS}")
    if not draft.body.strip():
        problems.append("empty body")
    report.record("length", problems)

    # subject
    problems = []
    if is_email:
        if not 1 <= len(subject.strip()) <= MAX_SUBJECT:
            problems.append(f"subject length {len(subject.strip())} not in 1..60")
        if _SPAMMY.search(subject) or _SHOUTING.search(subject):
            problems.append("spammy subject")
        if subject.lower().startswith(("re:", "fw:", "fwd:", "aw:")):
            prev = (request.previous_subject or "").strip()
            if not prev or subject.split(":", 1)[1].strip() != prev.removeprefix("Re: "):
                problems.append("fake reply/forward prefix")
    elif subject:
        problems.append("LinkedIn touches have no subject")
    report.record("subject", problems)

    report.record("unresolved_variables",
                  [f"found {m.group(0)!r}" for rx in (_UNRESOLVED, _PLACEHOLDER_WORDS)
                   for m in rx.finditer(visible)])
    report.record("greeting", ["empty greeting"] if any(
        _EMPTY_GREETING.match(line) for line in main.split("\n")[:2]) else [])

    # repetition: no sentence twice in the draft, none copied from an earlier touch
    earlier = tuple(split_email(b, sender, lang)[0] for b in request.previous_bodies)
    report.record("repeated_sentence", [f"says again: {s!r}"
                                        for s in repeated_sentences(main, earlier)])

    # name: the greeting uses the cleaned first name or none at all
    problems = []
    expected = display_first_name(prospect)
    m = _GREETING_NAME.match(main)
    if m and m.group(1).strip() not in {expected, formal_name(prospect), "there",
                                        polish_address(prospect).vocative}:
        problems.append(f"greets {m.group(1).strip()!r}, expected {expected!r}")
    report.record("name", problems)

    # grounding: fact ids exist and are safe; proper nouns are traceable
    problems = [f"unknown fact id {i}" for i in draft.fact_ids if i not in facts_by_id]
    problems += [f"fact {i} was dropped ({screen.dropped[i]})" for i in draft.fact_ids
                 if i in screen.dropped]
    proof_ids = {pp.id for pp in sender.proof_points}
    problems += [f"unknown proof point {i}" for i in draft.proof_point_ids
                 if i not in proof_ids]
    if lang != "de":  # German capitalises every noun; numbers and links still guard it
        # the record's words, the sender profile's and the templates' (profile and templates
        # are the same for every touch, so their words are read once)
        profile_words = _profile_words(sender.model_dump_json(), lang)
        record_words = _with_lower(set(_TOKEN.findall(f"{used_text} {fields_text}")))
        for word in _capitalised_entities(own_main.split("\n", 1)[-1]):
            # a name the drafter wrote in display case ("solmar hoteles" → "Solmar Hoteles")
            # is still the record's name
            if not any(w in profile_words or w in record_words
                       for w in (word, word.rstrip("'’s"), word.rstrip("'’"), word.lower())):
                problems.append(f"untraceable name {word!r}")
    report.record("grounding", problems)

    # numbers
    allowed_numbers = _numbers(" ".join([used_text, fields_text, proof_text,
                                         request.previous_subject or ""]))
    report.record("numbers", [f"number {n} not in a used fact, field or proof point"
                              for n in sorted(_numbers(own_visible) - allowed_numbers)])

    # links and contact data: only the sender's own, however written (defanged, spaced out,
    # in look-alike letters: a spoof of the sender's own link is foreign too)
    own = own_tokens(sender)
    problems = []
    for found in contacts(visible):
        token = contact_token(found)
        if draft.channel == "linkedin_connect" or not is_own(token, own):
            problems.append(f"foreign link/contact {token!r}")
    problems += [f"look-alike link {link.text!r}" for link in find_links(visible)
                 if link.spoofed]
    report.record("links", problems)

    # asking for credentials, personal data or money; promising an outcome
    report.record("requests", [f"asks for {r!r}" for r in requests(visible)])
    report.record("promises", [f"promises {p!r}" for p in promises(own_visible)])

    # injection: nothing the screen flagged, no markup, no instructions
    problems = [f"flagged text {s[:40]!r}" for s in screen.flagged
                if len(s.strip()) >= 4 and s.strip().lower() in draft.body.lower()]
    if _MARKUP.search(visible) or draft_markup(visible):
        problems.append("markup in text")
    if has_instruction(visible):
        problems.append("instruction-like text")
    report.record("injection", problems)

    report.record("competitors", [f"names competitor {c!r}" for c, rx
                                  in _competitor_patterns(tuple(sender.competitors))
                                  if rx.search(visible)])
    report.record("sensitive", [f"sensitive topic {t!r}" for t in
                                sensitive_terms(visible, allowed=_own_terms(sender))])
    questions = sum(s.rstrip().endswith("?") for s in text_sentences(main))
    links = main.count(sender.meeting_link) if sender.meeting_link else 0
    report.record("one_cta", ["more than one call to action"]
                  if questions > 1 or links > 1 or (links and questions) else [])
    names = _field_names(prospect, sender)
    report.record("fluency", fluency_problems(main, lang, names=names))
    report.record("register", register_problems(main, lang))

    # compliance footer
    problems = []
    if is_email:
        address = " ".join(sender.postal_address.split())
        if not has_footer:
            problems.append("footer missing or altered")
        if address and address not in draft.body:
            problems.append("postal address missing")
        if opt_out_sentence(sender, lang) not in draft.body:
            problems.append("opt-out sentence missing")
    elif draft.channel == "linkedin_connect" and sender.postal_address.strip() and \
            sender.postal_address.strip() in draft.body:
        problems.append("footer in a connection note")
    report.record("compliance_footer", problems)

    # html: exactly our escaped paragraphs
    problems = []
    if is_email:
        if draft.html is None:
            problems.append("no html")
        else:
            stray = [t for t in _TAG.findall(draft.html) if not _ALLOWED_TAG.fullmatch(t)]
            problems += [f"foreign tag {t[:30]!r}" for t in stray]
            if draft.html != to_html(draft.body):
                problems.append("html is not the escaped body")
            if html.unescape(_TAG_STRIP.sub("", draft.html)).count("<") != \
                    draft.body.count("<"):
                problems.append("unescaped markup")
    elif draft.html:
        problems.append("LinkedIn touches have no html")
    report.record("html", problems)
    return report
