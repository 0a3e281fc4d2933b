"""The variant of an A/B step a prospect's touch runs, decided where the agent schedules and
creates touches: the promoted winner once there is one, else the prospect's hashed arm
(:func:`cadenza.playbooks.variant_for`). Steps without variants cost nothing here (no query)."""

from __future__ import annotations

from sqlmodel import Session

from cadenza.playbooks import PlaybookSpec, Step, variant_for
from cadenza.store.results import winner_of

#: (workspace, playbook, step) -> the promoted variant (None: the test still runs)
Winners = dict[tuple[int, str, int], str | None]


def chosen_step(session: Session, *, workspace_id: int, spec: PlaybookSpec, step: int,
                prospect_id: int, winners: Winners | None = None) -> tuple[str, Step]:
    """The variant's name ("" for a plain step) and the step as that variant runs it.

    ``winners`` caches the promotions read during one scheduler pass.
    """
    base = spec.step(step)
    if not base.variants:
        return "", base
    key = (workspace_id, spec.name, step)
    if winners is not None and key in winners:
        winner = winners[key]
    else:
        winner = winner_of(session, workspace_id=workspace_id, playbook=spec.name, step=step)
        if winners is not None:
            winners[key] = winner
    name = variant_for(spec, step, prospect_id, winner)
    return name, base.with_variant(name)
