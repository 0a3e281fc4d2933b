"""Promoting an A/B winner: one action (API, CLI or the dashboard's button), recorded with who
and when; from then on new touches of the step use the winner (the scheduler reads it when it
creates a touch, see :func:`cadenza.playbooks.variant_for`).

The variant must exist in the stored playbook. A promotion before the test is significant is
allowed — the operator may have reasons — but the event records the test's state at that moment,
so "we promoted on noise" can be seen later.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from cadenza.errors import InputError, NotFoundError
from cadenza.playbooks import stored_spec
from cadenza.store.models import Playbook
from cadenza.store.results import VariantWinner, set_winner


def promote_variant(session: Session, *, workspace_id: int, playbook: str, step: int,
                    variant: str, by: str, now: dt.datetime,
                    evidence: dict[str, object] | None = None) -> VariantWinner:
    """Make ``variant`` the one every new touch of ``playbook``'s ``step`` runs."""
    rows = session.exec(select(Playbook.definition).where(
        Playbook.workspace_id == workspace_id, Playbook.name == playbook)
        .order_by(col(Playbook.id).desc())).all()
    if not rows:
        raise NotFoundError(f"no playbook {playbook!r} in this workspace")
    known: set[str] = set()
    for definition in rows:
        spec = stored_spec(dict(definition))
        if 1 <= step <= len(spec.steps):
            known.update(v.name for v in spec.step(step).variants)
    if not known:
        raise InputError(f"step {step} of {playbook} has no variants", field="step")
    if variant not in known:
        raise InputError(f"step {step} of {playbook} has no variant {variant!r} "
                         f"(it has {', '.join(sorted(known))})", field="variant")
    if evidence is None:
        evidence = _test_now(session, workspace_id, playbook, step, now)
    return set_winner(session, workspace_id=workspace_id, playbook=playbook, step=step,
                      variant=variant, by=by, now=now, evidence=evidence)


def _test_now(session: Session, workspace_id: int, playbook: str, step: int,
              now: dt.datetime) -> dict[str, object]:
    """The step's test as the dashboard shows it now (the last year of enrollments)."""
    from cadenza.metrics.dashboard import dashboard

    board = dashboard(session, workspace_id=workspace_id, since=now - dt.timedelta(days=365),
                      until=now, playbook=playbook)
    test = next((t for t in board.variants if t.step == step), None)
    if test is None:
        return {}
    return {"verdict": test.verdict, "significant": test.significant, "metric": test.metric,
            "arms": [{"name": a.name, "touched": a.touched, "successes": a.successes}
                     for a in test.arms]}
