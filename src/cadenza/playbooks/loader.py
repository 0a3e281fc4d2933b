"""Load playbooks from YAML with errors that name the file, the line and the field."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cadenza.errors import NotFoundError, PlaybookError
from cadenza.playbooks.schema import PlaybookSpec
from cadenza.yamlsource import load_yaml, read_text, validation_error

BUILTIN_PACKAGE = "cadenza.playbooks.builtin"


@dataclass(frozen=True)
class LoadedPlaybook:
    """A validated playbook, its source text and its content hash (the version key)."""

    spec: PlaybookSpec
    source: str
    origin: str

    @property
    def content_hash(self) -> str:
        return content_hash(self.spec)


def content_hash(spec: PlaybookSpec) -> str:
    """SHA-256 of the canonical JSON of the validated playbook (formatting does not count)."""
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_STORED: dict[str, PlaybookSpec] = {}
_BY_OBJECT: dict[int, tuple[dict[str, Any], PlaybookSpec]] = {}


def stored_spec(definition: dict[str, Any]) -> PlaybookSpec:
    """The parse of a stored definition, kept per process: a stored playbook never changes
    (a new definition is a new row), and every touch asks. The same dict object is found by
    identity, any other by its canonical JSON."""
    entry = _BY_OBJECT.get(id(definition))
    if entry is not None and entry[0] is definition:
        return entry[1]
    key = json.dumps(definition, sort_keys=True, default=str)
    spec = _STORED.get(key)
    if spec is None:
        if len(_STORED) > 256:
            _STORED.clear()
        spec = _STORED[key] = PlaybookSpec.model_validate(definition)
    if len(_BY_OBJECT) > 256:
        _BY_OBJECT.clear()
    _BY_OBJECT[id(definition)] = (definition, spec)  # holding it keeps its id unique
    return spec


def parse_playbook(text: str, *, origin: str) -> LoadedPlaybook:
    """Parse and validate YAML text; ``origin`` (a path or ``builtin:NAME``) names it in errors."""
    data, root = load_yaml(text, origin=origin, error=PlaybookError)
    if not isinstance(data, dict):
        raise PlaybookError("a playbook must be a mapping with name and steps", file=origin,
                            line=1)
    try:
        spec = PlaybookSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, origin=origin, root=root, error=PlaybookError) from None
    return LoadedPlaybook(spec=spec, source=text, origin=origin)


def load_playbook_file(path: Path) -> LoadedPlaybook:
    """Load one playbook file."""
    text = read_text(path, what="playbook", error=PlaybookError)
    return parse_playbook(text, origin=str(path))


def builtin_names() -> list[str]:
    """Names of the playbooks shipped in the package."""
    root = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name.removesuffix(".yaml") for p in root.iterdir()
                  if p.name.endswith(".yaml"))


def load_builtin(name: str) -> LoadedPlaybook:
    """A built-in playbook by name."""
    resource = resources.files(BUILTIN_PACKAGE) / f"{name}.yaml"
    if not resource.is_file():
        raise NotFoundError(f"no built-in playbook {name!r} "
                            f"(known: {', '.join(builtin_names())})")
    return parse_playbook(resource.read_text(encoding="utf-8"), origin=f"builtin:{name}")


def resolve_playbook(name_or_path: str) -> LoadedPlaybook:
    """A built-in name, or a path to a YAML file."""
    path = Path(name_or_path)
    if name_or_path.endswith((".yaml", ".yml")) or path.exists():
        if not path.exists():
            raise NotFoundError(f"playbook file {name_or_path} does not exist")
        return load_playbook_file(path)
    return load_builtin(name_or_path)
