"""Blind rating packets for one round: for each prospect of the given senders, three sequences
(the previous drafter, the new drafter, the hand-written references) shuffled under X/Y/Z.

usage: build_round.py CORPUS_DIR BASE_DIR NEW_DIR OUT_DIR SEED SENDER...
CORPUS_DIR holds <sender>/{sender.json,prospects.jsonl,references.jsonl}; BASE_DIR and NEW_DIR
hold <sender>/drafts.jsonl as `cadenza eval drafts` writes it. Writes OUT_DIR/packet.jsonl
(what a reviewer reads) and OUT_DIR/key.json (never shown to a reviewer)."""
import json
import random
import sys
from pathlib import Path

from cadenza.sender import SenderProfile
from cadenza.writing.composing import footer_block

corpus, base_dir, new_dir, out_dir = (Path(a) for a in sys.argv[1:5])
seed, senders = int(sys.argv[5]), sys.argv[6:]
rng = random.Random(seed)
out_dir.mkdir(parents=True, exist_ok=True)
key, items = {}, []


def rows_of(path: Path) -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.setdefault(r["prospect_id"], {})[r["step"]] = r
    return out


for s in senders:
    raw = json.loads((corpus / s / "sender.json").read_text(encoding="utf-8"))
    sender = SenderProfile.model_validate(raw)
    prospects = [json.loads(x) for x in (corpus / s / "prospects.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    sources = {"base": rows_of(base_dir / s / "drafts.jsonl"),
               "new": rows_of(new_dir / s / "drafts.jsonl"),
               "ref": rows_of(corpus / s / "references.jsonl")}
    for p in prospects:
        pid, lang = p["id"], p.get("language") or "en"

        def seq(src: str) -> list[dict]:
            rows = sources[src].get(pid, {})
            touches = []
            for step in (1, 2, 3, 4):
                r = rows.get(step)
                if r is None or r.get("status") == "skipped":
                    touches.append({"step": step, "note": "nothing drafted (left to a person)"})
                    continue
                body = r.get("body") or ""
                for foot in {footer_block(sender, lang), footer_block(sender, "en")}:
                    if foot and foot in body:
                        body = body.replace(foot, "").rstrip()
                t = {"step": step, "channel": r.get("channel", ""),
                     "subject": r.get("subject") or "", "body": body}
                if r.get("status") == "held":
                    t["note"] = "held for a person to review before sending"
                touches.append(t)
            return touches

        order = ["base", "new", "ref"]
        rng.shuffle(order)
        item = {"item": pid,
                "sender": {k: raw.get(k) for k in ("company", "product_name", "product_description",
                                                   "value_propositions", "proof_points",
                                                   "meeting_link")},
                "prospect": {k: p.get(k) for k in ("first_name", "last_name", "title", "company",
                                                   "industry", "country", "language")},
                "facts": [{k: f.get(k) for k in ("kind", "text", "date")}
                          for f in p.get("facts", [])]}
        for label, src in zip("XYZ", order):
            key[f"{pid}-{label}"] = src
            item[label] = seq(src)
        items.append(item)
rng.shuffle(items)
(out_dir / "packet.jsonl").write_text(
    "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
(out_dir / "key.json").write_text(json.dumps(key, indent=0), encoding="utf-8")
print(len(items), "items")
