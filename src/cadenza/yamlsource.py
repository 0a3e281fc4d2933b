"""YAML documents whose validation errors can point at a line.

Playbooks and routing rules are YAML validated by pydantic models; a person fixing one needs
the line of the offending field, which pydantic cannot know. This module keeps the composed
node tree beside the data and maps an error location back to its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from cadenza.errors import InputError


def line_for(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == part), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def load_yaml(text: str, *, origin: str,
              error: type[InputError] = InputError) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of a YAML document; a syntax error names its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise error(f"invalid YAML: {exc.problem}", file=origin,
                    line=mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", file=origin) from None
    return data, root
