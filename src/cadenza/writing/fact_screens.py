"""Screens that keep a true-looking fact out of a draft when it is not about this prospect.

Research tools return facts about namesakes ("Boston developer Michael Brennan named in …"),
news about another company picked up by a keyword, two sources that disagree on a number
(12 M€ here, €15M there), and filler that says nothing ("X is focused on growth"). Each reads
fine on its own and is wrong, or empty, in a draft. Every rule here is about the shape of the
record, not about one sender's words, so it holds for any prospect in any language:

- another person: the fact names the prospect with a description of someone else ("…,
  teacher from Gdańsk,") or without their company, or names a different person as its subject;
- another company: a company event whose subject is a name that is not the prospect's company;
- conflicting numbers: two facts about the same event (same kind, most words shared) with
  different numbers — neither is used;
- vague: no number, no name, and the words of press-release filler.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

from cadenza.prospects import FactIn, ProspectIn
from cadenza.writing.names import clean_name
from cadenza.writing.safety import clean_line


def _split(text: str) -> list[str]:
    return text.split()


#: Words of a company name that do not identify it.

_LEGAL = frozenset(_split(
    "gmbh ag ab as asa aps oy sa s.a sas sarl sl s.l srl s.r.l spa s.p.a sp z o.o bv b.v nv "
    "n.v inc inc. ltd ltd. llc plc co co. corp corp. company group grupo gruppo groupe the "
    "and & of de la le el los las der die das holding holdings international global "
    "export services solutions systems lda lda. ltda ltda. eireli sgps kft a/s sp.j eg"))
#: Kinds that report a company event (their subject is a company).
_COMPANY_KINDS = frozenset({"news", "funding", "product_launch"})
#: Press-release filler: a fact made only of these says nothing a draft could use.
_FILLER = re.compile(
    r"(?i)\b(?:focused on growth|is focused on|exploring new technolog|leading provider|"
    r"committed to|innovation and sustainability|punta sull'innovazione|focus(?:es)? on "
    r"(?:innovation|growth|customers)|liked a post|commented on a post|reacted to|"
    r"is a (?:leading|trusted|global) |one of the leading|great time at|company picnic|"
    r"team (?:lunch|dinner|outing)|happy friday|thanks to everyone who came|"
    # the same filler in the other languages ("setzt weiterhin auf Qualität und Kundennähe")
    r"setzt (?:weiterhin |auch künftig )?auf (?:qualität|innovation|nachhaltigkeit|kunden)|"
    r"mise sur (?:la qualité|l'innovation|l’innovation)|apuesta por la (?:calidad|innovación)|"
    r"aposta na (?:qualidade|inovação)|zet in op (?:kwaliteit|innovatie)|"
    r"satsar på (?:kvalitet|innovation)|satser på (?:kvalitet|innovation))")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: A capitalised run at the start of a text: its grammatical subject, when a verb follows.
_LEAD_NAME = re.compile(r"^((?:[A-ZÀ-ÝŁŚŻŹĆŃ][\w&'’.-]*\s?){1,5})\s*(?=[a-zà-ÿ])")
#: An appositive that describes a person: "Name, teacher from Gdańsk," / "Name (CFO, X)".
_APPOSITIVE = re.compile(r"^\s*[,(–—-]\s*([^,()–—]{3,60})[,)–—]")


#: Legal forms and group words, which identify no company on their own.
LEGAL_WORDS = _LEGAL


def company_words(company: str | None) -> frozenset[str]:
    """The words that identify a company ("Frutas Levante Export S.L." → frutas, levante)."""
    words = {w.lower().strip(".,") for w in _WORD.findall(clean_line(company))}
    return frozenset(w for w in words if w not in _LEGAL and len(w) > 2)


def _names(prospect: ProspectIn) -> tuple[str | None, str | None]:
    return (clean_name(prospect.first_name, kind="first"),
            clean_name(prospect.last_name, kind="last"))


def mentions_company(text: str, prospect: ProspectIn) -> bool:
    """Whether ``text`` names the prospect's company (any word that identifies it, or its
    domain's first label)."""
    lowered = {w.lower().strip(".,'’s") for w in _WORD.findall(text)}
    words = set(company_words(prospect.company))
    domain = (prospect.company_domain or "").lower().split(".")[0]
    if len(domain) > 3:
        words.add(domain)
    return bool(words & lowered) or any(w in text.lower() for w in words if len(w) > 5)


def other_person(fact: FactIn, prospect: ProspectIn) -> bool:
    """A fact about someone else: a namesake described as someone else, the prospect's full
    name in news that never names their company, or another full name as the subject of a
    post or a role change."""
    text = clean_line(fact.text)
    first, last = _names(prospect)
    full = f"{first} {last}" if first and last else None
    if full and full.lower() in text.lower():
        rest = text[text.lower().index(full.lower()) + len(full):]
        appositive = _APPOSITIVE.match(rest)
        described = appositive.group(1).strip() if appositive else ""
        # "Name, teacher from Gdańsk," describes someone; "Name, speaking on X," does not
        if described and not described.split()[0].lower().endswith("ing") \
                and not mentions_company(described, prospect):
            return True
        before = text[:text.lower().index(full.lower())].strip()
        if before and before.split()[-1][:1].islower() and \
                before.split()[-1].lower() not in _SAYS and \
                not mentions_company(before, prospect):
            return True  # "Boston developer Michael Brennan …"
        if fact.kind in _COMPANY_KINDS | {"role_change"} and not mentions_company(text,
                                                                                  prospect):
            return True
    if fact.kind in ("post", "role_change", "pain_point"):
        lead = _LEAD_NAME.match(text)
        if lead:
            names = lead.group(1).split()
            known = {n.lower() for n in (first, last) if n}
            if len(names) == 2 and all(n[:1].isupper() and n.isalpha() for n in names) \
                    and not {n.lower() for n in names} & known \
                    and not mentions_company(lead.group(1), prospect) \
                    and _WORD.findall(text[lead.end():])[:1] and \
                    _WORD.findall(text[lead.end():])[0] in _SAID:
                return True
    return False


#: "«…» – mówi Agnieszka Wróblewska": the verb that hands a quote to its speaker, not a
#: description of another person ("Boston developer Michael Brennan").
_SAYS = frozenset(_split(
    "says said explains adds mówi powiedział powiedziała dodaje sagt erklärt ergänzt dit "
    "explique ajoute déclare dice explica añade afirma diz explica acrescenta zegt vertelt "
    "dice spiega aggiunge säger berättar siger fortæller sier forteller "
    # and the prepositions that introduce a speaker: "Entrevista a Lucía Sarmiento",
    # "Interview with …", "Gespräch mit …"
    "a with mit avec con com met z ze med by von par por de di da van från fra"))

_SAID = frozenset(_split(
    "wrote said posted shared told argued noted explained announced joined schreibt schrieb "
    "sagte écrit dit escribió dijo escreveu disse schreef zei scrive detto napisał napisała "
    "skrev sa"))


#: Verbs of company news, in the languages Cadenza reads: a single capitalised word before
#: one of them is a company's name ("Sterling raised …"), not a sentence's first word.
_EVENT_VERBS = frozenset(_split(
    "raised raises opens opened launches launched acquires acquired announces announced "
    "closes closed secures secured signs signed wins won is has to adquiere lanza abre "
    "inaugura cierra compra eröffnet übernimmt startet erhält hat ist lance ouvre acquiert "
    "inaugure lève est lança lançou abre adquire inaugurou captou opent lanceert neemt "
    "haalt opende öppnar lanserar förvärvar tar apre lancia acquisisce inaugura "
    "otwiera uruchamia przejmuje pozyskuje"))


def _subject_name(text: str) -> str | None:
    """The capitalised name a text starts with, when it is one ("Grupo Hortamar adquiere",
    "Sterling raised"), not a capitalised first word ("Raised a Series B")."""
    lead = _LEAD_NAME.match(text)
    if not lead:
        return None
    words = lead.group(1).split()
    following = _WORD.findall(text[lead.end():])[:1]
    if len(words) >= 2 or (following and following[0] in _EVENT_VERBS):
        return lead.group(1).strip() if len(words) <= 4 else None
    return None


#: A capitalised token of a name ("Co-operative", "A/S", "Hauts-de-France", "&").
_NAME_TOKEN = re.compile(r"[A-ZÀ-ÝŁŚŻŹĆŃØÆÅ][\w'’./&-]*|&")
#: Small words inside a company name ("Verreries du Hainaut", "Zamek w Dobrogórze"), kept
#: only when a capitalised word follows them.
_PARTICLES = frozenset(_split("de du des la le di del della van von der den of w i y e et und"))
#: Capitalised words that open a news line without being part of the name in it.
_NOT_NAME = frozenset(_split("former ex new interview intervju wywiad report news update"))


def _lead_name_words(text: str) -> list[str]:
    """The words of the capitalised name a text opens with ("Biobank Nordland AS in Tromsø
    erhält …" → biobank, nordland), legal forms and opening words left out; stops at the
    first lower-case word, bracket or colon."""
    words: list[str] = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        bare = token.rstrip(",:;(")
        if _NAME_TOKEN.fullmatch(bare):
            if not (bare.isupper() and len(bare) <= 4):  # "ARR", "CEO": not a name's word
                words.append(_bare(bare))
        elif token.lower() in _PARTICLES and i + 1 < len(tokens) and \
                _NAME_TOKEN.match(tokens[i + 1]):
            continue
        else:
            break
        if bare != token:  # "Thistlewood Clinical (Leeds)", "Acme:" end the name
            break
    return [w for w in words if w and w not in _LEGAL and w not in _NOT_NAME
            and len(w) > 2 and not w.isdigit()]


def _bare(word: str) -> str:
    """A word lower-cased, without surrounding punctuation or a possessive ("Crestline's")."""
    word = word.lower().strip(".,:;()'’")
    return re.sub(r"['’]s$", "", word)


def _own_words(prospect: ProspectIn) -> frozenset[str]:
    """The words that name the prospect's company: its name's and its domain's."""
    words = set(company_words(prospect.company))
    domain = (prospect.company_domain or "").lower().removeprefix("www.").split(".")[0]
    words.update(w for w in re.split(r"[-_]", domain) if len(w) > 2)
    return frozenset(words)


def _near(word: str, own: frozenset[str]) -> bool:
    """A near-miss spelling of one of ``own`` ("labosanté" for "labosana", "verreries" for
    "verrerie"): the same first five letters, or the same word but for its ending."""
    return any(word != o and len(word) >= 5 and len(o) >= 5 and
               (word[:5] == o[:5] or SequenceMatcher(None, word, o).ratio() >= 0.8)
               for o in own)


def other_company(fact: FactIn, prospect: ProspectIn) -> bool:
    """A company event whose subject is a name that is not the prospect's company.

    The subject is the name the fact opens with. It is the prospect's company when every one
    of its words names the company (its name or its domain: "Søndervig Foder" for "Søndervig
    Foder A/S"). A subject that shares a word with the prospect's name and adds another
    ("Norrsken Energi AB" for "Norrsken Kaffe AB", "Thistlewood Clinical" for "Thistledown
    Clinical Research"), or spells a word of it nearly ("Labosanté" for "Labosana"), is a
    different company, unless the fact also names the prospect's company in full. A subject
    sharing no word counts when the fact never names the prospect's company.
    """
    if fact.kind not in _COMPANY_KINDS or not company_words(prospect.company):
        return False
    text = clean_line(fact.text)
    own = _own_words(prospect)
    subject = _lead_name_words(text)
    lowered = {_bare(w) for w in _WORD.findall(text)}
    if subject and not company_words(prospect.company) <= lowered:
        extra = [w for w in subject if w not in own]
        if extra and (set(subject) & own or any(_near(w, own) for w in extra)):
            return True
    return not mentions_company(text, prospect) and _subject_name(text) is not None


def vague(fact: FactIn) -> bool:
    """Filler that a draft cannot state concretely (a year is no detail)."""
    text = clean_line(fact.text)
    return bool(_FILLER.search(text)) and not _numbers(text)


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text)
                     if not (len(n) == 4 and n.startswith("20")))  # years are not claims


def _topic(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:5] for w in _WORD.findall(text) if len(w) > 3)


def conflicting(facts: list[FactIn]) -> set[str]:
    """Ids of facts that state a different number for what looks like the same thing: two
    funding facts with different amounts, or two facts of one kind that share most of their
    words and not their numbers. Neither of a pair is used."""
    out: set[str] = set()
    for a, b in combinations(facts, 2):
        if a.kind != b.kind:
            continue
        if a.date and b.date and abs((a.date - b.date).days) > 120:
            continue  # a seed round and a Series B a year later are two events
        na, nb = _numbers(a.text), _numbers(b.text)
        if not na or not nb or na & nb:
            continue
        ta, tb = _topic(a.text), _topic(b.text)
        overlap = len(ta & tb) / max(1, min(len(ta), len(tb)))
        if a.kind == "funding" or overlap >= 0.4:
            out.update({a.id, b.id})
    out.update(_counted_apart(facts))
    return out


#: A number as written ("180 000", "1,2", "60+", "14 %") and the word it counts.
_COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0.,]\d{3})+|\d+(?:[.,]\d+)?)\s?(\+|%)?"
                    r"(?:\s?(?:tys\.|mio\.?|million|millions|mln|thousand|mil))?"
                    r"\s+([^\W\d_]{3,})(?:\s+([^\W\d_]{3,}))?")


#: A floor area however it is written ("600,000 sq ft", "a 450,000-square-foot building",
#: "12.000 m²", "8 000 mètres carrés"): one unit per system, so two areas are compared.
_AREA = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0.,]\d{3})+|\d+(?:[.,]\d+)?)[\s-]?"
    r"(?:(?P<ft>sq\.?\s?f(?:ee)?t\.?|sqft|square[\s-]f(?:oo|ee)t)|"
    r"(?P<m>m²|m2|sqm|sq\.?\s?m\b|square[\s-]met(?:er|re)s?|quadratmeter|qm\b|"
    r"m[eè]tres? carr[ée]s|metros? cuadrados|metros? quadrados|vierkante meter|metri quadri|"
    r"metr[óo]w kwadratowych|kvadratmeter))", re.IGNORECASE)


def _digits(number: str) -> str:
    """A number without its group and decimal marks ("180 000", "600,000" → "180000")."""
    return re.sub(r"[ \u00a0.,]", "", number)


def _counts(text: str) -> dict[str, str]:
    """Counted things in ``text`` and their numbers: "180 000 échantillons" → échan: 180000;
    a floor area under its unit ("600,000 sq ft" → sqft: 600000)."""
    out: dict[str, str] = {}
    for m in _AREA.finditer(text):
        out.setdefault("sqft" if m.group("ft") else "m2", _digits(m.group(1)))
    for m in _COUNT.finditer(text):
        number = _digits(m.group(1))
        if len(number) == 4 and number.startswith("20"):
            continue  # a year
        if m.group(2) == "%":
            continue  # a share of what? two percentages rarely count the same thing
        for word in (m.group(3), m.group(4)):  # "60 000 prover", "40 externen Kanzleien"
            if word:
                out.setdefault(word.lower()[:5], number)
    return out


def _counted_apart(facts: list[FactIn]) -> set[str]:
    """Two facts giving a different number of the same thing ("60 000 prover" and "95 000
    prover", "25 kancelariami" and "ponad 60 kancelarii"), whatever their kinds or wording."""
    out: set[str] = set()
    counted = [(f, _counts(clean_line(f.text))) for f in facts]
    for (a, ca), (b, cb) in combinations(counted, 2):
        if a.date and b.date and abs((a.date - b.date).days) > 400:
            continue
        if any(ca[unit] != cb[unit] for unit in ca.keys() & cb.keys()):
            out.update({a.id, b.id})
    return out


def screen_reason(fact: FactIn, prospect: ProspectIn) -> str | None:
    """Why a fact that passed the safety screen is still not about this prospect."""
    if other_person(fact, prospect):
        return "other_person"
    if other_company(fact, prospect):
        return "other_company"
    if vague(fact):
        return "vague"
    return None
