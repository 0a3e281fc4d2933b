import json, sys, statistics, collections
for r in sys.argv[1:]:
    key = json.load(open(f"corpus/drafts/ratings/key-{r}.json"))
    rows = [json.loads(l) for l in open(f"corpus/drafts/ratings/ratings-{r}.jsonl") if l.strip()]
    by = collections.defaultdict(lambda: {"reply": [], "send": []})
    for x in rows:
        src = key.get(f"{x['item']}-{x['label']}")
        if src is None: continue
        by[src]["reply"].append(x["reply"]); by[src]["send"].append(x["send"])
        by[src + ":" + x["item"][:2]]["send"].append(x["send"])
    print(r, len(rows))
    for src in ("base", "new", "ref"):
        d = by[src]; print(f"  {src}: n={len(d['send'])} reply={statistics.mean(d['reply']):.2f} send={statistics.mean(d['send']):.2f}  s2 send={statistics.mean(by[src+':s2']['send']):.2f} s3 send={statistics.mean(by[src+':s3']['send']):.2f}")
