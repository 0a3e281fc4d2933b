"""A fact read into the parts a sentence can mention, instead of the fact pasted whole.

"Kallby Logistik is hiring 12 warehouse automation engineers for its Gothenburg hub." becomes
a role ("12 warehouse automation engineers") and a place ("the Gothenburg hub"); a quote from
a podcast becomes what it is about ("trucks stacking up at the gate") and where it was said;
a post becomes its topic. Research tools write facts as headlines, job-ad snippets, quotes and
first-person posts, so each kind has its own reader; whatever cannot be read stays ``None``,
and a fact with nothing concrete left is not used. English facts are read fully; a fact in
another language gives only what needs no translation (a place, an amount, what kind of event
it is), see :mod:`cadenza.writing.fact_parts_foreign`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cadenza.writing.safety import clean_line
from cadenza.writing.spelling import stem5

_MONEY = re.compile(
    r"(?:(?:[$€£¥]|R\$|CA\$|A\$|US\$|SEK|NOK|DKK|CHF|USD|EUR|GBP|INR|₹)\s?\d[\d.,]*"
    r"(?:\s?(?:[MBK]n?|bn|m|million|billion|Mio\.?|Mrd\.?|crore|lakh))?|"
    r"\d[\d.,]*\s?(?:M€|M\$|Mio\.?\s?(?:€|Euro|EUR)|millones de euros|milhões|millions? d'euros|"
    r"miljoen euro|miljoner kronor|milioni di euro|mln zł|million (?:euros?|dollars|pounds)))")
_ROUND = re.compile(r"(?i)\b(pre-seed|seed|series [a-h]|growth|bridge)\b(?: round| funding| "
                    r"financing| equity)?")


@dataclass(frozen=True)
class FactParts:
    """What a draft may say about one fact (every field optional)."""

    event: str                  # pain, post, hiring, funding, launch, site, role, stack, news
    topic: str | None = None    # "trucks stacking up at the gate"
    said: str | None = None     # "reconciling pipeline across 3 CRMs costs your team a day"
    venue: str | None = None    # "the Cold Chain Conversations podcast"
    what: str | None = None     # "the second cross-dock terminal in Malmö"
    gerund: str | None = None   # "opening" (what the company did, as "-ing")
    place: str | None = None
    role: str | None = None     # "a Yard Coordinator", "12 warehouse automation engineers"
    amount: str | None = None
    round: str | None = None
    purpose: str | None = None  # "to automate the cross-dock network"
    title: str | None = None
    tools: tuple[str, ...] = field(default_factory=tuple)
    clause: str | None = None   # "Larkfield is consolidating three warehouses into one DC"
    quote: str | None = None    # a few words of a post in its own language
    place_after: str | None = None  # the preposition the place came after ("w Komornikach"):
    # in a language with cases the place is said after the same one, or not in running text

    @property
    def concrete(self) -> bool:
        """Whether anything specific can be said (else the fact is not used)."""
        return any((self.topic, self.said, self.what, self.place, self.role, self.amount,
                    self.title, self.tools, self.clause, self.quote))


def _split(text: str) -> list[str]:
    return text.split()


# -- small English grammar ----------------------------------------------------------------------
_GERUNDS = {
    "opened": "opening", "opens": "opening", "open": "opening", "expanded": "expanding",
    "expands": "expanding", "expand": "expanding", "added": "adding", "adds": "adding",
    "add": "adding", "acquired": "acquiring", "acquires": "acquiring", "acquire": "acquiring",
    "won": "winning", "wins": "winning", "win": "winning", "signed": "signing",
    "signs": "signing", "sign": "signing", "launched": "launching", "launches": "launching",
    "launch": "launching", "consolidates": "consolidating", "consolidate": "consolidating",
    "consolidated": "consolidating", "completed": "completing", "completes": "completing",
    "reached": "reaching", "passed": "passing", "crossed": "crossing", "entered": "entering",
    "enters": "entering", "built": "building", "builds": "building", "build": "building",
    "moved": "moving", "moves": "moving", "move": "moving", "migrated": "migrating",
    "migrates": "migrating", "migrate": "migrating", "began": "beginning",
    "took": "taking", "takes": "taking", "received": "receiving", "receives": "receiving",
    "rolled": "rolling", "rolls": "rolling", "partnered": "partnering",
    "partners": "partnering", "released": "releasing", "releases": "releasing",
    "introduced": "introducing", "unveiled": "unveiling", "unveils": "unveiling",
    "inaugurated": "inaugurating", "relocated": "relocating", "switched": "switching",
    "delivered": "delivering", "published": "publishing", "adopted": "adopting",
    "merged": "merging", "merges": "merging", "merge": "merging", "combined": "combining",
    "combines": "combining", "combine": "combining", "relocates": "relocating",
    "relocate": "relocating", "secured": "securing", "secures": "securing",
}
#: Events worth a "Congrats on …" (the others are "I read that …").
CONGRATS = frozenset({"opening", "expanding", "adding", "acquiring", "winning", "signing",
                      "launching", "completing", "reaching", "passing", "crossing",
                      "entering", "building", "receiving", "partnering", "releasing",
                      "introducing", "unveiling", "inaugurating", "delivering"})
_TRAILING = re.compile(r"(?i)\s+(?:nationwide|worldwide|globally|today|this week|this month|"
                       r"this year|last week|last month|at launch)$")
_CLAUSE_CUT_NO_PURPOSE = re.compile(r",\s|\s(?:so that|which|while|after|as part of|"
                                    r"according to|per|used by|reaching|doubling|bringing|"
                                    r"making)\s")
_CLAUSE_CUT = re.compile(r",\s|\s(?:so that|which|while|after|as part of|according to|per|"
                         r"used by|reaching|doubling|bringing|making)\s|"
                         r"\sto\s(?=(?!a\s|an\s|the\s|its\s|their\s)[a-z])")


def the(phrase: str) -> str:
    """"a second terminal" / "its hub" / "terminal" → "the second terminal" / "the hub"."""
    phrase = phrase.strip()
    lowered = phrase.lower()
    for art in ("a ", "an ", "its ", "their ", "his ", "her ", "the ", "our "):
        if lowered.startswith(art):
            return "the " + phrase[len(art):]
    if phrase[:1].isdigit() or phrase[:1].islower() or phrase.split(" ", 1)[0].isupper():
        return "the " + phrase
    return phrase  # a name ("London Gateway")


#: Gerunds whose object is a figure, not a thing: "passing 1 million shoppers".
COUNTING = frozenset({"passing", "reaching", "crossing", "hitting"})


#: Letters whose names start with a vowel sound: "an RFID lead", "an HR manager", "an SRE".
_VOWEL_LETTERS = "aefhilmnorsx"


def article(phrase: str) -> str:
    """"Yard Coordinator" → "a Yard Coordinator"; "operations analyst" → "an operations …";
    an acronym by the sound of its first letter ("an RFID & Data Systems Lead", "a UX lead")."""
    lowered = phrase.lower()
    if lowered.startswith(("a ", "an ", "the ")) or phrase[:1].isdigit():
        return phrase
    first = phrase.split(" ", 1)[0].strip("&,.-")
    if len(first) >= 2 and first.isupper() and first.isalpha():
        return ("an " if lowered[:1] in _VOWEL_LETTERS else "a ") + phrase
    return ("an " if lowered[:1] in "aeiou" else "a ") + phrase


def trim(phrase: str, max_words: int = 12, *, purpose: bool = True) -> str | None:
    """A phrase cut at its first subordinate clause (and, with ``purpose``, at "to <verb>"),
    without trailing adverbs; ``None`` when still too long to say."""
    phrase = (_CLAUSE_CUT if purpose else _CLAUSE_CUT_NO_PURPOSE).split(phrase.strip(),
                                                                        maxsplit=1)[0]
    phrase = _TRAILING.sub("", phrase).strip(" ,;:.")
    return phrase if 0 < len(phrase.split()) <= max_words else None


def second_person(text: str) -> str:
    """First and third person of the writer → second person ("our gate" → "your gate")."""
    swaps = [(r"\bI'm\b", "you're"), (r"\bwe're\b", "you're"), (r"\bwe've\b", "you've"),
             (r"\bI've\b", "you've"), (r"\bwe'll\b", "you'll"), (r"\b(?:our|my|his|her)\b",
                                                                    "your"),
             (r"\b(?:we|I|he|she)\b", "you"), (r"\bus\b", "you"), (r"\bme\b", "you"),
             (r"\b(?:Our|My|His|Her)\b", "Your"), (r"\b(?:We)\b", "You")]
    for pattern, repl in swaps:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\byou (is|was|has)\b",
                  lambda m: {"is": "you are", "was": "you were", "has": "you have"}[m.group(1)],
                  text)
    # "she now advises" became "you now advises": the verb agrees again
    return re.sub(r"\b(you (?:now |also |still |just |really |often )?)([a-z]{3,}?)(es|s)\b",
                  _agree, text)


def _agree(m: re.Match[str]) -> str:
    stem, ending = m.group(2), m.group(3)
    if ending == "es" and not stem.endswith(("sh", "ch", "x", "ss", "o", "z")):
        stem += "e"  # "advises" → "advise", not "advis"
    return m.group(1) + stem


# -- topics -------------------------------------------------------------------------------------
_FUNCTION = frozenset(_split(
    "the a an and or but of to in on at for with from by as is are was were be been being "
    "it its this that these those there here than then so if when while because about into "
    "over under between across after before up out off just really actually still also very "
    "most more many much some any every each all no not can can't cannot could would should "
    "will won't do does did doesn't don't have has had i we you they he she my our your their "
    "his her me us them who which what how why where hot take quick thought unpopular "
    "opinion thread like one get got make made turn turned go goes went see saw know knew "
    "try tried want need needs keep kept think thought fix half now today again already "
    "soon always never often rather instead even only"))
#: After these, the next word is a verb ("she advises", "which means").
_SUBJECTS = frozenset({"he", "she", "it", "who", "that", "which", "they", "we", "i", "you"})
_TOKEN = re.compile(r"[\w][\w&'’/-]*")
_PUNCT = re.compile(r"[,.;:!?()\"“”]")
#: Verbs that end a topic ("pipeline across 3 CRMs | costs your team a day").
_TOPIC_VERBS = frozenset(_split(
    "costs cost takes take took runs run grew grows grow makes make means mean needs need "
    "eats eat kills wastes breaks stays sits lands becomes become seems seem feels feel "
    "says said wrote posted shared arrive arrives happen happens starts start ends end "
    "onboards onboard goes went comes came gets got keeps kept shows show tells told "
    "according caught bought brought built held left lost paid sent taken done"))
_QUOTE_PAIR = re.compile(r"(^|\s)['‘\"“]([^'’\"”]+)['’\"”](?=\s|[.,;:!?]|$)")


#: Nouns of a place of work: a name before one makes a place ("Pontypridd depot").
_FACILITY = frozenset({"depot", "site", "plant", "warehouse", "office", "factory", "branch",
                       "store", "hub", "yard", "facility", "terminal", "shop", "campus",
                       "mill", "port", "station", "garage", "workshop", "hq"})
#: Endings of adjectives ("brutal", "painful", "expensive", "critical", "unbearable").
_ADJECTIVE_ENDINGS = ("al", "ful", "ous", "ive", "ible", "able", "ic", "ent", "ant", "less")


#: Nouns said without an article ("your post about fryer oil", "about staff scheduling").
_MASS = frozenset({"oil", "waste", "data", "software", "equipment", "staff", "stock",
                   "inventory", "traffic", "freight", "energy", "water", "power", "safety",
                   "quality", "compliance", "security", "pricing", "time", "money", "cash",
                   "paper", "paperwork", "downtime", "uptime", "throughput", "capacity",
                   "demand", "labour", "labor", "work", "feedback", "information", "research",
                   "training", "insurance", "healthcare", "logistics", "linen", "spend",
                   "production", "maintenance", "revenue", "growth", "hiring", "retention",
                   "turnover", "churn", "cost", "risk", "debt", "tooling"})
_DETERMINED = frozenset({"the", "a", "an", "your", "our", "their", "this", "these", "those",
                         "its", "my", "his", "her", "every", "each", "all", "some", "no"})


def about(topic: str) -> str:
    """A topic as the object of "about": a singular count noun gets "the" ("your post about
    the tyre contractor", "about the cracked ejector pin"); plurals, mass nouns, names and
    phrases that have a determiner stay as they are ("about carriers' detention invoices",
    "about fryer oil", "about Salesforce CPQ")."""
    words = topic.split()
    if not words or words[0].lower() in _DETERMINED or not words[0][:1].islower():
        return topic
    last = words[-1].lower().strip(",.;:")
    if last.endswith(("s", "ing", "ance", "ence", "ment", "ity", "ness", "ware", "ics")) \
            or last in _MASS or last.isupper():
        return topic
    return "the " + topic


#: Words that count or order what follows ("Third upright replaced …", "Another late
#: delivery"): never the first word of a topic.
_COUNTING = frozenset({
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "another", "next", "last", "every", "each", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten"})


def topic_of(text: str, interest: frozenset[str], max_words: int = 6) -> str | None:
    """The noun phrase of ``text`` most about the sender's business (``interest``: stems of
    the sender's copy), e.g. "trucks stacking up at the gate" or "yard management problems".
    A run of content words, joined across "at/of/in/on/up", at most ``max_words`` long."""
    text = _QUOTE_PAIR.sub(r"\1\2", text)
    found = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in found]
    # a topic never runs across punctuation ("after the fish itself, fryer oil" is two)
    breaks = {i for i in range(1, len(found))
              if _PUNCT.search(text, found[i - 1].end(), found[i].start())}
    chunks: list[list[str]] = []
    current: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        prev = tokens[i - 1].lower() if i else ""
        linker = low in ("at", "of", "in", "on", "up", "across") and current and \
            i + 1 < len(tokens) and tokens[i + 1].lower() not in _FUNCTION - {"the", "a"}
        article_ok = low in ("the", "a", "an") and current and (
            prev in ("at", "of", "in", "on", "across") or prev.endswith("ing"))
        verb = low in _TOPIC_VERBS or (low.endswith("ed") and len(low) > 4 and current) \
            or prev in _SUBJECTS
        if i in breaks and current:
            chunks.append(current)
            current = []
        if (low not in _FUNCTION and not verb) or linker or article_ok:
            current.append(tok)
        else:
            if current:
                chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    best: tuple[float, str] | None = None
    for chunk in chunks:
        while chunk and chunk[0].lower() in _COUNTING:
            chunk = chunk[1:]  # "Third rack strike this month": the topic is the rack strike
        chunk = chunk[:max_words]
        while chunk and chunk[-1].lower() in ("at", "of", "in", "on", "up", "the", "a", "an",
                                              "across"):
            chunk = chunk[:-1]
        if not chunk:
            continue
        words = [stem5(w) for w in chunk]
        score = sum(2 for w in words if w in interest) + min(len(chunk), 4) * 0.3
        if len(chunk) == 1 and not chunk[0].isupper():
            continue  # "your point about tool": one common noun is no topic (an acronym,
            # "CPQ", is)
        if len(chunk) >= 2 and chunk[-1].lower() in _FACILITY \
                and all(w[:1].isupper() for w in chunk[:-1]):
            continue  # "your post about Pontypridd depot": a place, not what the post says
        if len(chunk) >= 2 and chunk[1].lower() in ("on", "for", "at", "in", "of", "to") \
                and chunk[0].lower().endswith(_ADJECTIVE_ENDINGS):
            continue  # "your point about brutal on tires": an adjective's phrase, no noun
        phrase = " ".join(chunk)
        if best is None or score > best[0]:
            best = (score, phrase)
    if best is None or best[0] <= 0.6:
        return None
    phrase = best[1]
    first = phrase.split()[0]
    # a capitalised first word is a name unless it started the text ("Most …", "Our …")
    if first[:1].isupper() and tokens and tokens[0] == first and first.lower() in _FUNCTION:
        return phrase[:1].lower() + phrase[1:]
    return phrase


#: "Rachel Okafor on LinkedIn: \"…\"", "Femke de Graaf in interview: \"…\"", "Julien Moreau,
#: en entretien : « … »": who said it, then a colon, then the quote.
_ATTRIBUTED = re.compile(r"^(?P<who>[A-ZÀ-ÝŁŚŻ][^:\"“”«»„]{1,90}?)\s*:\s*[\"“«„](?P<quote>.+?)"
                         r"[\"”»“]?\s*$")


#: A press quote with its attribution after it: "\"Our biggest opex surprise was racking
#: repairs,\" Raman told Supply Chain Weekly.", or the verb first, as the press writes it:
#: "\"Our installers are usually ready before their paperwork is,\" says Antti Lehtonen, …"
_TOLD = re.compile(r"^[\"“«„](?P<quote>[^\"”»“]{12,}?)[,.]?[\"”»“],?\s+(?:(?P<who>[A-ZÀ-ÝŁŚŻ]"
                   r"[\w.'’ -]{1,40}?)\s+(?:told|said|says|tells|explained|added|wrote)\b|"
                   r"(?:says|said|explains|explained|adds|added|writes|wrote)\s+(?P<who2>"
                   r"[A-ZÀ-ÝŁŚŻ][\w.'’-]+(?: [A-ZÀ-ÝŁŚŻ][\w.'’-]+){0,3}))"
                   r"[^\"“”«»„]*$")


def unattributed(text: str) -> str:
    """The quote of a fact written as "Name (context): \"quote\"" or "\"quote,\" Name told
    X.", else ``text``.

    A research tool's attribution is not what the post is about: read whole, "Rachel Okafor
    on LinkedIn" became the post's topic and "Ingrid Solberg:" its subject line, and the
    English name made a Norwegian quote look English."""
    return attribution(text)[0]


def attribution(text: str) -> tuple[str, str | None]:
    """The quote of a fact written with its attribution (else ``text``) and the speaker it
    names (else ``None``): see :func:`unattributed`."""
    m = _ATTRIBUTED.match(text.strip()) or _TOLD.match(text.strip())
    if m is None:
        return text, None
    speaker = next((m.group(g) for g in ("who", "who2") if m.groupdict().get(g)), None)
    return m.group("quote").strip(), speaker


def cleaned(text: str) -> str:
    """The fact as prose: no hashtags, emoji, "Posted 3 days ago · 41 applicants" tails."""
    text = clean_line(text)
    text = re.sub(r"\s*(?:Posted|Published) \d+ \w+ ago.*$", "", text)
    text = re.sub(r"\s*·.*$", "", text)
    text = re.sub(r"(?:\s#[\w-]+)+\s*$", "", text)
    text = re.sub(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", "", text)
    return text.strip()


def money(text: str) -> str | None:
    m = _MONEY.search(text)
    return m.group(0).strip() if m else None


def funding_round(text: str) -> str | None:
    m = _ROUND.search(text)
    if not m:
        return None
    word = m.group(1)
    return word[:1].upper() + word[1:] if word.lower().startswith("series") else word.lower()
