"""Means of a blind rating round: python ratings/score_round.py KEY RATINGS... (from corpus/drafts).

KEY maps "<item>-<label>" to base (the previous drafter), new (the drafter under test) or ref
(the hand-written references); items are "<sender>-<prospect>"."""
import collections
import json
import statistics
import sys

key = json.load(open(sys.argv[1]))
senders = sorted({k.split("-")[0] for k in key})
for path in sys.argv[2:]:
    rows = [json.loads(line) for line in open(path) if line.strip()]
    by = collections.defaultdict(lambda: {"reply": [], "send": []})
    for x in rows:
        src = key.get(f"{x['item']}-{x['label']}")
        if src is None:
            continue
        for group in (src, f"{src}:{x['item'].split('-')[0]}"):
            by[group]["reply"].append(x["reply"])
            by[group]["send"].append(x["send"])
    print(path, len(rows))
    for src in ("base", "new", "ref"):
        d = by[src]
        per = "  ".join(f"{s} send={statistics.mean(by[f'{src}:{s}']['send']):.2f}"
                        for s in senders)
        print(f"  {src}: n={len(d['send'])} reply={statistics.mean(d['reply']):.2f} "
              f"send={statistics.mean(d['send']):.2f}  {per}")
