"""The import direction of the packages: lower layers never import higher ones, and no two
packages import each other (directly or round a loop).

Read from the source with ``ast`` (imports inside functions count too), so a shortcut taken
for convenience shows up here before it becomes the floor plan.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

import cadenza

ROOT = Path(cadenza.__file__).parent

#: Lower layers first. A package may import its own layer's modules only if that makes no loop.
LAYERS: list[set[str]] = [
    {"errors", "states"},
    {"config", "secrets", "yamlsource", "addresses", "prospects", "sender", "llm",
     "event_types"},
    {"store", "playbooks", "prompts", "timing"},
    {"writing", "mailbox", "importer", "prospect_files"},
    {"agent", "handoff"},
    {"replies", "webhooks", "leads", "metrics"},
    {"evals", "api"},
    {"bench", "demo", "cli", "__main__", "__init__"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _unit(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return rel.parts[0]


@functools.cache  # the source does not change during a run; three tests read it
def _graph() -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        unit = _unit(path)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = ([f"{node.module}.{a.name}" for a in node.names]
                         if node.module == "cadenza" else [node.module])
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "cadenza" and len(parts) > 1 and parts[1] != unit:
                    edges[unit].add(parts[1])
    return {unit: frozenset(targets) for unit, targets in edges.items()}


def test_every_package_has_a_layer() -> None:
    units = {_unit(p) for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    assert units - set(LAYER) == set()


def test_no_upward_imports() -> None:
    upward = sorted((a, b) for a, targets in _graph().items() for b in targets
                    if LAYER[b] > LAYER[a])
    assert upward == []


def test_no_import_cycles() -> None:
    edges = _graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == path[0]:
                cycles.append([*path, nxt])
            elif nxt not in path and LAYER[nxt] == LAYER[path[0]]:
                visit(nxt, [*path, nxt])

    for start in sorted(edges):
        for nxt in sorted(edges[start]):
            if start in edges.get(nxt, ()):
                cycles.append([start, nxt, start])
        visit(start, [start])
    assert cycles == []


def test_the_check_sees_a_violation() -> None:
    """The checks read real imports: the graph has edges, and a known one points down."""
    edges = _graph()
    assert "store" in edges["agent"] and LAYER["store"] < LAYER["agent"]
