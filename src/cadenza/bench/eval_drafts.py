"""``cadenza bench eval_drafts``: how long ``eval drafts`` takes on N prospects.

The issue's target is 100 prospects in under 30 s offline, so the CI gate costs little. The
figure covers drafting (through the agent's draft → check → revise loop, as the command does)
and scoring together. The baseline, measured in the same run on the same records, is a trivial
pass (JSON round trip and a word count per record): it shows what the metrics cost over merely
reading the drafts.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from cadenza.agent.batch import draft_batch
from cadenza.bench import machine
from cadenza.evals.datasets import dataset_file
from cadenza.evals.draft_scores import score_drafts
from cadenza.evals.drafts import playbook_steps
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile

TARGET_SECONDS_PER_100 = 30.0
TODAY = dt.date(2026, 11, 24)

#: The shipped sample sender: the benchmark and the gate tests score against it.
SENDER = SenderProfile.model_validate_json(
    dataset_file("prospects", "sender.json").read_text(encoding="utf-8"))


def synthetic_prospect(i: int) -> ProspectIn:
    """A plausible prospect with two facts, numbered ``i``."""
    company = f"Company{i:04d} Logistics"
    return ProspectIn.model_validate({
        "id": f"s{i:04d}", "email": f"person{i}@company{i:04d}.example", "first_name": "Alex",
        "last_name": f"Doe{i}", "title": "VP Operations", "company": company,
        "industry": "logistics", "language": "en",
        "linkedin_url": f"https://www.linkedin.com/in/alex-doe-{i}",
        "facts": [
            {"id": "f1", "kind": "funding",
             "text": f"{company} raised {10 + i % 50}M in growth funding to expand its network."},
            {"id": "f2", "kind": "hiring", "text": f"{company} is hiring {3 + i % 9} planners."},
        ],
    })


def synthetic_record(prospect: ProspectIn, step: int = 1) -> dict[str, Any]:
    """A clean email draft for ``prospect``, as the drafter would write it (passes every rule)."""
    fact = prospect.facts[0].text
    body = (f"Hi {prospect.first_name},\n\nI saw that {fact[0].lower()}{fact[1:]} Growth like "
            "that usually means more exceptions between the warehouse and finance. Northwind "
            "Flow puts every one of them in one queue with an owner, and we cut order-exception "
            "handling time 38% at Kestrel Freight.\n\nWould a short call next week make sense?"
            "\n\nBest,\nMara Lindqvist\nAccount Executive, Northwind Labs\n\n"
            f"{SENDER.postal_address}\n{SENDER.unsubscribe.text}\n{SENDER.unsubscribe.url}")
    return {"prospect_id": prospect.id, "step": step, "channel": "email", "status": "drafted",
            "to": prospect.email, "subject": f"{prospect.company} after the raise", "body": body,
            "html": None, "fact_ids": ["f1"], "checks": {}, "reason": None}


def _baseline(records: list[dict[str, Any]]) -> int:
    """The trivial pass: serialise, parse and count words of every record."""
    return sum(len(str(json.loads(json.dumps(r)).get("body") or "").split()) for r in records)


def bench_eval_drafts(n_prospects: int = 100) -> dict[str, Any]:
    """Time ``eval drafts`` on ``n_prospects`` and a baseline pass over the same records."""
    prospects = [synthetic_prospect(i) for i in range(n_prospects)]
    mode = "draft_batch+score"
    started = time.perf_counter()
    drafted = draft_batch(prospects, SENDER, playbook_steps("ai-sdr-first-four"), today=TODAY)
    records = [r.contract() for r in drafted]
    drafted_at = time.perf_counter()
    scores = score_drafts(records, prospects, SENDER, drafter=mode)
    measured = time.perf_counter() - started
    base_start = time.perf_counter()
    _baseline(records)
    baseline = time.perf_counter() - base_start
    return {
        "name": "eval_drafts", "mode": mode, "n_prospects": n_prospects,
        "n_records": len(records), "seconds": round(measured, 4),
        "drafting_seconds": round(drafted_at - started, 4),
        "scoring_seconds": round(measured - (drafted_at - started), 4),
        "records_per_second": round(len(records) / measured, 1) if measured else None,
        "target_seconds": TARGET_SECONDS_PER_100 * max(1, n_prospects) / 100,
        "within_target": measured <= TARGET_SECONDS_PER_100 * max(1, n_prospects) / 100,
        "hard_violations": scores["headline"]["hard_violations"],
        "baseline": {"name": "json round trip + word count", "seconds": round(baseline, 6)},
        "speedup": round(baseline / measured, 6) if measured else None,
        "machine": machine(),
    }
