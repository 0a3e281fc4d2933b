"""A draft's text as lines and sentences, the way a reader takes it in.

The fluency check, the drafter's de-duplication of sentences and the sequence plan all need the
same cut: the greeting line and a bare sign-off are no sentences, "Inc." and "e.g." end no
sentence, and a meeting link ends its sentence without a full stop.
"""

from __future__ import annotations

import re

#: Greeting words and the languages they belong to.
GREETING_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("hi", "hello", "hey", "dear"), frozenset({"en"})),
    **dict.fromkeys(("hallo",), frozenset({"de", "nl"})),
    **dict.fromkeys(("guten", "liebe", "lieber", "moin"), frozenset({"de"})),
    **dict.fromkeys(("bonjour", "salut", "cher", "chère"), frozenset({"fr"})),
    **dict.fromkeys(("hola", "estimado", "estimada", "buenos", "buenas"), frozenset({"es"})),
    **dict.fromkeys(("olá", "oi", "prezado", "prezada"), frozenset({"pt"})),
    **dict.fromkeys(("beste", "hoi", "geachte", "goedemorgen", "goedemiddag"),
                    frozenset({"nl"})),
    **dict.fromkeys(("buongiorno", "gentile", "gentilissima", "gentilissimo", "salve",
                     "ciao", "egregio", "egregia"), frozenset({"it"})),
    **dict.fromkeys(("dzień", "szanowny", "szanowna", "szanowni", "witam", "cześć"),
                    frozenset({"pl"})),
    **dict.fromkeys(("hej",), frozenset({"sv", "da"})),
    **dict.fromkeys(("hei", "kjære"), frozenset({"no"})),
    **dict.fromkeys(("hallå", "bästa"), frozenset({"sv"})),
    **dict.fromkeys(("kære",), frozenset({"da"})),
}
_ABBREVIATIONS = frozenset({
    "inc", "ltd", "co", "corp", "st", "dr", "mr", "ms", "mrs", "vs", "jr", "sr", "no", "nr",
    "mio", "mrd", "tsd", "ca", "bzw", "approx", "dept", "prof", "e.g", "i.e", "etc", "u.s",
    "u.k", "n.v", "b.v", "s.a", "p.m", "a.m", "est", "z.b", "d.h", "u.a", "sra"})
_BREAK = re.compile(r"(?<=[.!?])[\"'”»)]?\s+")


def is_greeting(line: str) -> bool:
    """A salutation line: "Hi Zoë,", "Guten Tag,", "Hola María José,"."""
    text = line.strip()
    if not text or len(text.split()) > 5:
        return False
    first = text.split(" ", 1)[0].rstrip(",!:").lower()
    return text.endswith((",", "!", ":")) and (first in GREETING_WORDS or len(text.split()) <= 3)


def split_lines(text: str) -> list[str]:
    """The lines of a draft that hold sentences: no greeting, no bare sign-off ("Mara")."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if lines and is_greeting(lines[0]):
        lines = lines[1:]
    if lines and len(lines[-1].split()) <= 3 and not lines[-1].endswith((".", "!", "?", ":")):
        lines = lines[:-1]
    return lines


def sentences(line: str) -> list[str]:
    """The sentences of one line (a full stop after an abbreviation or initial ends none)."""
    out: list[str] = []
    start = 0
    for m in _BREAK.finditer(line):
        before = line[start:m.start()].rstrip()
        last = before.split()[-1] if before.split() else ""
        bare = last.rstrip(".!?").lower()
        if last.endswith(".") and (bare in _ABBREVIATIONS or len(bare) == 1):
            continue
        out.append(line[start:m.end()].strip())
        start = m.end()
    if line[start:].strip():
        out.append(line[start:].strip())
    return out


def text_sentences(text: str) -> list[str]:
    """Every sentence of a draft's main text, in order (greeting and sign-off left out)."""
    return [s for line in split_lines(text) for s in sentences(line)]


def _key(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower()))


def repeated_sentences(text: str, earlier: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Sentences of ``text`` said twice in it, or already said in one of the ``earlier``
    touches of the same sequence (their main text, footers left out).

    Reviewers of round 3 scored "the same sentence twice in a row" and "steps 2 and 4 copy
    step 1 word for word" 1 out of 5. Only full sentences of four words or more count: "Glad
    to connect." may close two LinkedIn notes, a footer is the same in every email by law."""
    seen = {_key(s) for body in earlier for s in text_sentences(body) if _counts(s)}
    found: list[str] = []
    for sentence in text_sentences(text):
        if not _counts(sentence):
            continue
        key = _key(sentence)
        if key in seen and sentence not in found:
            found.append(sentence)
        seen.add(key)
    return found


def _counts(sentence: str) -> bool:
    return sentence.rstrip("\"'”»)").endswith((".", "!", "?")) and len(sentence.split()) >= 4
