#!/usr/bin/env python3
"""Sanity checks for s17: parsing, counts, limits, numbers, links, trap leakage."""
import json, re, sys
from collections import Counter, defaultdict
D = "s17/"
errs = []
sender = json.load(open(D + "sender.json"))
P = [json.loads(l) for l in open(D + "prospects.jsonl")]
N = [json.loads(l) for l in open(D + "notes.jsonl")]
R = [json.loads(l) for l in open(D + "references.jsonl")]
ids = [f"s17-p{i:02d}" for i in range(1, 17)]
if [p["id"] for p in P] != ids: errs.append("prospect ids")
if [n["prospect_id"] for n in N] != ids: errs.append("notes ids")
if len(R) != 64: errs.append("ref count")
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
langs = Counter(p["language"] for p in P)
need = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
if set(langs) != need: errs.append(f"langs {langs}")
if sum(v for k, v in langs.items() if k != "en") < 9: errs.append("non-en < 9")
for p in P:
    if not 2 <= len(p["facts"]) <= 5: errs.append(f"{p['id']} fact count")
    for f in p["facts"]:
        if f["kind"] not in KINDS: errs.append(f"{p['id']} kind {f['kind']}")
        if not "2026-01-01" <= f["date"] <= "2026-11-30": errs.append(f"{p['id']} date {f['date']}")
        if not re.match(r"https://[^/]+\.example/", f["source"] + "/"): errs.append(f"{p['id']} source {f['source']}")
    for k in ("email", "company_domain", "linkedin_url"):
        if ".example" not in p[k]: errs.append(f"{p['id']} {k}")
# sender copy
assert len(re.findall(r"[.!?](\s|$)", sender["product_description"])) == 3, "product description sentences"
for k in ("website", "meeting_link"): assert ".example" in sender[k]
for v in sender["value_propositions"] + sender["proof_points"]:
    assert set(v["localized"]) == {"fr", "nl"}, v["id"]
assert set(sender["product_description_localized"]) == {"fr", "nl"}
assert sender["product_name"] != sender["company"]
sender_text = json.dumps(sender, ensure_ascii=False)
pp_text = " ".join(pp["text"] + " " + " ".join(pp["localized"].values()) for pp in sender["proof_points"])
ML = sender["meeting_link"]; FIRST = sender["sender"]["first_name"]
byp = defaultdict(dict)
for r in R: byp[r["prospect_id"]][r["step"]] = r
notes = {n["prospect_id"]: n for n in N}
def words(s): return re.findall(r"[^\W\d_]+", s.lower())
def nums(s): return set(re.sub(r"(?<=\d)[.,\s](?=\d{3}\b)", "", m) for m in re.findall(r"\d[\d.,]*\d|\d", s))
stats = []
for p in P:
    pid = p["id"]; refs = byp[pid]; nt = notes[pid]
    if sorted(refs) != [1, 2, 3, 4]: errs.append(f"{pid} steps"); continue
    for st, ch in ((1, "email"), (2, "email"), (3, "linkedin_connect"), (4, "email")):
        if refs[st]["channel"] != ch: errs.append(f"{pid} s{st} channel")
    if refs[2]["subject"] != "Re: " + refs[1]["subject"]: errs.append(f"{pid} re subject")
    if "subject" in refs[3]: errs.append(f"{pid} linkedin has subject")
    for st in (1, 2, 4):
        wc = len(refs[st]["body"].split())
        stats.append(wc)
        if wc >= 120: errs.append(f"{pid} s{st} {wc} words")
    if len(refs[2]["body"].split()) > 70: errs.append(f"{pid} s2 not short")
    if len(refs[3]["body"]) >= 300: errs.append(f"{pid} li {len(refs[3]['body'])} chars")
    if ML not in refs[4]["body"]: errs.append(f"{pid} s4 no meeting link")
    for st in (1, 2, 3, 4):
        b = refs[st]["body"]
        if not b.rstrip().endswith(FIRST): errs.append(f"{pid} s{st} sign-off")
        urls = re.findall(r"https?://\S+", b)
        for u in urls:
            if u.rstrip(".,") not in (ML, sender["website"]): errs.append(f"{pid} s{st} url {u}")
        if st != 4 and urls: errs.append(f"{pid} s{st} has link")
        if "Kanaalstraat" in b or "unsubscribe" in b.lower(): errs.append(f"{pid} s{st} footer")
        for c in sender["competitors"]:
            if c.lower() in b.lower(): errs.append(f"{pid} competitor")
    traps = nt["traps"]
    ok_facts = [f for f in p["facts"] if f["id"] not in traps]
    if nt["best_hook"] is not None and nt["best_hook"] in traps: errs.append(f"{pid} hook is trap")
    allowed_nums = nums(pp_text + " " + " ".join(f["text"] for f in ok_facts))
    ref_text = " ".join((r.get("subject", "") + " " + r["body"]).replace(ML, "") for r in refs.values())
    for n in nums(ref_text) - allowed_nums:
        errs.append(f"{pid} number not allowed: {n}")
    safe_words = set(words(sender_text + " " + " ".join(f["text"] for f in ok_facts) + " " +
                     " ".join(str(p.get(k, "")) for k in ("first_name", "last_name", "company", "title", "industry"))))
    rw = set(words(ref_text))
    for fid in traps:
        f = next(f for f in p["facts"] if f["id"] == fid)
        # function words only (articles, prepositions, numerals as words); content words are never allowlisted
        STOP = {"anche", "nello", "sobre", "trzech", "which", "about", "their"}
        distinct = {w for w in words(f["text"]) if len(w) >= 5} - safe_words - STOP
        leak = distinct & rw
        if leak: errs.append(f"{pid} trap {fid} leak: {sorted(leak)}")
        for n in nums(f["text"]) - allowed_nums:
            if n in nums(ref_text): errs.append(f"{pid} trap {fid} number {n}")
sens = [p for p in notes.values() if sum(1 for v in p["traps"].values() if v.startswith("sensitive")) >= 3]
print(f"prospects {len(P)}, notes {len(N)}, references {len(R)}, languages {dict(langs)}")
print(f"trap facts {sum(len(n['traps']) for n in N)}, sensitive-dominated prospects {[n['prospect_id'] for n in sens]}")
print(f"email words min/max {min(stats)}/{max(stats)}; linkedin max chars {max(len(byp[i][3]['body']) for i in ids)}")
print("\n".join(errs) if errs else "ALL CHECKS PASSED")
sys.exit(1 if errs else 0)
