"""The name of the person a referral points to, with or without an address, in eleven languages.

A referral names the colleague in prose ("the person you need is Declan Moore, our warehouse
manager", "zuständig ist bei uns Frau Dr. Meier", "Prata med Eva Lund där"), often with an
address and sometimes only in Cc. Every run of capitalised words in the new text is a
candidate; the one with the most evidence of being that person wins:

- it matches the referral address ("declan.moore@", "jpuig@" for Jordi Puig, "tr@" for Thomas
  Riis) or the display name of a colleague in Cc;
- an honorific stands before it (Herr, Mme, Sra., dott.ssa, p., mevrouw …) or it stands right
  before the address ("Name <addr>", "Name: addr");
- a word that introduces a person stands before it ("my colleague", "talk to", "+Jordan").

The reader's and the writer's own names (the greeting, the sign-off, the From and To display
names) are not candidates, nor are runs holding a weekday, a greeting, a role or an organisation
word ("Head of Security", "Unidad de Contratación"). A single word needs evidence; two or more
need none. Polish case endings after a preposition are put back in the nominative ("z Panią
Anną Kowalską" is Anna Kowalska), guided by the address when there is one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cadenza.replies.classify import name_lexicon as words
from cadenza.replies.classify.name_grammar import ON_BEHALF, described, introduced


def fold(word: str) -> str:
    """Lower case without accents: "Lefèvre" and "lefevre" are one name."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_HONORIFICS = words.HONORIFICS
_TITLE_FORMS = words.TITLE_FORMS
_PARTICLES = words.PARTICLES
_GREETINGS = _folded(words.GREETINGS)
_SIGN_OFFS = _folded(words.SIGN_OFFS)
_STOP = _folded(words.STOP)
_ROLE_OR_ORG = _folded(words.ROLE_OR_ORG)
# "Ana Ribeiro, Payroll Operations Lead", "Kasper Riis | Head of IT": a name with its title
_TITLE_AFTER = re.compile(r"[ \t]*(?:,|\||–|—|-|\()[ \t]*([^\n,.;|()]{2,50})")
# Capitalised particles inside a name ("Ahmed El Amrani", "Marco Di Stefano")
_INNER_PARTICLES = frozenset({"el", "al", "ben", "bin", "abu", "de", "da", "di", "del", "della",
                              "van", "von", "le", "la", "du", "dos", "das", "ter", "ten"})
# Heads of German and Nordic compounds naming a team or a role ("Datenteam", "HR-chef")
_COMPOUND_HEADS = ("team", "abteilung", "leiter", "leiterin", "leitung", "chef", "sjef",
                   "afdeling", "avdelning", "avdeling", "manager", "direktor", "bereich")
_ACRONYM_ROLES = frozenset({"hr", "it", "vp", "ceo", "cfo", "cto", "cio", "coo", "cmo", "cpo"})
# Polish-only letters: a Polish sentence whatever the detector says of a short reply
# Stop words that are first names as well ("hans" is "his" in Danish, "mia" "my" in Italian):
# capitalised before another name word they are the name ("Talk to Hans Wolters")
_NAME_HOMOGRAPHS = frozenset({"hans", "mia"})
_POSSESSIVE = re.compile(r"(?<=\w)['’]s$")
#: A place preposition right before a capitalised word: what follows is a place.
_LOCATIVE = re.compile(r"\b(?:in|at|en|à|au|i|på|bei|im|w|we|na|em|no|nel|op|te|from|aus|"
                       r"van|för|fra|från)\s*$")
_POLISH_LETTERS = re.compile(r"[ąęłńśźżć]")
_EMAIL_AT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?\.?|[+<(:,;!?\n]|@")
_POLISH_TITLES = frozenset({"p", "pan", "pani", "pana", "panią", "panem", "panu", "panie"})
_POLISH_FEMININE = (("ską", "ska"), ("cką", "cka"), ("dzką", "dzka"), ("skiej", "ska"),
                    ("ckiej", "cka"), ("ę", "a"), ("ą", "a"))
_POLISH_MASCULINE = (("skiego", "ski"), ("ckiego", "cki"), ("skim", "ski"), ("ckim", "cki"),
                     ("skiemu", "ski"), ("owi", ""), ("iem", ""), ("em", ""), ("a", ""),
                     ("u", ""))


# Elided articles before a title: French and Italian ("l'ing.", "all'avv."), not "cc'd"
_ELIDED = frozenset({"l", "d", "all", "dall", "dell", "nell", "sull", "coll"})


@dataclass
class _Candidate:
    words: list[str]
    start: int
    end: int
    honorific: str | None
    score: float = 0.0


def name_key(name: str) -> str:
    """A name as compared: folded, honorifics before it dropped ("Frau Dr. Meier" is "meier")."""
    words = [w.strip(".,") for w in name.replace("\u00a0", " ").split()]
    while len(words) > 1 and words[0].casefold().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(fold(w) for w in words if w)


def referral_name(text: str, *, email: str | None = None,
                  cc_names: Sequence[str] = (), exclude: Iterable[str] = (),
                  language: str | None = None, copied_name: str | None = None) -> str | None:
    """The referred person's name in the new text of a referral, or ``None``.

    ``email`` is the referral address when there is one; ``cc_names`` the display names of the
    third parties in To and Cc; ``exclude`` the names of the writer and of our side;
    ``copied_name`` the display name of the referral address when it was found only in Cc
    (the answer when the text names no one).
    """
    excluded = _excluded_names(text, exclude)
    candidates = [c for c in _candidates(text) if not _is_excluded(c, excluded)]
    local = email.split("@", 1)[0].lower() if email else ""
    address = email.lower() if email else ""
    at = text.lower().find(address) if address else -1
    cc_keys = [name_key(n).split() for n in cc_names if n and len(name_key(n)) > 1]
    best: _Candidate | None = None
    for c in candidates:
        keys = [fold(w) for w in c.words]
        if local and _matches_local(keys, local):
            c.score += 4
        if any(set(keys) & set(cc) for cc in cc_keys):
            c.score += 4
        if c.honorific:
            c.score += 3
        evidence = c.score
        before = text[max(0, c.start - 40): c.start].lower()
        if ON_BEHALF.search(before):
            continue
        if introduced(before) or _titled(text, c.end) or (
                described(text, c.end) and not _LOCATIVE.search(before)):
            evidence += 2  # ("our office in Madrid handles this": a place, not a person)
        c.score = evidence
        if at >= 0 and 0 <= at - c.end <= 4:
            c.score += 3  # "Name <addr>", "Name: addr"
        if len(c.words) >= 2:
            c.score += 1
        elif evidence < 2:
            continue  # one capitalised word is anything ("Escríbeles a compras@…")
        if best is None or c.score > best.score:
            best = c
    cc_full = [n for n in cc_names if n and len(name_key(n).split()) >= 2]
    if best is None:
        # "I've copied the right person": the colleague is only in Cc
        return _clean_display(copied_name) if copied_name else None
    if len(best.words) == 1:
        # "Try Steffen in our analytics unit (Steffen Mølgaard)": the full name written later
        first = fold(best.words[0])
        fuller = [c for c in candidates if len(c.words) >= 2 and fold(c.words[0]) == first]
        if fuller:
            best = fuller[0]
    words = _nominative(best.words, local, best.honorific, language,
                        polish=bool(_POLISH_LETTERS.search(text)))
    words = [*words[:-1], _POSSESSIVE.sub("", words[-1])]  # "Mark's team" names Mark
    if len(words) == 1:
        # "+Jordan (cc'd)": the full name from Cc; "Herr Krüger": the surname with its title
        single = fold(words[0])
        for name in cc_full:
            if single in name_key(name).split():
                return _clean_display(name)
        title = _unelided(best.honorific or "").casefold().rstrip(".")
        if title and title not in _POLISH_TITLES:
            return f"{_TITLE_FORMS.get(title, _title_case(_unelided(best.honorific or '')))} " \
                   f"{words[0]}"
    return " ".join(words)


def _candidates(text: str) -> list[_Candidate]:
    """Runs of capitalised words (with particles inside), each with the honorific before it."""
    found: list[_Candidate] = []
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        honorific = None
        j = i
        while j < len(tokens) and _is_honorific(tokens[j].group()) and j + 1 < len(tokens) \
                and _adjacent(text, tokens[j], tokens[j + 1]):
            honorific = honorific or tokens[j].group()
            j += 1
        words: list[str] = []
        start = tokens[j].start() if j < len(tokens) else 0
        end = start
        k = j
        while k < len(tokens):
            word = tokens[k].group().rstrip(".")
            if words and _is_honorific(tokens[k].group()) and not (
                    word.islower() and word in _PARTICLES):
                break  # "Dear Mr Brandt": the title opens the next candidate
            if _is_name_word(word) and (not words or _adjacent(text, tokens[k - 1], tokens[k])):
                words.append(word)
                end = tokens[k].end()
                k += 1
                if tokens[k - 1].group().endswith(".") and len(word) > 1:
                    break  # "… is Jordi Puig. Te paso su correo": the sentence ends
                continue
            if words and word.lower() in _PARTICLES:
                # "Floor van der Meulen": particles count when a name word follows them
                n = k
                while n < len(tokens) and tokens[n].group().lower() in _PARTICLES \
                        and _adjacent(text, tokens[n - 1], tokens[n]):
                    n += 1
                if n < len(tokens) and _adjacent(text, tokens[n - 1], tokens[n]) \
                        and _is_name_word(tokens[n].group().rstrip(".")):
                    words.extend(t.group() for t in tokens[k:n])
                    k = n
                    continue
            break
        if words:
            for run in _split_runs(words):
                found.append(_Candidate(run, text.find(run[0], start), end, honorific))
            i = k
        else:
            i = max(j, i) + 1
    return found


def _split_runs(words: list[str]) -> list[list[str]]:
    """A run without its stop words (which split it); none when it names a role or a body."""
    if any(_is_role(fold(w)) for w in words):
        return []
    runs: list[list[str]] = [[]]
    for index, word in enumerate(words):
        key = fold(word)
        if word.islower() and key in _PARTICLES:
            runs[-1].append(word)
        elif key in _INNER_PARTICLES and runs[-1] and index + 1 < len(words) \
                and _is_name_word(words[index + 1]):
            runs[-1].append(word)  # "Ahmed El Amrani": a particle between two name words
        elif _is_compound_role(key):
            runs.append([])  # "vår HR-chef Maria Berg": the role before the name
        elif (key in _STOP or key in _GREETINGS or key in _SIGN_OFFS) and not (
                key in _NAME_HOMOGRAPHS and index + 1 < len(words)
                and _is_name_word(words[index + 1])):
            runs.append([])
        else:
            runs[-1].append(word)
    trimmed = []
    for run in runs:
        while run and run[-1].islower():
            run = run[:-1]  # a particle the stop word cut from its name
        while run and run[0].islower():
            run = run[1:]
        if _real(run):
            trimmed.append(run)
    return trimmed


def _is_role(key: str) -> bool:
    """A role or organisation word, inflected too ("des Kanzlers", "Directors")."""
    return key in _ROLE_OR_ORG or (len(key) >= 5 and any(
        key.startswith(r) and len(key) - len(r) <= 2 for r in _ROLE_OR_ORG if len(r) >= 5))


def _is_compound_role(key: str) -> bool:
    """A compound naming a team or a role: "hr-chef", "devops-lead", "datenteam"."""
    parts = key.split("-")
    if len(parts) > 1:
        return any(p in _ROLE_OR_ORG or p in _ACRONYM_ROLES for p in parts)
    return any(key.endswith(h) and len(key) - len(h) >= 4 for h in _COMPOUND_HEADS)


def _titled(text: str, end: int) -> bool:
    """Whether a role follows the name on its line: "Ana Ribeiro, Payroll Operations Lead"."""
    m = _TITLE_AFTER.match(text, end)
    return m is not None and any(w[:1].isupper() and _is_role(fold(w.strip("&")))
                                 for w in m.group(1).split()[:5])


def _real(words: list[str]) -> bool:
    return any(w.lower() not in _PARTICLES for w in words)


def _is_name_word(word: str) -> bool:
    """A capitalised word with a lower-case letter: not "CFO", not "of"."""
    stem, apostrophe, tail = word.replace("’", "'").partition("'")
    if apostrophe and tail.islower() and len(tail) <= 2 and (len(stem) == 1 or fold(stem) in _STOP):
        return False  # "I'll", "We're", "It's": a contraction opens a sentence
    return (len(word) >= 2 and word[0].isupper() and any(c.islower() for c in word)
            and not any(c.isdigit() for c in word))


def _is_honorific(word: str) -> bool:
    if word.rstrip(".").isupper() and len(word.rstrip(".")) > 1:
        return False  # "I'm HR. Try Steffen": a department in capitals, not Danish "hr."
    word = _unelided(word).casefold()
    return word.rstrip(".") in _HONORIFICS or word in _HONORIFICS


def _unelided(word: str) -> str:
    """"l'ing." is "ing.", "all'avv." is "avv." (an elided article is no part of a title)."""
    head, sep, tail = word.replace("’", "'").partition("'")
    return tail if sep and head in _ELIDED and tail else word


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Only spaces between two tokens (no comma, no line break)."""
    gap = text[a.end(): b.start()]
    return gap.strip(" \t\u00a0") == "" and "\n" not in gap and len(gap) <= 3


def _excluded_names(text: str, exclude: Iterable[str]) -> list[set[str]]:
    """The names (each a set of folded words) of the writer, of our side, of the person
    greeted and of the signature: a candidate within one of them is not the referral."""
    names = [set(name_key(n).split()) for n in exclude if n and name_key(n)]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        head = re.split(r"[,:;!?]|\s[-–]\s", lines[0], maxsplit=1)[0].split()[:6]
        if head and fold(head[0]) in _GREETINGS:
            names.append({fold(w) for w in head[1:5] if w[:1].isupper() and not _is_honorific(w)})
        elif 0 < len(head) <= 3 and lines[0].rstrip().endswith((",", ":")):
            names.append({fold(w) for w in head if w[:1].isupper() and not _is_honorific(w)})
    for index in range(max(1, len(lines) - 5), len(lines)):
        words = lines[index].split()
        if len(words) <= 5 and any(fold(w.strip(",.!")) in _SIGN_OFFS for w in words[:4]):
            for rest in lines[index:index + 4]:
                names.append({fold(w.strip(",.|")) for w in rest.split() if w[:1].isupper()})
            break
    if len(lines) > 1 and len(lines[-1].split()) <= 3 and not _EMAIL_AT.search(lines[-1]):
        names.append({fold(w.strip(",.")) for w in lines[-1].split() if w[:1].isupper()})
    return [n - {""} for n in names if n - {""}]


def _is_excluded(c: _Candidate, excluded: list[set[str]]) -> bool:
    keys = {fold(w) for w in c.words if w.lower() not in _PARTICLES}
    return not keys or any(keys <= name for name in excluded)


def _matches_local(keys: list[str], local: str) -> bool:
    """Whether an address's local part is this person's: "declan.moore", "jpuig", "tr"."""
    parts = [p for p in re.split(r"[._+-]|\d+", local) if p]
    names = [k for k in keys if k not in _PARTICLES]
    for key in names:
        if len(key) >= 3 and (key in parts or any(
                len(p) >= 4 and key.startswith(p) and len(key) - len(p) <= 6 for p in parts)
                or (len(key) >= 4 and key in local)):
            return True
    initials = "".join(k[0] for k in names)
    return len(names) >= 2 and local in (initials, names[0][0] + names[-1][:2],
                                         names[0][0] + names[-1])


def _nominative(words: list[str], local: str, honorific: str | None,
                language: str | None, *, polish: bool = False) -> list[str]:
    """Polish names after a preposition, back in the nominative ("p. Tomasza Nowaka").

    Only where the case shows: a feminine -ą/-ę/-skiej ending, an oblique masculine title
    (pana, panem, panu), or the address spelling the name shorter ("t.nowak" for "Nowaka").
    """
    title = (honorific or "").casefold().rstrip(".")
    if language != "pl" and title not in _POLISH_TITLES and not polish:
        return words
    parts = [p for p in re.split(r"[._+-]|\d+", local) if len(p) >= 3]
    feminine = title in ("pani", "panią") or any(
        w.endswith(("ą", "ę", "skiej", "ckiej")) for w in words)
    out: list[str | None] = []
    masculine = title in ("pana", "panem", "panu")
    for word in words:
        key = fold(word)
        guide = next((p for p in parts if key.startswith(p) and len(key) > len(p)), None)
        if guide and not feminine:
            out.append(word[:len(guide)])
            masculine = True
        else:
            out.append(None)
    endings = _POLISH_FEMININE if feminine else _POLISH_MASCULINE if masculine else ()
    result = []
    for word, guided in zip(words, out, strict=True):
        if guided is not None:
            result.append(guided)
            continue
        for suffix, replacement in endings:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: len(word) - len(suffix)] + replacement
                if feminine or replacement or stem[-1] not in "aeiouyąę":
                    word = _fleeting_e(stem, parts)
                break
        result.append(word)
    return result


def _fleeting_e(stem: str, parts: list[str]) -> str:
    """"Pawłem" loses its -em as "Pawł", but the nominative is "Paweł" (as "Marka" is "Marek"):
    the e comes back when the address spells the name with it ("pawel.lewandowski")."""
    key = fold(stem)
    if len(key) >= 3 and key[:-1] + "e" + key[-1] in parts:
        return stem[:-1] + "e" + stem[-1]
    return stem


def _clean_display(name: str) -> str:
    words = name.replace('"', "").split()
    while len(words) > 1 and _is_honorific(words[0]):
        words = words[1:]
    return " ".join(words)


def _title_case(word: str) -> str:
    return word[:1].upper() + word[1:]
