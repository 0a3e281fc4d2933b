import json, sys, statistics, collections
key = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    rows = [json.loads(l) for l in open(path) if l.strip()]
    by = collections.defaultdict(lambda: {"reply": [], "send": []})
    for x in rows:
        src = key.get(f"{x['item']}-{x['label']}")
        if src is None: continue
        by[src]["reply"].append(x["reply"]); by[src]["send"].append(x["send"])
        by[src + ":" + x["item"][:2]]["send"].append(x["send"])
    print(path, len(rows))
    for src in ("base", "new", "ref"):
        d = by[src]
        print(f"  {src}: n={len(d['send'])} reply={statistics.mean(d['reply']):.2f} send={statistics.mean(d['send']):.2f}  s4 send={statistics.mean(by[src+':s4']['send']):.2f} s5 send={statistics.mean(by[src+':s5']['send']):.2f}")
