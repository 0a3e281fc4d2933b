"""Blind rating packets: for each held-out prospect, three sequences (the previous drafter, the new
drafter, a hand-written reference) shuffled under neutral labels X/Y/Z.
usage: build3.py BASE_DIR NEW_DIR OUT_DIR SEED"""
import json, random, sys
from pathlib import Path
from cadenza.sender import SenderProfile
from cadenza.writing.composing import footer_block

base_dir, new_dir, out_dir, seed = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
out_dir.mkdir(parents=True, exist_ok=True)
key, items = {}, []
def load(d, s):
    out = {}
    for l in (d / s / "drafts.jsonl").read_text().splitlines():
        r = json.loads(l); out.setdefault(r["prospect_id"], {})[r["step"]] = r
    return out
for s in ("s2", "s3"):
    base = Path("/tmp/drafts_corpus") / s
    raw = json.loads((base / "sender.json").read_text())
    sender = SenderProfile.model_validate(raw)
    prospects = [json.loads(l) for l in (base / "prospects.jsonl").read_text().splitlines() if l.strip()]
    refs = {}
    for l in (base / "references.jsonl").read_text().splitlines():
        if l.strip():
            r = json.loads(l); refs.setdefault(r["prospect_id"], {})[r["step"]] = r
    sources = {"base": load(base_dir, s), "new": load(new_dir, s), "ref": refs}
    for p in prospects:
        pid, lang = p["id"], p.get("language") or "en"
        def seq(src):
            rows = sources[src].get(pid, {})
            touches = []
            for step in (1, 2, 3, 4):
                r = rows.get(step)
                if r is None or r.get("status") == "skipped":
                    touches.append({"step": step, "note": "nothing drafted (left to a person)"}); continue
                body = r.get("body") or ""
                for foot in {footer_block(sender, lang), footer_block(sender, "en")}:
                    if foot and foot in body:
                        body = body.replace(foot, "").rstrip()
                t = {"step": step, "channel": r.get("channel", ""), "subject": r.get("subject") or "", "body": body}
                if r.get("status") == "held":
                    t["note"] = "held for a person to review before sending"
                touches.append(t)
            return touches
        order = ["base", "new", "ref"]; rng.shuffle(order)
        item = {"item": f"{s}-{p['id'].split('-')[-1]}", "sender": {k: raw.get(k) for k in ("company", "product_name", "product_description", "value_propositions", "proof_points", "meeting_link")},
                "prospect": {k: p.get(k) for k in ("first_name", "last_name", "title", "company", "industry", "country", "language")},
                "facts": [{k: f.get(k) for k in ("kind", "text", "date")} for f in p.get("facts", [])]}
        for label, src in zip("XYZ", order):
            key[f"{item['item']}-{label}"] = src
            item[label] = seq(src)
        items.append(item)
rng.shuffle(items)
(out_dir / "packet.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n")
Path(f"/tmp/rating/key-{out_dir.name}.json").write_text(json.dumps(key))
print(len(items), "items")
