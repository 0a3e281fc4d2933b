"""The fast forms of the safety detectors find exactly what their plain forms find.

The sensitive-topic alternation is grouped by first letter, the instruction alternation is
guarded by where a match can start, URL and email searches skip text that cannot hold one, ASCII
text is cleaned without a pass per character, and the checker remembers the words of a sender
profile. Each is compared here with the plain regex or loop it replaces, on the shipped
adversarial dataset and on random text built from the patterns' own words.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import string
import unicodedata
from collections.abc import Iterator
from re import _constants as _c  # the regex parser: to read what a pattern starts with
from re import _parser
from typing import Any

import pytest

from cadenza.evals.datasets import dataset_file
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing import facts, safety, sensitive
from cadenza.writing.checker import check_draft
from cadenza.writing.composing import assemble_email, to_html
from cadenza.writing.drafting import Draft, DraftRequest

PLAIN_SENSITIVE = re.compile(
    r"(?<!\w)(?:" + "|".join(p for ps in sensitive.SENSITIVE_PATTERNS.values() for p in ps) + ")",
    re.IGNORECASE,
)
PLAIN_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in safety._INSTRUCTION_PATTERNS),
                               re.IGNORECASE | re.DOTALL)
#: Characters the regex engine folds onto an ASCII letter under IGNORECASE, beyond its case.
FOLDS = {"i": "İı", "s": "ſ", "k": "\u212a"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _dataset_texts() -> list[str]:
    texts: list[str] = []
    for name in ("prospects.jsonl", "expected.jsonl"):
        for line in dataset_file("prospects", name).read_text("utf-8").splitlines():
            if line.strip():
                texts.extend(_strings(json.loads(line)))
    texts.extend(_strings(json.loads(dataset_file("prospects", "sender.json").read_text("utf-8"))))
    return texts


def _fragments(patterns: list[str]) -> list[str]:
    """The literal words of ``patterns`` (regex syntax turned into spaces)."""
    words: set[str] = set()
    for pattern in patterns:
        words.update(re.sub(r"\\[bdwsS]|[\\()?:*+|\[\]{}^$.!<>=#/]", " ", pattern).split())
    return sorted(words)


def _random_texts(patterns: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = [*_fragments(patterns), "the", "Acme", "you", "are", "now", "an", "AI", "to", "in",
             "email", "instructions", "ignore", "previous", "all", "of", "<", ">", "{{", "[",
             "]", "###", "<|im_start|>", "2026"]
    seps = [" ", " ", " ", "", "-", ".", ". ", "\n", "_", "1", ", ", "'", "’", ": "]
    out: list[str] = []
    for _ in range(n):
        parts: list[str] = []
        for _ in range(rng.randint(1, 14)):
            word = rng.choice(words)
            roll = rng.random()
            if roll < 0.15:
                word = word.upper()
            elif roll < 0.3:
                word = word.title()
            elif roll < 0.4:
                word = "".join(rng.choice(FOLDS.get(c, c) + c) for c in word)
            elif roll < 0.45 and len(word) > 2:
                cut = rng.randrange(1, len(word))
                word = word[:cut] + rng.choice(string.ascii_letters + "é") + word[cut:]
            parts.append(word + rng.choice(seps))
        out.append("".join(parts))
    return out


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def test_sensitive_alternation_is_grouped() -> None:
    assert sensitive._SENSITIVE_RE.pattern != PLAIN_SENSITIVE.pattern  # the fast form is in use


def test_grouping_letters_never_match_the_same_character() -> None:
    # Patterns with different first letters can never both match at one place: no character
    # equals two ASCII letters under IGNORECASE (checked over every code point).
    everything = "".join(map(chr, range(0x110000)))
    for ch in set(re.findall("[a-z]", everything, re.IGNORECASE)):
        letters = [c for c in string.ascii_lowercase if re.fullmatch(c, ch, re.IGNORECASE)]
        assert len(letters) == 1, (ch, letters)


def test_top_level_bar() -> None:
    assert sensitive._top_level_bar("a|b")
    assert sensitive._top_level_bar("ab(?:c)|d")
    for pattern in ("(a|b)c", "[|]a", r"a\|b", "a[]|]b", "a[^]|]b", r"a(?:b|c)?\b"):
        assert not sensitive._top_level_bar(pattern), pattern
    assert sensitive._alternation_by_first_letter(["ab", "s?x"]) is None
    assert sensitive._alternation_by_first_letter(["ab|c"]) is None
    assert sensitive._alternation_by_first_letter([r"\bere\b", "ex"]) == r"e(?:re\b|x)"


def test_sensitive_matches_equal_plain_alternation() -> None:
    patterns = [p for ps in sensitive.SENSITIVE_PATTERNS.values() for p in ps]
    texts = _dataset_texts() + _random_texts(patterns, 4000, seed=7)
    found = 0
    for text in texts:
        expected = _spans(PLAIN_SENSITIVE, text)
        assert _spans(sensitive._SENSITIVE_RE, text) == expected, text
        found += bool(expected)
    assert found > 500  # the random texts do hit the patterns


def _first_chars(seq: list[Any]) -> set[int] | None:
    """The characters a parsed regex can consume first; ``None`` when that is not a short list
    (a category, a range, ``.``, or possibly nothing at all)."""
    if not seq:
        return None
    op, av = seq[0]
    rest = list(seq[1:])
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _first_chars(rest)
    if op is _c.LITERAL:
        return {av}
    if op is _c.IN:
        return {a for o, a in av} if all(o is _c.LITERAL for o, _ in av) else None
    if op is _c.SUBPATTERN:
        return _first_chars(list(av[3].data) + rest)
    if op is _c.BRANCH:
        found: set[int] = set()
        for branch in av[1]:
            chars = _first_chars(list(branch.data) + rest)
            if chars is None:
                return None
            found |= chars
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, _, item = av
        chars = _first_chars(list(item.data) + rest)
        if low == 0:
            skipped = _first_chars(rest)
            return None if chars is None or skipped is None else chars | skipped
        return chars
    return None


def test_instruction_patterns_start_where_the_guard_looks() -> None:
    # The guard lets the engine try the patterns only before "<", "[", "#" or at a word start:
    # so every pattern must begin with \b and a word character, or with one of those three.
    for pattern in safety._INSTRUCTION_PATTERNS:
        parsed = _parser.parse(pattern, re.IGNORECASE | re.DOTALL).data
        chars = _first_chars(parsed)
        assert chars, pattern
        if parsed[0] == (_c.AT, _c.AT_BOUNDARY):
            assert all(re.fullmatch(r"\w", chr(c)) for c in chars), pattern
        else:
            assert {chr(c) for c in chars} <= set("<[#"), pattern


def test_instruction_matches_equal_plain_alternation() -> None:
    texts = _dataset_texts() + _random_texts(list(safety._INSTRUCTION_PATTERNS), 4000, seed=11)
    found = 0
    for text in texts:
        expected = _spans(PLAIN_INSTRUCTION, text)
        assert _spans(safety._INSTRUCTION_RE, text) == expected, text
        assert safety.has_instruction(text) == bool(PLAIN_INSTRUCTION.search(text))
        found += bool(expected)
    assert found > 300


def test_email_fast_paths_equal_plain_search() -> None:
    rng = random.Random(3)
    pieces = ["see", "acme.com", "www.x", "https://a.io/x", "mail", "a@b.example", "x.yz", ".",
              ":", "::", "+1 503-555-0142", "2024-2026", "ftp:x", "a.b.c.de", "foo.", "Inc.",
              "@", "email:me", "'", "\"", "<", ">", "data:text", "4.5"]
    texts = _dataset_texts() + ["".join(rng.choice(pieces) + rng.choice([" ", "", "\n", ","])
                                        for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    for text in texts:
        assert safety.emails(text) == safety.EMAIL_RE.findall(text), text
        assert safety.without_emails(text) == safety.EMAIL_RE.sub(" ", text), text


def _plain_strip_invisible(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = safety._INVISIBLE.sub("", text)
    return "".join(ch if (ch in "\n\t" or unicodedata.category(ch)[0] != "C") else " "
                   for ch in text)


def test_ascii_shortcut_cleans_like_the_full_pass() -> None:
    rng = random.Random(5)
    every_ascii = "".join(map(chr, range(128)))
    texts = [every_ascii, *every_ascii, *_dataset_texts()]
    texts += ["".join(rng.choice(every_ascii) for _ in range(rng.randint(0, 40)))
              for _ in range(2000)]
    for text in texts:
        assert safety.strip_invisible(text) == _plain_strip_invisible(text), repr(text)
        assert safety.clean_line(text) == re.sub(r"\s+", " ",
                                                 _plain_strip_invisible(text)).strip()


def _sender(**extra: Any) -> SenderProfile:
    return SenderProfile.model_validate({
        "company": "Slotwise", "product_name": "Slotwise",
        "postal_address": "1 Main St, Springfield",
        "proof_points": [{"id": "pp1", "text": "cut pick times 30% at Kestrel Freight"}], **extra})


@pytest.mark.parametrize("first", [True, False])
def test_checker_remembers_each_sender_apart(first: bool) -> None:
    """A name the sender's profile authorises is checked against that profile only."""
    with_kestrel, without = _sender(), _sender(proof_points=[])
    prospect = ProspectIn(id="p1", email="a@acme.example", first_name="Dana", company="Acme")
    main = ("Hi Dana,\n\nTeams like yours lose hours to manual slotting every week, and the "
            "fixes rarely stick. We helped Kestrel Freight cut that work with Slotwise and "
            "would like to show you how it could look for Acme.\n\nWorth a short call?")
    order = [with_kestrel, without] if first else [without, with_kestrel]
    results = {}
    for sender in order:
        request = DraftRequest(prospect=prospect, sender=sender, step_number=1,
                               channel="email", template="email_opener",
                               today=dt.date(2026, 11, 24))
        body = assemble_email(main, sender, "en")
        draft = Draft(channel="email", subject="pick times", body=body, html=to_html(body),
                      template="email_opener", drafter="test")
        report = check_draft(draft, prospect=prospect, sender=sender, request=request)
        results[id(sender)] = report.checks["grounding"]
    assert results[id(with_kestrel)] is True
    assert results[id(without)] is False


def test_mentions_word_equals_the_regex() -> None:
    rng = random.Random(9)
    alphabet = ["a", "b", "A", "_", " ", "-", "1", "é", "'", "ab", "b a", "\n", "ſ", "."]
    needles = ["", "a", "ab", "b a", "A", "a-b", "é", "_a", "ab.", "Zoë", "O'Neil"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet + needles) for _ in range(rng.randint(0, 12)))
        needle = rng.choice(needles)
        expected = bool(re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text))
        assert facts.mentions_word(needle, text) is expected, (needle, text)


def test_tld_finder_equals_the_plain_alternation() -> None:
    """urlextract's TLD alternation, tried only where an ending can start and only with the
    endings whose first two characters fit, finds exactly what the whole alternation finds:
    dataset text, and random text of dots, endings, digits (the IPv4 endings), "localhost",
    non-Latin endings and the letters IGNORECASE folds onto ASCII."""
    from cadenza.writing.links import _extractor

    finder = _extractor()._tlds_re
    plain: re.Pattern[str] = finder.pattern
    rng = random.Random(17)
    pieces = [".", ".", "..", "l", "L", "localhost", "LocalHost", ".com", ".COM", ".Co",
              ".test", ".example", ".рф", ".中国", ".xn--p1ai", ".255", ".25", ".0", ".1.2",
              "ſe", ".ſe", ".\u212a", ".İt", ".ıt", "evil", "www", "/", ":", "@", " ", "\n",
              "a", "7", "-", "é", *FOLDS["i"], *string.ascii_letters]
    texts = [*_dataset_texts(),
             *("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
               for _ in range(6000))]
    for text in texts:
        assert finder.findall(text) == plain.findall(text), text


def _plain_unclosed_quotes(text: str) -> list[str]:
    """:func:`cadenza.writing.fluency.unclosed_quotes` as it was: a pass over every character."""
    from cadenza.writing.fluency import _PAIRS, _QUOTE_CLOSERS

    problems: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        stack: list[str] = []
        for i, ch in enumerate(para):
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            if ch == '"':
                if stack and stack[-1] == '"':
                    stack.pop()
                else:
                    stack.append('"')
            elif ch == "'" or ch == "‘":
                if not prev.isalnum() and nxt.isalnum():
                    stack.append("'")
                elif stack and stack[-1] == "'" and not nxt.isalnum():
                    stack.pop()
            elif ch == "’":
                if stack and stack[-1] == "'" and not nxt.isalnum():
                    stack.pop()
            elif ch == "“" and stack and stack[-1] == "„":
                stack.pop()
            elif ch == "«" and stack and stack[-1] == "»r":
                stack.pop()  # »…« (German, Danish): before « is taken as an opener
            elif ch in _PAIRS:
                stack.append(ch)
            elif ch in _QUOTE_CLOSERS:
                if stack and (_PAIRS.get(stack[-1]) == ch or (stack[-1], ch) == ("„", "”")):
                    stack.pop()  # Polish „…”
                elif ch == "»" and not stack:
                    stack.append("»r")
                elif ch in ")]":
                    problems.append(f"unmatched {ch!r}")
        problems.extend(f"quote {q.rstrip('r')!r} not closed" for q in stack)
    return problems


def test_unclosed_quotes_looks_only_at_quote_characters() -> None:
    """Walking the quote and bracket characters only finds what the pass over every character
    found: dataset text, and random text of quotes, brackets, letters, digits and breaks."""
    from cadenza.writing.fluency import unclosed_quotes

    rng = random.Random(29)
    pieces = [*'"\'‘’“”„«»‹›‚()[]', "a", "B", "7", " ", "\n", "\n\n", "é", "-", "’s"]
    texts = [*_dataset_texts(),
             *("".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
               for _ in range(5000))]
    for text in texts:
        assert unclosed_quotes(text) == _plain_unclosed_quotes(text), text
