"""The CI gate over eval results: hard rules for drafts, floors for the reply classifier.

The test command runs the offline evals on the shipped datasets and calls :func:`check_gate` on
each result; any returned line is a failure. Floors are data (``gate.json``, shipped in the
package) so the team can raise them from measured numbers without touching code.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from cadenza.errors import InputError


def load_floors(path: Path | None = None) -> dict[str, Any]:
    """The gate file: ``path`` when given, else the ``gate.json`` shipped in the package."""
    try:
        text = (path.read_text(encoding="utf-8") if path is not None else
                resources.files("cadenza.evals").joinpath("gate.json").read_text(
                    encoding="utf-8"))
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the gate floors: {exc}",
                         file=str(path or "cadenza/evals/gate.json")) from None
    if not isinstance(data, dict):
        raise InputError("the gate file must be a JSON object", file=str(path or "gate.json"))
    return data


def _drafts_failures(scores: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    limit = int(floors.get("max_hard_violations", 0) or 0)
    blocking = [v for v in scores.get("hard_violations", []) if v.get("status") == "drafted"]
    if len(blocking) <= limit:
        return []
    head = [f"{len(blocking)} hard-rule violation(s) in drafted messages (allowed {limit})"]
    return head + [f"{v['prospect_id']} step {v['step']} ({v.get('channel')}): {v['rule']} — "
                   f"{v.get('detail', '')}" for v in blocking]


def _replies_failures(metrics: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    out = []
    for key in ("accuracy", "macro_f1"):
        floor = floors.get(key)
        value = metrics.get(key)
        if floor is None:
            continue
        if not isinstance(value, int | float):
            out.append(f"{key} missing from metrics.json (floor {floor})")
        elif value < float(floor):
            out.append(f"{key} {value:.4f} is under the floor {float(floor):.4f}")
    critical = metrics.get("critical_errors", [])
    opt_cap = floors.get("max_missed_opt_outs")
    acted_on = metrics.get("missed_opt_out")
    if opt_cap is not None and isinstance(acted_on, int):
        # an opt-out acted on as something else; one sent to a person (unclear) stops the
        # cadence and waits for them, so it is counted in the share sent to a person instead
        if acted_on > int(opt_cap):
            out.append(f"{acted_on} opt-out(s) acted on as something else (allowed {opt_cap})")
    elif opt_cap is not None and isinstance(critical, list):
        missed = [c for c in critical if isinstance(c, dict)
                  and c.get("kind") == "missed_opt_out"]
        if len(missed) > int(opt_cap):
            out.append(f"{len(missed)} opt-out(s) not treated as opt-outs (allowed {opt_cap}): "
                       + ", ".join(str(c.get("file")) for c in missed))
    for kind in ("false_opt_outs", "positive_as_negative"):
        limit = floors.get(f"max_{kind}")
        value = metrics.get(kind.removesuffix("s") if kind == "false_opt_outs" else kind)
        if limit is not None and isinstance(value, int) and value > int(limit):
            out.append(f"{value} {kind.replace('_', ' ')} (allowed {limit})")
    share_cap = floors.get("max_to_person_share")
    share = metrics.get("to_person_share")
    if share_cap is not None and isinstance(share, int | float) and share > float(share_cap):
        out.append(f"{share:.4f} of human replies sent to a person (allowed {share_cap})")
    cap = floors.get("max_critical_errors")
    count = len(critical) if isinstance(critical, list) else int(critical or 0)
    if cap is not None and count > int(cap):
        out.append(f"{count} critical error(s) (allowed {cap})")
        out += [f"critical: {c.get('file')} expected {c.get('expected')} got {c.get('predicted')}"
                for c in critical if isinstance(c, dict)] if isinstance(critical, list) else []
    return out


def check_gate(scores: dict[str, Any], *, floors: dict[str, Any]) -> list[str]:
    """Failure lines for one eval result (``scores.json`` of drafts or ``metrics.json`` of
    replies); empty means the gate passes. ``floors`` is the gate file's object, or just
    its ``drafts`` / ``replies`` section."""
    if scores.get("kind") == "drafts" or "hard_violations" in scores:
        return _drafts_failures(scores, floors.get("drafts", floors))
    if "accuracy" in scores or "macro_f1" in scores:
        return _replies_failures(scores, floors.get("replies", floors))
    return ["unrecognised eval result: neither drafts scores nor reply metrics"]


def check_run(run: Path, *, floors: dict[str, Any] | None = None) -> list[str]:
    """:func:`check_gate` on a run folder (its ``scores.json`` and/or ``metrics.json``)."""
    gate = floors if floors is not None else load_floors()
    failures: list[str] = []
    found = False
    for name in ("scores.json", "metrics.json"):
        path = run / name
        if path.is_file():
            found = True
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise InputError(f"not JSON: {exc}", file=str(path)) from None
            failures += [f"{name}: {line}" for line in check_gate(data, floors=gate)]
    if not found:
        raise InputError("no scores.json or metrics.json in this folder", file=str(run))
    return failures
