"""Which variant of an A/B step a prospect gets: a hash, so every process agrees without
storing anything first, and the arms stay balanced.

The key is the playbook's name, the step number and the prospect's id. The name rather than the
stored version, so an edit of the playbook's wording does not reshuffle who gets what; the step,
so a prospect's arm at step 2 says nothing about their arm at step 4 (each test stays a fair
comparison of its own step). SHA-256 spreads any set of ids evenly over the arms (the test
assigns 10,000 prospects and checks each arm's share).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from cadenza.playbooks.schema import PlaybookSpec


def assign_variant(*, playbook: str, step: int, prospect_id: int | str,
                   names: Sequence[str]) -> str:
    """The arm of ``names`` this prospect gets at this step ("" when there are none)."""
    if not names:
        return ""
    digest = hashlib.sha256(f"{playbook}\x1f{step}\x1f{prospect_id}".encode()).digest()
    return names[int.from_bytes(digest[:8], "big") % len(names)]


def variant_for(spec: PlaybookSpec, step: int, prospect_id: int | str,
                winner: str | None = None) -> str:
    """The variant a new touch of ``step`` runs: the promoted winner when there is one (and
    the playbook still has it), else the prospect's hashed arm; "" for a step without
    variants."""
    names = [v.name for v in spec.step(step).variants]
    if not names:
        return ""
    if winner in names:
        return winner or ""
    return assign_variant(playbook=spec.name, step=step, prospect_id=prospect_id, names=names)
