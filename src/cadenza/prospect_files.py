"""Reading prospect files (JSONL, CSV) and the API's bulk body (a JSON array) into rows, each
row a record or a reason to reject it.

The importer decides what to write; this module decides what a line *says*. It never guesses:
a line that is ambiguous (a quote left open, a key or column given twice, a cell holding a line
break, NUL or a lone surrogate, a field too long, JSON nested beyond reason) becomes a
:class:`Rejected` naming the field, so every row gets an outcome. A problem with the file as a
whole (not UTF-8, bare-CR line endings, a header naming a column twice) raises
:class:`InputError` naming file, line and field.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cadenza.errors import InputError
from cadenza.prospects import FactIn, ProspectIn

MAX_LINE_BYTES = 4 * 1024 * 1024  # a prospect is a few kilobytes; beyond this, not read
MAX_FIELD_CHARS = 10_000  # the longest field a prospect needs (a fact's text)
LOOKAHEAD_LINES = 50  # how far an open quote may run and still be one multi-line cell
_FACT_COLUMN_PARTS = ("kind", "date", "source", "id")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PROSPECT_FIELDS = tuple(name for name in ProspectIn.model_fields if name != "facts")
_FACT_FIELDS = tuple(FactIn.model_fields)


@dataclass(frozen=True)
class Rejected:
    """Why one line cannot become a record, and the field at fault when there is one."""

    reason: str
    field: str | None = None


Row = tuple[int, dict[str, Any] | Rejected]


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as a prospect's field, or ``None`` when it can."""
    if "\x00" in value:
        return "contains a NUL byte"
    if _SURROGATE.search(value):
        return "contains a lone surrogate (not valid Unicode)"
    if not multiline and ("\r" in value or "\n" in value):
        return "holds a line break"
    if len(value) > MAX_FIELD_CHARS:
        return f"is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})"
    return None


class LineReader:
    """Numbered, decoded lines of a binary file (terminator removed), with bounded memory.

    Lines longer than :data:`MAX_LINE_BYTES` are skipped and yielded as :class:`Rejected`.
    Bytes that are not UTF-8 and bare-CR line endings raise :class:`InputError`.
    """

    def __init__(self, fh: BinaryIO, file: str,
                 on_bytes: Callable[[int], None] | None = None) -> None:
        self._fh = fh
        self.file = file
        self._on_bytes = on_bytes
        self.line = 0
        self._pushed: list[tuple[int, str | Rejected]] = []

    def push_back(self, lines: list[tuple[int, str | Rejected]]) -> None:
        """Make ``lines`` (in order) the next ones read again."""
        self._pushed = list(lines) + self._pushed

    def __iter__(self) -> Iterator[tuple[int, str | Rejected]]:
        return self

    def __next__(self) -> tuple[int, str | Rejected]:
        if self._pushed:
            return self._pushed.pop(0)
        raw = self._fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        self.line += 1
        if self._on_bytes is not None:
            self._on_bytes(len(raw))
        if self.line == 1 and b"\r" in raw.rstrip(b"\r\n"):
            raise InputError("lines end in a bare CR (classic Mac line endings); re-save the "
                             "file with LF or CRLF line endings", file=self.file, line=1)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest without holding it
                raw = self._fh.readline(1024 * 1024)
                if self._on_bytes is not None:
                    self._on_bytes(len(raw))
            return self.line, Rejected(f"line is longer than {MAX_LINE_BYTES // 1048576} MiB")
        try:
            text = raw.decode("utf-8-sig" if self.line == 1 else "utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); re-save the file as UTF-8",
                             file=self.file, line=self.line) from None
        return self.line, text.removesuffix("\n").removesuffix("\r")


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def json_object(text: str) -> dict[str, Any] | Rejected:
    """One JSONL line as an object, or why not (duplicate keys are never resolved silently)."""
    try:
        obj = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as exc:
        return Rejected(f"key {exc.key!r} appears twice in one object", exc.key)
    except json.JSONDecodeError as exc:
        return Rejected(f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Rejected("JSON nested too deeply")
    if not isinstance(obj, dict):
        return Rejected("a line must be a JSON object")
    return obj


def fact_problem(fact: dict[str, Any], prefix: str = "") -> Rejected | None:
    """Why a fact object's fields cannot be stored (only ``text`` may span lines), or None."""
    for name in _FACT_FIELDS:
        value = fact.get(name)
        problem = text_problem(value, multiline=name == "text") if isinstance(value, str) else None
        if problem is not None:
            return Rejected(problem, prefix + name)
    return None


def _reason(name: str, value: str, problem: str) -> str:
    """The reason for a field's rejection; an address is quoted (header injection shows)."""
    return f"invalid email {value[:200]!r}: {problem}" if name == "email" else problem


def _object_problem(obj: dict[str, Any]) -> Rejected | None:
    for name in _PROSPECT_FIELDS:
        value = obj.get(name)
        if not isinstance(value, str):
            continue
        problem = text_problem(value)
        if problem is not None:
            return Rejected(_reason(name, value, problem), name)
    facts = obj.get("facts")
    for i, fact in enumerate(facts if isinstance(facts, list) else []):
        rejected = fact_problem(fact, f"facts.{i}.") if isinstance(fact, dict) else None
        if rejected is not None:
            return rejected
    return None


def jsonl_rows(lines: LineReader) -> Iterator[Row]:
    """``(line, object | Rejected)`` for every non-blank line of a JSONL file."""
    for line_no, text in lines:
        if isinstance(text, Rejected):
            yield line_no, text
        elif text.strip():
            obj = json_object(text)
            # NUL, CR, LF and surrogates can only reach a JSON string escaped (a backslash)
            if isinstance(obj, dict) and ("\\" in text or len(text) > MAX_FIELD_CHARS):
                obj = _object_problem(obj) or obj
            yield line_no, obj


class _RepeatedKey(dict[str, Any]):
    """A JSON object that named ``key`` twice: marked, so that only its own row is rejected."""

    key = ""


def _mark_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    repeated: str | None = None
    for key, value in pairs:
        if key in out and repeated is None:
            repeated = key
        out[key] = value
    if repeated is None:
        return out
    marked = _RepeatedKey(out)
    marked.key = repeated
    return marked


def _repeated_key(value: Any) -> str | None:
    """The first key named twice in one object anywhere inside ``value``, or None."""
    if isinstance(value, _RepeatedKey):
        return value.key
    children = value.values() if isinstance(value, dict) else (
        value if isinstance(value, list) else ())
    for child in children:
        found = _repeated_key(child)
        if found is not None:
            return found
    return None


def json_array(data: bytes, *, max_items: int) -> list[Any]:
    """The API's bulk body: a JSON array of at most ``max_items`` items.

    A problem with the document as a whole (not UTF-8, not JSON, not an array, too many items)
    raises :class:`InputError` with the line of a syntax error; a problem with one item is left
    for :func:`array_rows`, so it rejects that row only, as a JSONL file's bad line would be.
    """
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                         f"{exc.start})") from None
    try:
        doc = json.loads(text, object_pairs_hook=_mark_repeats)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at column {exc.colno}",
                         line=exc.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply") from None
    if not isinstance(doc, list):
        raise InputError("must be a JSON array of prospect records")
    if not doc or len(doc) > max_items:
        raise InputError(f"holds {len(doc):,} records: send 1 to {max_items:,} per request")
    return doc


def array_rows(items: list[Any]) -> Iterator[Row]:
    """``(index, object | Rejected)`` for every item of a JSON array (numbered from 0), each
    checked as a JSONL line is."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            yield index, Rejected("a record must be a JSON object")
            continue
        try:
            repeated = _repeated_key(item)
        except RecursionError:
            yield index, Rejected("JSON nested too deeply")
            continue
        if repeated is not None:
            yield index, Rejected(f"key {repeated!r} appears twice in one object", repeated)
            continue
        yield index, _object_problem(item) or item


def _cells(text: str) -> list[str]:
    """One CSV record in ``text``; raises ``csv.Error`` on bad or unfinished quoting."""
    rows = list(csv.reader([text], strict=True))
    return rows[0] if rows else []


def _open_quote(exc: csv.Error) -> bool:
    return "unexpected end of data" in str(exc)


def csv_rows(lines: LineReader, facts_by_id: dict[str, list[dict[str, Any]]]) -> Iterator[Row]:
    """``(line, object | Rejected)`` for every record of a CSV file with a header line.

    A cell may not hold a line break. A quote left open at the end of a line is either a
    multi-line cell (the record closes within :data:`LOOKAHEAD_LINES` with the header's cell
    count: rejected as one row naming its lines) or an unterminated quote (rejected alone; the
    lines after it are read as the rows they are, never swallowed).
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, MAX_LINE_BYTES))
    try:
        names = _header(lines)
        if names is None:
            return
        for line_no, text in lines:
            if isinstance(text, Rejected):
                yield line_no, text
                continue
            if not text.strip():
                continue
            try:
                cells = _cells(text)
            except csv.Error as exc:
                if not _open_quote(exc):
                    yield line_no, Rejected(
                        "a bare CR inside the line: mixed line endings? A row must end in LF or "
                        "CRLF" if "\r" in text else f"malformed quoting: {exc}")
                    continue
                yield line_no, _open_record(lines, line_no, text, names)
                continue
            yield line_no, _record(names, cells, facts_by_id)
    finally:
        csv.field_size_limit(previous)


def _header(lines: LineReader) -> list[str] | None:
    first = next(lines, None)
    if first is None:
        return None
    line_no, text = first
    if isinstance(text, Rejected):
        raise InputError(f"header: {text.reason}", file=lines.file, line=line_no)
    try:
        names = [n.strip() for n in _cells(text)]
    except csv.Error as exc:
        raise InputError(f"header is not valid CSV: {exc}", file=lines.file,
                         line=line_no) from None
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name and name in seen:
            raise InputError(f"column {name!r} appears twice in the header (columns "
                             f"{seen[name]} and {i}); keep one", file=lines.file,
                             line=line_no, field=name)
        seen[name] = i
    return names


def _open_record(lines: LineReader, line_no: int, text: str, names: list[str]) -> Rejected:
    """Reject the record whose quote is open at the end of line ``line_no``."""
    opened = next(csv.reader([text]), [])  # lenient: the open cell is the last one
    field = names[len(opened) - 1] if 0 < len(opened) <= len(names) else None
    ahead: list[tuple[int, str | Rejected]] = []
    joined = text
    for nxt in lines:
        ahead.append(nxt)
        if isinstance(nxt[1], Rejected) or len(ahead) > LOOKAHEAD_LINES:
            break
        joined += "\n" + nxt[1]
        if len(joined) > MAX_LINE_BYTES:
            break
        if '"' not in nxt[1]:
            continue  # only a quote can close the cell: no need to parse again
        try:
            cells = _cells(joined)
        except csv.Error as exc:
            if _open_quote(exc):
                continue
            break
        if len(cells) == len(names):
            return Rejected(f"a quoted cell runs from line {line_no} to line {nxt[0]}: a cell "
                            "must stay on one line", field)
        break
    lines.push_back(ahead)  # an unterminated quote: the lines after it are rows of their own
    return Rejected("unterminated quote: the cell's closing quote is missing", field)


def _record(names: list[str], cells: list[str],
            facts_by_id: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | Rejected:
    if len(cells) > len(names):
        return Rejected(f"row has {len(cells)} cells but the header has {len(names)}")
    obj: dict[str, Any] = {}
    facts: dict[str, dict[str, Any]] = {}
    for key, value in zip(names, cells, strict=False):  # a short row leaves the rest empty
        problem = text_problem(value)
        if problem is not None:
            return Rejected(_reason(key, value, f"cell {problem}"), key or None)
        if key.startswith("fact_"):
            num, _, part = key[len("fact_"):].partition("_")
            if not num.isdigit() or (part and part not in _FACT_COLUMN_PARTS):
                continue
            if value.strip():
                facts.setdefault(num, {"id": f"f{num}"})[part or "text"] = value.strip()
        else:
            obj[key] = None if not value.strip() else value
    fact_list = [facts[n] for n in sorted(facts, key=int) if facts[n].get("text")]
    fact_list.extend(facts_by_id.get(str(obj.get("id") or ""), []))
    obj["facts"] = fact_list
    return obj
