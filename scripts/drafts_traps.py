"""Count how often the drafter uses a planted trap fact or misses a planted best hook.

Runs `cadenza eval drafts` on every corpus/drafts/s*/ sender (or reads existing outputs) and
compares each draft's fact_ids with notes.jsonl: `traps` are facts that must never be used,
`best_hook` is the fact a careful SDR opened with (s1-s3 have free-text notes only).
Senders listed in corpus/drafts/UNREAD are held for the next blind round and skipped.

    PYTHONPATH=src python scripts/drafts_traps.py [--out DIR] [--reuse] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "corpus" / "drafts"


def _jsonl(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/drafts-traps")
    parser.add_argument("--reuse", action="store_true", help="read drafts already in --out")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    totals: Counter[str] = Counter()
    unread_file = ROOT / "UNREAD"
    unread = set(unread_file.read_text(encoding="utf-8").split()) if unread_file.exists() \
        else set()
    for sender_dir in sorted(ROOT.glob("s[0-9]*")):
        if sender_dir.name in unread:
            continue  # held for the next blind round: nobody reads it before then
        notes_path = sender_dir / "notes.jsonl"
        if not notes_path.exists():
            continue
        run = out / sender_dir.name
        if not args.reuse:
            subprocess.run(
                [sys.executable, "-m", "cadenza", "eval", "drafts",
                 str(sender_dir / "prospects.jsonl"), "--sender",
                 str(sender_dir / "sender.json"), "--out", str(run)],
                check=True, stdout=subprocess.DEVNULL,
            )
        drafts = _jsonl(run / "drafts.jsonl")
        scores = json.loads((run / "scores.json").read_text(encoding="utf-8"))
        used: dict[str, set[str]] = {}
        for d in drafts:
            totals[d["status"]] += 1
            if d["status"] != "skipped":
                used.setdefault(d["prospect_id"], set()).update(d.get("fact_ids") or [])
        hard = scores["headline"]["hard_violations"]
        totals["hard"] += int(hard or 0)
        for note in _jsonl(notes_path):
            pid = note.get("prospect_id") or note["id"]
            facts = used.get(pid, set())
            for fid, why in (note.get("traps") or {}).items():
                totals["traps"] += 1
                if fid in facts:
                    totals["trap_used"] += 1
                    if args.verbose:
                        print(  # noqa: T201
f"TRAP  {pid} {fid}: {why[:90]}")
            hook = note.get("best_hook")
            if hook:
                totals["hooks"] += 1
                if hook in facts:
                    totals["hook_used"] += 1
                elif args.verbose:
                    print(  # noqa: T201
f"MISS  {pid} best_hook {hook}")
    print(  # noqa: T201
json.dumps(dict(totals), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
