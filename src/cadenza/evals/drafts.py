"""``cadenza eval drafts``: draft every agent-owned step for every prospect, score, report.

No database, no sending: prospects and the sender come from files in the public formats, the
drafter is the configured one (the LLM when an endpoint is set, else the template drafter), and
every draft goes through the touch graph's own draft → check → revise loop
(:mod:`cadenza.agent.batch`), with the same revision limit.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cadenza.agent.batch import StepSpec, draft_batch
from cadenza.errors import InputError
from cadenza.evals.draft_report import write_draft_report
from cadenza.evals.draft_scores import load_expected, score_drafts, write_scores
from cadenza.evals.judge import DraftJudge
from cadenza.playbooks import resolve_playbook
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.drafting import DRAFT_CHANNELS, Drafter


def read_prospects(path: Path, warnings: list[str] | None = None) -> list[ProspectIn]:
    """Prospects from JSONL. A line that is not JSON, or lacks a usable ``id``/``email``, is
    an error naming file, line and field. A bad optional value (a fact of an unknown kind, a
    company size in words) costs only that value: it is dropped, the rest of the prospect is
    drafted, and ``warnings`` says what was dropped where — one odd fact must not sink a
    whole evaluation set."""
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
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=str(path),
                             line=number) from None
        if not isinstance(raw, dict):
            raise InputError("a prospect must be a JSON object", file=str(path), line=number)
        out.append(_prospect(raw, path=path, line=number, warnings=warnings))
    return out


_REQUIRED = frozenset({"id", "email"})
#: A fact keeps its text when only these are bad (an undated fact is just less recent).
_OPTIONAL = frozenset({"date", "source"})


def _prospect(raw: dict[str, Any], *, path: Path, line: int,
              warnings: list[str] | None) -> ProspectIn:
    """Validate one record, dropping (and reporting) bad optional values."""
    dropped: list[str] = []
    for _ in range(3):  # a drop can only remove values, so this settles quickly
        try:
            prospect = ProspectIn.model_validate(raw)
        except ValidationError as exc:
            errors = exc.errors()
            fatal = next((e for e in errors if not e["loc"] or e["loc"][0] in _REQUIRED), None)
            if fatal is not None:
                raise InputError(fatal["msg"], file=str(path), line=line,
                                 field=".".join(str(p) for p in fatal["loc"])) from None
            raw = dict(raw)
            for error in errors:
                where = error["loc"]
                if where[0] == "facts" and len(where) > 1 and isinstance(where[1], int):
                    facts = list(raw.get("facts") or [])
                    fact = facts[where[1]] if where[1] < len(facts) else None
                    if isinstance(fact, dict) and len(where) > 2 and where[2] in _OPTIONAL:
                        facts[where[1]] = {k: v for k, v in fact.items() if k != where[2]}
                    elif fact is not None:
                        facts[where[1]] = None  # an unknown kind, no id: not a fact to use
                    raw["facts"] = facts
                else:
                    raw.pop(str(where[0]), None)
                dropped.append(f"{'.'.join(str(p) for p in where)}: {error['msg']}")
            if isinstance(raw.get("facts"), list):
                raw["facts"] = [f for f in raw["facts"] if f is not None]
            continue
        if warnings is not None:
            warnings.extend(f"{path}:{line}: dropped {d}" for d in dropped)
        return prospect
    raise InputError("the record stays invalid after dropping its bad values", file=str(path),
                     line=line)


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
                   today: dt.date | None = None, max_revisions: int = 2) -> dict[str, Any]:
    """Write ``drafts.jsonl``, ``scores.json`` and ``report.html`` into ``out``;
    ``max_revisions`` is the agent's (``CADENZA_MAX_REVISIONS``)."""
    warnings: list[str] = []
    prospects = read_prospects(prospects_path, warnings)
    sender = read_sender(sender_path)
    steps = playbook_steps(playbook)
    limit = min(sender.policies.linkedin_note_max_chars,
                resolve_playbook(playbook).spec.linkedin_note_limit)
    records = draft_batch(prospects, sender, steps, drafter=drafter,
                          today=today or dt.date.today(), linkedin_note_limit=limit,
                          max_revisions=max_revisions)
    # the public fields, and what a reader of the run needs beside them (extra fields are
    # allowed in drafts.jsonl): the language the draft is in and why, and the template
    contracts = [r.contract() | {"language": r.language, "template": r.template,
                                 "note": r.note, "problems": r.problems} for r in records]
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
    scores["input_warnings"] = warnings
    write_scores(scores, out / "scores.json")
    write_draft_report(scores, out / "report.html")
    return scores
