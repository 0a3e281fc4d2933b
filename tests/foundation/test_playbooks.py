"""Playbooks: built-ins load, the schema refuses bad input with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.errors import NotFoundError, PlaybookError
from cadenza.playbooks import (
    builtin_names,
    load_builtin,
    load_playbook_file,
    parse_playbook,
    resolve_playbook,
)

SEEDS = {"traditional-b2b", "digital-native", "hybrid", "high-intensity", "value-focused",
         "ai-sdr-first-four", "inbound"}


def test_every_builtin_loads_with_four_agent_touches() -> None:
    assert set(builtin_names()) >= SEEDS
    for name in builtin_names():
        spec = load_builtin(name).spec
        assert [n for n, _ in spec.agent_steps()] == [1, 2, 3, 4], name
        assert 6 <= len(spec.steps) <= 14, name


def test_hybrid_follows_the_literature() -> None:
    spec = load_builtin("hybrid").spec
    assert [(s.day, s.channel) for s in spec.steps] == [
        (1, "email"), (2, "call"), (4, "linkedin_connect"), (6, "email"), (8, "call"),
        (11, "manual"), (14, "email")]


def test_default_playbook_hands_the_call_and_pitch_to_a_rep() -> None:
    spec = load_builtin("ai-sdr-first-four").spec
    assert [s.channel for s in spec.steps[:4]] == ["email", "email", "linkedin_connect", "email"]
    assert [(s.channel, s.owner) for s in spec.steps[4:]] == [("call", "rep"), ("email", "rep")]


def test_inbound_is_same_day_and_short() -> None:
    spec = load_builtin("inbound").spec
    assert spec.steps[0].day == 1 and spec.steps[0].channel == "email"
    assert 6 <= len(spec.steps) <= 8 and 7 <= spec.steps[-1].day <= 10


def test_content_hash_ignores_formatting() -> None:
    a = parse_playbook("name: ab\nsteps:\n  - {day: 1, channel: email, template: email_opener}\n",
                       origin="a")
    b = parse_playbook("# comment\nname: 'ab'\nsteps:\n- day: 1\n  channel: email\n"
                       "  template: email_opener\n", origin="b")
    c = parse_playbook("name: ab\nsteps:\n  - {day: 2, channel: email, template: email_opener}\n",
                       origin="c")
    assert a.content_hash == b.content_hash != c.content_hash


@pytest.mark.parametrize(("text", "line", "field", "message"), [
    ("name: ab\nsteps: [\n", 3, None, "invalid YAML"),
    ("name: ab\nsteps:\n  - day: 1\n    channel: fax\n    template: x\n", 4, "steps.0.channel",
     "Input should be"),
    ("name: ab\nsteps:\n  - {day: 1, channel: email, template: nope}\n", 3, "steps.0",
     "unknown template 'nope'"),
    ("name: ab\ncolour: red\nsteps:\n  - {day: 1, channel: email, template: email_opener}\n", 2,
     "colour", "Extra inputs"),
    ("name: ab\nsteps:\n  - {day: 3, channel: email, template: email_opener}\n"
     "  - {day: 2, channel: email, template: email_followup}\n", 1, None, "day order"),
    ("name: ab\nsend_window: {start: '18:00', end: '09:00'}\n"
     "steps:\n  - {day: 1, channel: email, template: email_opener}\n", 2, "send_window",
     "before end"),
    ("- just\n- a list\n", 1, None, "mapping"),
    ("name: ab\nsteps: []\n", 2, "steps", "at least 1"),
])
def test_invalid_playbooks_name_file_line_and_field(text: str, line: int, field: str | None,
                                                     message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PlaybookError) as info:
        load_playbook_file(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert info.value.field == field
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_unknown_playbook_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="no built-in playbook 'nope'"):
        resolve_playbook("nope")
    with pytest.raises(NotFoundError):
        resolve_playbook("missing.yaml")


def test_agent_step_without_template_is_refused() -> None:
    with pytest.raises(PlaybookError, match="needs a template"):
        parse_playbook("name: ab\nsteps:\n  - {day: 1, channel: email}\n", origin="x")
    # a rep-owned step needs none
    parse_playbook("name: ab\nsteps:\n  - {day: 1, channel: call, owner: rep}\n", origin="x")
