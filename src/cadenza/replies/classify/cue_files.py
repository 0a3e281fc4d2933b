"""Reading the cue phrase lists in ``cue_lists/*.yaml`` and compiling them.

The phrase lists are data, not code, so that a pattern sits next to the short texts it must
and must not match: a reviewer adding a Portuguese phrase sees what the entry is for, and
``tests/replies/test_cue_files.py`` runs every example. A file looks like::

    kind: cue            # cue: entries become (?:a)|(?:b)|…; single: one entry, used as is
    flags: [IGNORECASE]  # optional, names of re flags
    entries:
      - id: en           # unique in the file; error messages name it
        lang: [en]
        pattern:         # one regex, written as its top-level alternatives (joined with |)
          - '\\bunsubscrib'
        matches: ['Please unsubscribe me.']      # at least one
        not_matches: ['Can you remove the logo?'] # near misses

``{NUMBER}`` in a pattern stands for :data:`date_words.NUMBER_PATTERN`, which is built from a
table of number words and would be a copy here otherwise.

Loading happens at import of :mod:`cues`, on every process start, so only the cheap checks run
then (shape, at least one ``matches``, the combined pattern compiles; a compile error is traced
to its entry). Compiling each entry on its own and running the examples is :func:`check_file`,
for the tests.
"""

from __future__ import annotations

import functools
import os
import re

import yaml

from cadenza.replies.classify.date_words import NUMBER_PATTERN

# Plain classes and os.path rather than dataclasses, pathlib and typing: this module is imported
# with the classifier, and those three would double its import time on their own.
CUE_DIR = os.path.join(os.path.dirname(__file__), "cue_lists")
SUBSTITUTIONS = {"{NUMBER}": NUMBER_PATTERN}
# libyaml parses the ~1,600 lines several times faster than the pure-Python loader.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KINDS = ("cue", "single")


class CueFileError(ValueError):
    """A cue file that is malformed, does not compile, or whose examples disagree."""

    def __init__(self, path: str, entry: str | None, problem: str) -> None:
        name = os.path.basename(path)
        where = f"{name}, entry {entry!r}" if entry else name
        super().__init__(f"{where}: {problem}")
        self.path, self.entry, self.problem = path, entry, problem


class CueEntry:
    """One entry: a pattern (usually one language's phrases) and its examples."""

    __slots__ = ("id", "lang", "matches", "not_matches", "pattern")

    def __init__(self, id: str, lang: tuple[str, ...], pattern: str,
                 matches: tuple[str, ...], not_matches: tuple[str, ...]) -> None:
        self.id, self.lang, self.pattern = id, lang, pattern
        self.matches, self.not_matches = matches, not_matches


class CueFile:
    """A parsed cue file and its compiled regex."""

    __slots__ = ("entries", "flags", "kind", "path", "regex")

    def __init__(self, path: str, kind: str, flags: re.RegexFlag,
                 entries: tuple[CueEntry, ...], regex: re.Pattern[str]) -> None:
        self.path, self.kind, self.flags = path, kind, flags
        self.entries, self.regex = entries, regex

    def compile_entry(self, entry: CueEntry) -> re.Pattern[str]:
        """``entry``'s pattern on its own, with the file's flags."""
        return re.compile(entry.pattern, self.flags)


def _strings(path: str, eid: str | None, raw: dict[object, object], key: str,
             required: bool) -> tuple[str, ...]:
    value = raw.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        hint = " (YAML reads a bare no/yes/on/off as a boolean: quote it)" if isinstance(
            value, list) and any(isinstance(v, bool) for v in value) else ""
        raise CueFileError(path, eid, f"{key!r} must be a list of strings{hint}")
    if required and not value:
        raise CueFileError(path, eid, f"{key!r} must not be empty")
    return tuple(value)


def _entry(path: str, raw: object, seen: set[str]) -> CueEntry:
    eid = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(eid, str):
        raise CueFileError(path, None, f"every entry needs an 'id' string, got {raw!r:.80}")
    if eid in seen:
        raise CueFileError(path, eid, "duplicate id")
    seen.add(eid)
    unknown = set(raw) - {"id", "lang", "pattern", "matches", "not_matches"}
    if unknown:
        raise CueFileError(path, eid, f"unknown keys {sorted(unknown)}")
    pattern = "|".join(_strings(path, eid, raw, "pattern", True))
    for token, value in SUBSTITUTIONS.items():
        pattern = pattern.replace(token, value)
    return CueEntry(
        id=eid, lang=_strings(path, eid, raw, "lang", True), pattern=pattern,
        matches=_strings(path, eid, raw, "matches", True),
        not_matches=_strings(path, eid, raw, "not_matches", False))


def _compile(path: str, kind: str, flags: re.RegexFlag,
             entries: tuple[CueEntry, ...]) -> re.Pattern[str]:
    # Case-sensitive unless the file says otherwise: callers search lower-cased text, which is
    # several times faster than IGNORECASE over large Unicode alternations.
    source = (entries[0].pattern if kind == "single"
              else "|".join(f"(?:{e.pattern})" for e in entries))
    try:
        return re.compile(source, flags)
    except re.error:
        pass
    for entry in entries:  # only on failure: find the entry to blame
        try:
            re.compile(entry.pattern, flags)
        except re.error as exc:
            raise CueFileError(path, entry.id, f"bad pattern: {exc}") from None
    raise CueFileError(path, None, "the entries do not compile together")


def load_file(path: str) -> CueFile:
    """Parse, check the shape of and compile one cue file."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.load(f.read(), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise CueFileError(path, None, f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise CueFileError(path, None, "expected a mapping with an 'entries' list")
    kind = raw.get("kind", "cue")
    if kind not in _KINDS:
        raise CueFileError(path, None, f"kind must be one of {_KINDS}, got {kind!r}")
    flags = re.RegexFlag(0)
    for name in raw.get("flags", []):
        if not isinstance(name, str) or not isinstance(getattr(re, name, None), re.RegexFlag):
            raise CueFileError(path, None, f"unknown regex flag {name!r}")
        flags |= getattr(re, name)
    seen: set[str] = set()
    entries = tuple(_entry(path, e, seen) for e in raw["entries"])
    if not entries or (kind == "single" and len(entries) != 1):
        raise CueFileError(path, None, f"a {kind!r} file needs "
                           + ("exactly one entry" if kind == "single" else "entries"))
    return CueFile(path, kind, flags, entries, _compile(path, kind, flags, entries))


@functools.cache
def load(name: str) -> CueFile:
    """The cue file ``cue_lists/<name>.yaml``, read once per process."""
    return load_file(os.path.join(CUE_DIR, f"{name}.yaml"))


def check_file(cue_file: CueFile) -> None:
    """Raise :class:`CueFileError` unless every example agrees with its entry.

    Each ``matches`` text must be found by its entry's pattern and by the whole file's regex
    (lower-cased first, as :mod:`cues` searches); no ``not_matches`` text may be found by its
    entry. Near misses are not run against the whole file: another language's entry may
    legitimately see them (Dutch ``interesse`` without ``geen`` in "kein Interesse").
    """
    for entry in cue_file.entries:
        try:
            own = cue_file.compile_entry(entry)
        except re.error as exc:
            raise CueFileError(cue_file.path, entry.id, f"bad pattern: {exc}") from None
        for text in entry.matches:
            if not own.search(text.lower()):
                raise CueFileError(cue_file.path, entry.id, f"does not match {text!r}")
            if not cue_file.regex.search(text.lower()):
                raise CueFileError(cue_file.path, entry.id,
                                   f"{text!r} matches the entry but not the whole file")
        for text in entry.not_matches:
            if m := own.search(text.lower()):
                raise CueFileError(cue_file.path, entry.id,
                                   f"matches near miss {text!r} (at {m.group()!r})")
