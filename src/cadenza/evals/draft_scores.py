"""``scores.json`` of ``cadenza eval drafts``: every metric aggregated, every hard rule listed.

The file serves three readers: a person (through ``report.html``), the CI gate (hard-rule
violations one by one) and ``cadenza eval compare`` (per-item values under ``items``, so a
difference between two runs can be tested against noise instead of eyeballed).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cadenza.errors import InputError
from cadenza.evals.draft_metrics import HARD_RULES, MetricResult, evaluate_draft
from cadenza.evals.draft_prose import prose_metrics, record_language, sequence_metrics
from cadenza.evals.judge import CRITERIA, DraftJudge
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile

SCHEMA_VERSION = 1
#: Metrics whose numeric value is summarised by mean and median (the rest by pass rate).
NUMERIC = ("personalization", "words", "reading", "subject", "pasted_fact")
_STATUS_FOR_EXPECT = {"draft": "drafted", "hold": "held", "skip": "skipped"}


def cadenza_version() -> str:
    """The installed distribution's version (``unknown`` in a bare source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cadenza")
    except PackageNotFoundError:
        return "unknown"


def _rate(results: list[bool | None]) -> dict[str, Any]:
    applicable = [r for r in results if r is not None]
    passed = sum(1 for r in applicable if r)
    return {"n": len(applicable), "passed": passed,
            "rate": round(passed / len(applicable), 4) if applicable else None}


def _numeric(values: list[Any]) -> dict[str, Any]:
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        return {"mean": None, "median": None}
    return {"mean": round(statistics.fmean(nums), 3), "median": round(statistics.median(nums), 3)}


def summarize(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Pass rate of every metric, plus mean/median of the numeric ones, over ``items``."""
    names: list[str] = []
    for item in items:
        names.extend(n for n in item["metrics"] if n not in names)
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        cells = [item["metrics"][name] for item in items if name in item["metrics"]]
        out[name] = _rate([c["passed"] for c in cells])
        if name in NUMERIC:
            out[name] |= _numeric([c["value"] for c in cells])
        if name in HARD_RULES:
            out[name]["hard"] = True
    return out


def _judge_summary(items: list[dict[str, Any]], judge: DraftJudge | None) -> dict[str, Any] | None:
    if judge is None:
        return None
    graded = [i for i in items if i.get("judge") and "error" not in i["judge"]]
    failed = [{"prospect_id": i["prospect_id"], "step": i["step"], "error": i["judge"]["error"]}
              for i in items if i.get("judge") and "error" in i["judge"]]
    averages = {c: round(statistics.fmean(i["judge"][c]["score"] for i in graded), 3)
                if graded else None for c in CRITERIA}
    overall = [statistics.fmean(i["judge"][c]["score"] for c in CRITERIA) for i in graded]
    return {"model": judge.name, "n": len(graded), "errors": len(failed), "failures": failed,
            "averages": averages,
            "overall": round(statistics.fmean(overall), 3) if overall else None}


def _expected_check(records: list[dict[str, Any]],
                    expected: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Agreement of each record's status and reason with ``expected.jsonl``."""
    mismatches = []
    checked = 0
    for r in records:
        exp = expected.get(str(r.get("prospect_id")))
        if not exp or exp.get("expect") not in _STATUS_FOR_EXPECT:
            continue
        checked += 1
        want_status = _STATUS_FOR_EXPECT[str(exp["expect"])]
        want_reason = exp.get("reason")
        got_reason = r.get("reason")
        reason_ok = want_reason is None or got_reason == want_reason
        if r.get("status") != want_status or not reason_ok:
            mismatches.append({"prospect_id": r.get("prospect_id"), "step": r.get("step"),
                               "expected": f"{want_status}/{want_reason}",
                               "got": f"{r.get('status')}/{got_reason}"})
    return {"n": checked, "matched": checked - len(mismatches),
            "rate": round((checked - len(mismatches)) / checked, 4) if checked else None,
            "mismatches": mismatches}


def _per_prospect(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_id.setdefault(item["prospect_id"], []).append(item)
    rows = []
    levels = {"none": 0, "shallow": 1, "deep": 2}
    for pid, group in by_id.items():
        statuses = Counter(i["status"] for i in group)
        words = [i["metrics"]["words"]["value"] for i in group if "words" in i["metrics"]]
        pers = [i["metrics"]["personalization"].get("detail", "none") for i in group
                if "personalization" in i["metrics"]]
        flags = sorted({name for i in group for name, m in i["metrics"].items()
                        if m["passed"] is False})
        rows.append({
            "prospect_id": pid,
            "status": "/".join(f"{s}" for s in statuses),
            "reason": next((i["reason"] for i in group if i.get("reason")), None),
            "steps": len(group),
            "words_median": statistics.median(words) if words else None,
            "personalization": max(pers, key=lambda p: levels.get(p, 0)) if pers else None,
            "hard_violations": sum(1 for i in group for v in i["hard_violations"]),
            "flags": flags,
        })
    return rows


def score_drafts(records: Iterable[Mapping[str, Any]], prospects: Iterable[ProspectIn],
                 sender: SenderProfile, *, expected: Mapping[str, Mapping[str, Any]] | None = None,
                 judge: DraftJudge | None = None, playbook: str | None = None,
                 drafter: str | None = None, dataset: str | None = None,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """The ``scores.json`` object for a run (see the module docstring for its readers).

    ``expected`` maps a prospect id to its ``expected.jsonl`` line (forbidden facts and strings,
    expected status). Metrics are computed for drafted and held records; hard-rule violations
    of ``held`` records are listed too, marked, because the checker already stopped them.
    """
    recs = [dict(r) for r in records]
    by_id = {p.id: p for p in prospects}
    exp = expected or {}
    items: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    for rec in recs:
        pid = str(rec.get("prospect_id"))
        item: dict[str, Any] = {
            "prospect_id": pid, "step": rec.get("step"), "channel": rec.get("channel"),
            "status": rec.get("status"), "reason": rec.get("reason"),
            "subject": rec.get("subject"), "body": rec.get("body"), "metrics": {},
            "hard_violations": [], "language": rec.get("language"),
            "problems": list(rec.get("problems") or []), "note": rec.get("note"),
        }
        prospect = by_id.get(pid)
        if prospect is not None:
            used = {str(i) for i in rec.get("fact_ids") or []}
            item["facts"] = [{"id": f.id, "kind": f.kind, "text": f.text, "used": f.id in used}
                             for f in prospect.facts]
            item["language"] = item["language"] or record_language(rec, prospect)
        if rec.get("status") in ("drafted", "held") and prospect is not None:
            results: dict[str, MetricResult] = evaluate_draft(rec, prospect, sender,
                                                              expected=exp.get(pid))
            results |= prose_metrics(rec, prospect, sender)
            item["metrics"] = {k: v.as_dict() for k, v in results.items()}
            for rule in sorted(HARD_RULES):
                if results[rule].passed is False:
                    v = {"prospect_id": pid, "step": rec.get("step"),
                         "channel": rec.get("channel"), "status": rec.get("status"),
                         "rule": rule, "detail": results[rule].detail}
                    violations.append(v)
                    item["hard_violations"].append(rule)
            if judge is not None:
                item["judge"] = judge.grade(rec, prospect).as_dict()
        elif rec.get("status") in ("drafted", "held"):
            item["error"] = f"prospect {pid} is not in the prospects file"
        items.append(item)

    repetition = sequence_metrics(items, recs, by_id, sender)
    content = [i for i in items if i["metrics"]]
    metrics = summarize(content)
    steps = sorted({i["step"] for i in items if isinstance(i["step"], int)})
    per_step = {str(s): {"counts": dict(Counter(i["status"] for i in items if i["step"] == s)),
                         "metrics": summarize([i for i in content if i["step"] == s])}
                for s in steps}
    status = Counter(str(r.get("status")) for r in recs)
    words = [i["metrics"]["words"]["value"] for i in content if i["channel"] == "email"]
    blocking = [v for v in violations if v["status"] == "drafted"]
    return {
        "kind": "drafts",
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "dataset": dataset, "n_prospects": len(by_id), "n_records": len(recs),
            "playbook": playbook, "drafter": drafter, "judge": judge.name if judge else None,
            "timestamp": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            "cadenza_version": cadenza_version(),
        },
        "counts": {
            "status": dict(status),
            "channel": dict(Counter(str(r.get("channel")) for r in recs)),
            "step": {str(k): v for k, v in sorted(Counter(r.get("step") for r in recs).items(),
                                                  key=lambda kv: str(kv[0]))},
            "reason": dict(Counter(str(r["reason"]) for r in recs if r.get("reason"))),
        },
        "headline": {
            "drafted": status.get("drafted", 0), "held": status.get("held", 0),
            "skipped": status.get("skipped", 0),
            "hard_violations": len(blocking), "held_violations": len(violations) - len(blocking),
            "grounding_rate": metrics.get("grounding", {}).get("rate"),
            "median_words": statistics.median(words) if words else None,
            "cta_pass_rate": metrics.get("cta", {}).get("rate"),
            "footer_rate": metrics.get("footer", {}).get("rate"),
            "bridge_rate": metrics.get("bridge", {}).get("rate"),
            "failed_first": failed_first(metrics, status, len(blocking)),
        },
        "repetition": repetition,
        "hard_rules": sorted(HARD_RULES),
        "hard_violations": violations,
        "metrics": metrics,
        "per_step": per_step,
        "per_prospect": _per_prospect(items),
        "expected": _expected_check(recs, exp) if exp else None,
        "judge": _judge_summary(items, judge),
        "items": items,
    }


def failed_first(metrics: dict[str, dict[str, Any]], status: Counter[str],
                 hard: int) -> list[dict[str, Any]]:
    """What failed, worst first: hard-rule violations, held drafts, then every metric by the
    share of drafts that fail it (what a reader notices first leads the report)."""
    out: list[dict[str, Any]] = []
    if hard:
        out.append({"metric": "hard_violations", "failed": hard, "share": None})
    if status.get("held"):
        out.append({"metric": "held", "failed": status["held"], "share": None})
    failing = [(name, m["n"] - m["passed"], m["n"]) for name, m in metrics.items()
               if m.get("n") and m["n"] > m["passed"]]
    failing.sort(key=lambda t: (-(t[1] / t[2]), t[0]))
    out += [{"metric": name, "failed": bad, "share": round(bad / n, 3)}
            for name, bad, n in failing]
    return out


def load_expected(path: Path) -> dict[str, dict[str, Any]]:
    """``expected.jsonl`` keyed by prospect id (a bad line names its file and line)."""
    out: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", file=str(path), line=number) from None
        if not isinstance(row, dict) or not row.get("id"):
            raise InputError("each line needs an object with an id", file=str(path),
                             line=number, field="id")
        out[str(row["id"])] = row
    return out


def write_scores(scores: dict[str, Any], path: Path) -> Path:
    """Write ``scores.json`` (UTF-8, names kept readable)."""
    path.write_text(json.dumps(scores, indent=1, ensure_ascii=False), encoding="utf-8")
    return path
