"""``cadenza eval drafts``: draft every agent-owned step for every prospect, score, report.

No database, no sending: prospects and the sender come from files in the public formats, the
drafter is the configured one (the LLM when an endpoint is set, else the template drafter).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cadenza.agent.batch import StepSpec, draft_batch
from cadenza.agent.drafting import DRAFT_CHANNELS, Drafter
from cadenza.errors import InputError
from cadenza.evals.draft_report import write_draft_report
from cadenza.evals.draft_scores import load_expected, score_drafts, write_scores
from cadenza.evals.judge import DraftJudge
from cadenza.playbooks import resolve_playbook
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile


def read_prospects(path: Path) -> list[ProspectIn]:
    """Prospects from JSONL; a bad line is an error naming file, line and field."""
    out: list[ProspectIn] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read prospects: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("prospects file is not UTF-8", file=str(path)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(ProspectIn.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=str(path),
                             line=number) from None
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(err["msg"], file=str(path), line=number,
                             field=".".join(str(p) for p in err["loc"])) from None
    return out


def read_sender(path: Path) -> SenderProfile:
    """The sender identity JSON."""
    try:
        return SenderProfile.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read sender: {exc.strerror}", file=str(path)) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(err["msg"], file=str(path),
                         field=".".join(str(p) for p in err["loc"]) or None) from None


def playbook_steps(name: str) -> list[StepSpec]:
    """The draftable agent-owned steps of a playbook (calls and manual steps have no draft)."""
    spec = resolve_playbook(name).spec
    return [StepSpec(number=n, channel=s.channel, template=s.template or "", owner=s.owner)
            for n, s in spec.agent_steps() if s.channel in DRAFT_CHANNELS]


def run_draft_eval(prospects_path: Path, *, sender_path: Path, out: Path,
                   playbook: str = "ai-sdr-first-four", drafter: Drafter | None = None,
                   judge: DraftJudge | None = None, expected: Path | None = None,
                   today: dt.date | None = None) -> dict[str, Any]:
    """Write ``drafts.jsonl``, ``scores.json`` and ``report.html`` into ``out``."""
    prospects = read_prospects(prospects_path)
    sender = read_sender(sender_path)
    steps = playbook_steps(playbook)
    limit = min(sender.policies.linkedin_note_max_chars,
                resolve_playbook(playbook).spec.linkedin_note_limit)
    records = draft_batch(prospects, sender, steps, drafter=drafter,
                          today=today or dt.date.today(), linkedin_note_limit=limit)
    contracts = [r.contract() for r in records]
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "drafts.jsonl.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        for row in contracts:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(out / "drafts.jsonl")
    scores = score_drafts(contracts, prospects, sender,
                          expected=load_expected(expected) if expected else None, judge=judge,
                          playbook=playbook, drafter=getattr(drafter, "name", "template"),
                          dataset=str(prospects_path))
    write_scores(scores, out / "scores.json")
    write_draft_report(scores, out / "report.html")
    return scores
