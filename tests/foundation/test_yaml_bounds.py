"""Playbook and routing YAML is bounded (size, depth, aliases); a key given twice is an error."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from cadenza.errors import InputError, PlaybookError
from cadenza.handoff.rules import RoutingError, load_routing_file, parse_routing
from cadenza.playbooks.loader import load_playbook_file
from cadenza.yamlsource import MAX_BYTES, load_yaml

STEPS = "steps:\n  - {day: 1, channel: email, template: email_opener}\n"


def laughs(levels: int = 12) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_quickly_in_little_memory(tmp_path: Path) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_yaml(laughs(), origin="laughs.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 20_000_000
    assert "aliases" in str(caught.value) and caught.value.line is not None
    assert caught.value.file == "laughs.yaml" and caught.value.field is not None
    path = tmp_path / "routing.yaml"
    path.write_text("reps:\n  - email: a@b.test\n" + laughs())
    with pytest.raises(RoutingError, match=r"routing.yaml:\d+: .*aliases"):
        load_routing_file(path)


def test_a_few_aliases_are_still_fine() -> None:
    cfg = parse_routing("regions:\n  alps: &alps [CH, AT]\n  dach: *alps\n", origin="r.yaml")
    assert cfg.countries_of("dach") == {"CH", "AT"}


@pytest.mark.parametrize("text", [
    "x: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "x: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "end: 1\n",
])
def test_deep_nesting_is_an_error_naming_the_line(text: str) -> None:
    with pytest.raises(InputError, match="nest") as caught:
        load_yaml(text, origin="deep.yaml")
    assert caught.value.line is not None and caught.value.file == "deep.yaml"


def test_a_duplicate_key_is_an_error_naming_its_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: ab\n" + STEPS + "name: cd\n")
    with pytest.raises(PlaybookError) as caught:
        load_playbook_file(path)
    assert (caught.value.line, caught.value.field) == (4, "name")
    assert "duplicate key 'name' (first on line 1)" in str(caught.value)
    with pytest.raises(RoutingError) as routing:
        parse_routing("reps:\n  - email: a@b.test\n    capacity: 3\n    capacity: 30\n",
                      origin="r.yaml")
    assert (routing.value.line, routing.value.field) == (4, "reps.0.capacity")


def test_size_is_bounded(tmp_path: Path) -> None:
    big = "name: ab\n" + STEPS + "description: " + "x" * MAX_BYTES + "\n"
    with pytest.raises(PlaybookError, match="too large"):
        load_yaml(big, origin="big.yaml", error=PlaybookError)
    path = tmp_path / "big.yaml"
    path.write_text(big)
    started = time.perf_counter()
    with pytest.raises(PlaybookError, match=r"big.yaml: .*bytes"):
        load_playbook_file(path)
    assert time.perf_counter() - started < 1
