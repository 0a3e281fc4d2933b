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


MAX_BYTES = 1_000_000  # the largest playbook or routing file; a built-in one is ~3 KB
MAX_DEPTH = 50  # mappings and sequences nested deeper are not a playbook or rules
MAX_NODES = 100_000  # nodes once aliases are expanded: a billion laughs stops here
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Frame:
    """An open mapping or sequence while the events are checked."""

    __slots__ = ("anchor", "expect_key", "index", "is_map", "key", "keys", "size")

    def __init__(self, is_map: bool, anchor: str | None) -> None:
        self.is_map, self.anchor = is_map, anchor
        self.size, self.index, self.expect_key = 1, 0, True
        self.key: str = "?"
        self.keys: dict[str, int] = {}

    def child_done(self, size: int) -> None:
        self.size += size
        if self.is_map:
            self.expect_key = not self.expect_key
        else:
            self.index += 1

    def part(self) -> str:
        """The path element of the child being read."""
        if not self.is_map:
            return str(self.index)
        return "?" if self.expect_key else self.key


def _field(stack: list[_Frame], key: str | None = None) -> str | None:
    """The dotted path of the node being read (``key`` when it is a key of the top mapping)."""
    parts = [f.part() for f in stack]
    if key is not None and parts:
        parts[-1] = key
    return ".".join(parts) or None


def _check_events(text: str, *, origin: str, error: type[InputError]) -> None:
    """Refuse, before anything is built, deep nesting, alias bombs and duplicate keys.

    One linear pass over the parser's events: the size of every anchored node is known when it
    ends, so an alias adds that size to the running total without expanding anything.
    """
    stack: list[_Frame] = []
    sizes: dict[str, int] = {}
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                sizes[frame.anchor] = frame.size
            if stack:
                stack[-1].child_done(frame.size)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        top = stack[-1] if stack else None
        if top is not None and top.is_map and top.expect_key:
            key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            if isinstance(event, yaml.ScalarEvent) and key in top.keys:
                raise error(f"duplicate key {key!r} (first on line {top.keys[key]}); keep one",
                            file=origin, line=line, field=_field(stack, key))
            top.keys.setdefault(key, line or 0)
            top.key = key
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                raise error(f"alias *{event.anchor} refers to an undefined anchor or to a node "
                            "that contains it", file=origin, line=line, field=_field(stack))
            size = sizes[event.anchor]
        else:
            size = 1
        total += size
        if total > MAX_NODES:
            raise error(f"the document has more than {MAX_NODES:,} nodes once its aliases are "
                        "expanded; write it out without aliases", file=origin, line=line,
                        field=_field(stack))
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise error(f"nested deeper than {MAX_DEPTH} levels", file=origin, line=line,
                            field=_field(stack))
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), event.anchor))
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            sizes[event.anchor] = 1  # (an AliasEvent's anchor is the one it refers to)
        if top is not None:
            top.child_done(size)


def load_yaml(text: str, *, origin: str,
              error: type[InputError] = InputError) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of a YAML document; every refusal names file and line.

    Bounded before anything is built: at most :data:`MAX_BYTES`, :data:`MAX_DEPTH` levels and
    :data:`MAX_NODES` nodes with aliases expanded; a key given twice in one mapping is an error
    (YAML would silently keep the last one).
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise error(f"{size:,} bytes is too large (at most {MAX_BYTES:,})", file=origin)
    try:
        _check_events(text, origin=origin, error=error)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data: Any = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise error(f"invalid YAML: {exc.problem}", file=origin,
                    line=mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", file=origin) from None
    except RecursionError:
        raise error("invalid YAML: nested too deeply", file=origin) from None
    return data, root


def read_text(path: Path, *, what: str, error: type[InputError] = InputError) -> str:
    """A YAML file's text; an unreadable, oversized or non-UTF-8 file is an error naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(f"{what} file is {size:,} bytes (at most {MAX_BYTES:,})", file=str(path))
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
