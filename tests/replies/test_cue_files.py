"""The cue phrase lists (``replies/classify/cue_lists/*.yaml``) and their examples.

Every entry carries texts it must match and near misses it must not; running them all here is
what keeps a new phrase from silently widening a cue the rules and the model rely on. The
malformed-file cases check that a mistake names the file and the entry, since a traceback out
of ``re`` at import would name neither.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cadenza.replies.classify import cues
from cadenza.replies.classify.cue_files import (
    CUE_DIR,
    CueFileError,
    check_file,
    load,
    load_file,
)

NAMES = sorted(name.removesuffix(".yaml") for name in os.listdir(CUE_DIR)
               if name.endswith(".yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_every_example_agrees_with_its_entry(name: str) -> None:
    check_file(load(name))


def test_every_file_is_a_cue_and_every_cue_a_file() -> None:
    assert set(NAMES) == set(cues.CUES) | {"bare_stop", "negation", "opt_out_hedge",
                                           "opt_out_boilerplate"}
    for name, regex in cues.CUES.items():
        assert regex is load(name).regex


def test_the_helpers_read_the_files() -> None:
    # negation, bare_stop and the opt-out hedge/boilerplate files act through cue_hits, not as
    # cues of their own.
    assert "unsubscribe" in cues.cue_hits("Please remove me from your list.")
    assert "unsubscribe" not in cues.cue_hits("Please don't remove me from your list.")
    assert cues.cue_hits("STOP") == {"unsubscribe"}
    mention = cues.cue_hits("I was about to hit unsubscribe, but does it work with SAP?")
    assert "unsubscribe_mention" in mention and "unsubscribe" not in mention
    assert cues.is_absence_notice("I am out of the office until Monday.")
    assert not cues.is_absence_notice("Out of office: Jane is no longer with the company.")


GOOD_ENTRY = """
  - id: en
    lang: [en]
    pattern: ['\\bhello']
    matches: ['Hello there']
    not_matches: ['othello']
"""


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "greeting.yaml"
    path.write_text("kind: cue\nentries:" + GOOD_ENTRY + body, encoding="utf-8")
    return str(path)


def _error(path: str, check: bool = False) -> str:
    with pytest.raises(CueFileError) as caught:
        loaded = load_file(path)
        if check:
            check_file(loaded)
    return str(caught.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    loaded = load_file(_write(tmp_path, ""))
    check_file(loaded)
    assert loaded.regex.pattern == "(?:\\bhello)"


def test_a_bad_pattern_names_file_and_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, """
  - id: de
    lang: [de]
    pattern: ['\\bhallo(']
    matches: ['hallo']
""")
    message = _error(path)
    assert "greeting.yaml" in message and "'de'" in message and "bad pattern" in message


def test_a_missing_example_names_file_and_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, """
  - id: fr
    lang: [fr]
    pattern: ['\\bbonjour']
""")
    message = _error(path)
    assert "greeting.yaml" in message and "'fr'" in message and "'matches'" in message


def test_an_example_that_does_not_match_names_file_and_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, """
  - id: es
    lang: [es]
    pattern: ['\\bhola']
    matches: ['buenos días']
""")
    message = _error(path, check=True)
    assert "greeting.yaml" in message and "'es'" in message and "buenos días" in message


def test_a_near_miss_that_matches_names_file_and_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, """
  - id: nl
    lang: [nl]
    pattern: ['hoi']
    matches: ['hoi!']
    not_matches: ['choir']
""")
    message = _error(path, check=True)
    assert "greeting.yaml" in message and "'nl'" in message and "choir" in message


def test_norwegian_must_be_quoted(tmp_path: Path) -> None:
    path = _write(tmp_path, """
  - id: nordic
    lang: [sv, no]
    pattern: ['\\bhej']
    matches: ['hej']
""")
    message = _error(path)
    assert "'nordic'" in message and "quote it" in message
