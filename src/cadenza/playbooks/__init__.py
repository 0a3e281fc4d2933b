"""Playbooks: the cadence schema, its YAML loader, and the built-in cadences."""

from cadenza.playbooks.loader import (
    LoadedPlaybook,
    builtin_names,
    content_hash,
    load_builtin,
    load_playbook_file,
    parse_playbook,
    resolve_playbook,
    stored_spec,
)
from cadenza.playbooks.schema import PlaybookSpec, Step, Variant
from cadenza.playbooks.variants import assign_variant, variant_for

__all__ = [
    "LoadedPlaybook",
    "PlaybookSpec",
    "Step",
    "Variant",
    "assign_variant",
    "builtin_names",
    "content_hash",
    "load_builtin",
    "load_playbook_file",
    "parse_playbook",
    "resolve_playbook",
    "stored_spec",
    "variant_for",
]
