"""YAML documents whose validation errors can point at a line.

Playbooks and routing rules are YAML validated by pydantic models; a person fixing one needs
the line of the offending field, which pydantic cannot know. This module keeps the composed
node tree beside the data and maps an error location back to its line.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

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


def read_text(path: Path, *, what: str, error: type[InputError] = InputError) -> str:
    """A YAML file's text; an unreadable or non-UTF-8 file is an error naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise error(f"{what} is not UTF-8 text", file=str(path)) from None


def validation_error(exc: ValidationError, *, origin: str | None, root: yaml.Node | None,
                     error: type[InputError] = InputError,
                     ignore: Collection[str] = ()) -> InputError:
    """The first schema error as ``error`` with the file, the YAML line and the field.

    Validator wrappers (``function-after[…]``) and the labels in ``ignore`` (e.g. the branch
    names pydantic adds inside a union) are dropped from the location first.
    """
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"]
                if not (isinstance(p, str) and ("function" in p or p in ignore)))
    field = ".".join(str(p) for p in loc) or None
    msg = err["msg"].removeprefix("Value error, ")
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    line = line_for(root, loc) if root is not None else None
    return error(msg + more, file=origin, line=line, field=field)
