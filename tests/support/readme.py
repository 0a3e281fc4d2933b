"""The shell examples of README.md, read the way a person reads them.

Every fenced ``bash``/``sh``/``shell`` block is examples (a ``console`` block: only its ``$ ``
lines); a command may span lines with a trailing backslash, ``#`` starts a comment, and ``;`` or
``&&`` join commands on one line. The README writes several commands as one, in a notation this
module expands:

- ``[--json]`` — optional: the command is run without it and with it;
- ``list|show`` — alternatives inside a word: each is run;
- ``cadenza enrollments pause ID … | resume ID | stop ID -w acme`` — a spaced ``|`` separates
  alternatives after ``cadenza GROUP``; a ``-w``/``--workspace`` ending the last one applies to
  every one (the README has no real pipelines in these blocks);
- ``ID``, ``REPLY_ID``, ``DELIVERY_ID``, ``VALUE`` and ``…`` are placeholders for the runner
  to fill; ``list`` takes no id, so ``list|show ID`` means ``list`` or ``show ID``.
"""

from __future__ import annotations

import itertools
import re
import shlex
from dataclasses import dataclass

SHELL_BLOCKS = frozenset({"bash", "sh", "shell", "console"})
PLACEHOLDERS = frozenset({"ID", "REPLY_ID", "DELIVERY_ID", "VALUE"})
_FENCE = re.compile(r"^```\s*([\w+-]*)")


@dataclass(frozen=True)
class Example:
    """One command of a README block: the line it starts on and its text (comments cut)."""

    line: int
    text: str


def _cut_comment(line: str) -> str:
    """The line without a ``#`` comment (a ``#`` inside quotes or a word is kept)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def _split_commands(text: str) -> list[str]:
    """``a; b`` and ``a && b`` as separate commands (outside quotes)."""
    parts, quote, start, i = [], "", 0, 0
    while i < len(text):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";" or text.startswith("&&", i):
            parts.append(text[start:i])
            i += 1 if ch == ";" else 2
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def shell_examples(markdown: str) -> list[Example]:
    """Every command of every shell block, in README order, with the line it starts on."""
    found: list[Example] = []
    language: str | None = None
    pending, start = "", 0
    for number, raw in enumerate(markdown.splitlines(), 1):
        fence = _FENCE.match(raw)
        if fence:
            language = None if language is not None else fence.group(1).lower()
            pending = ""
            continue
        if language not in SHELL_BLOCKS:
            continue
        line = raw
        if language == "console":
            if not pending and not line.startswith("$ "):
                continue  # the command's output
            line = line.removeprefix("$ ")
        line = _cut_comment(line)
        if not pending:
            if not line.strip():
                continue  # a comment going on from the line above, or a blank line
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        for command in _split_commands(pending + line):
            found.append(Example(start, " ".join(command.split())))
        pending = ""
    return found


def _alternatives(tokens: list[str]) -> list[list[str]]:
    """``cadenza G a … | b … | c … -w X`` → ``cadenza G a … -w X``, ``cadenza G b … -w X``…"""
    if "|" not in tokens:
        return [tokens]
    segments = [list(g) for is_bar, g in itertools.groupby(tokens, lambda t: t == "|")
                if not is_bar]
    head, first = segments[0][:2], segments[0][2:]
    last = segments[-1]
    shared: list[str] = []
    if len(last) >= 2 and last[-2] in ("-w", "--workspace"):
        shared, segments[-1] = last[-2:], last[:-2]
    return [head + body + shared for body in [first, *segments[1:]]]


def _choices(token: str) -> list[list[str]]:
    if token.startswith("[") and token.endswith("]"):
        return [[], [token[1:-1]]]
    if "|" in token and not token.startswith("-"):
        return [[word] for word in token.split("|")]
    return [[token]]


def expand(command: str) -> list[str]:
    """Each command a README notation stands for, in order (see the module docstring)."""
    out: list[str] = []
    for tokens in _alternatives(shlex.split(command)):
        for picked in itertools.product(*(_choices(t) for t in tokens)):
            words = [w for choice in picked for w in choice]
            if len(words) > 2 and words[0] == "cadenza" and words[2] == "list":
                words = [w for w in words if w not in PLACEHOLDERS]
            text = shlex.join(words)
            if text not in out:
                out.append(text)
    return out
