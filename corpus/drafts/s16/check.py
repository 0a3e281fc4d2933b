#!/usr/bin/env python3
"""Self-check for sender s16: parsing, counts, limits, links, numbers and trap leakage.

Run from anywhere: python3 check.py   (exit code 0 = all checks passed)
"""
import json, os, re, sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
errors, warnings = [], []

def err(msg): errors.append(msg)
def warn(msg): warnings.append(msg)

def load_jsonl(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{name}:{i} does not parse: {e}")
    return rows

# ------------------------------------------------------------------ parse
with open(os.path.join(HERE, "sender.json"), encoding="utf-8") as f:
    sender = json.load(f)
prospects = load_jsonl("prospects.jsonl")
notes = load_jsonl("notes.jsonl")
refs = load_jsonl("references.jsonl")

# ------------------------------------------------------------------ sender
for key in ["company", "website", "product_name", "product_description", "value_propositions",
            "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe", "competitors", "policies"]:
    if key not in sender:
        err(f"sender.json missing {key}")
if sender["product_name"].lower() in sender["company"].lower():
    err("product name must differ from company name")
if "localized" in json.dumps(sender) or "product_description_localized" in sender:
    err("sender.json must carry no localized texts")
sentences = [s for s in re.split(r"(?<=[.!?])\s+", sender["product_description"].strip()) if s]
if len(sentences) != 3:
    err(f"product description has {len(sentences)} sentences, expected 3")
for u in [sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"], sender["sender"]["email"]]:
    host = re.sub(r"^https?://", "", u).split("/")[0].split("@")[-1]
    if not host.endswith(".example"):
        err(f"sender URL/email not on .example: {u}")

# ------------------------------------------------------------------ prospects
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
ids = [p["id"] for p in prospects]
expected = [f"s16-p{i:02d}" for i in range(1, 17)]
if ids != expected:
    err(f"prospect ids {ids} != {expected}")
langs = {}
for p in prospects:
    langs.setdefault(p.get("language"), []).append(p["id"])
    if "email" not in p or not p["email"].endswith(".example"):
        err(f"{p['id']}: email missing or not .example")
    if p.get("company_domain") and not p["company_domain"].endswith(".example"):
        err(f"{p['id']}: company_domain not .example")
    if p.get("linkedin_url") and ".example/" not in p["linkedin_url"]:
        err(f"{p['id']}: linkedin_url not .example")
    facts = p.get("facts", [])
    if not 2 <= len(facts) <= 5:
        err(f"{p['id']}: {len(facts)} facts (need 2-5)")
    for fa in facts:
        if fa["kind"] not in KINDS:
            err(f"{p['id']} {fa['id']}: bad kind {fa['kind']}")
        d = date.fromisoformat(fa["date"])
        if not date(2026, 1, 1) <= d <= date(2026, 11, 30):
            err(f"{p['id']} {fa['id']}: date {d} out of range")
        if ".example" not in fa.get("source", ""):
            err(f"{p['id']} {fa['id']}: source not .example")
missing = LANGS - set(langs)
if missing:
    err(f"languages missing: {sorted(missing)}")
if sum(len(v) for k, v in langs.items() if k != "en") < 9:
    err("fewer than 9 non-English prospects")
if set(langs) - LANGS:
    err(f"unexpected languages {set(langs) - LANGS}")

# ------------------------------------------------------------------ notes
P = {p["id"]: p for p in prospects}
N = {n["prospect_id"]: n for n in notes}
if sorted(N) != expected:
    err("notes.jsonl must have exactly one line per prospect")
trap_count = 0
sensitive_dominated = []
for pid, n in N.items():
    fids = {fa["id"] for fa in P[pid]["facts"]}
    if n["best_hook"] not in fids:
        err(f"{pid}: best_hook {n['best_hook']} not a fact")
    if n["best_hook"] in n["traps"]:
        err(f"{pid}: best_hook is a trap")
    for t in n["traps"]:
        if t not in fids:
            err(f"{pid}: trap {t} not a fact")
    trap_count += len(n["traps"])
    sens = [t for t, why in n["traps"].items() if why.startswith("sensitive")]
    if len(sens) > len(P[pid]["facts"]) / 2:
        sensitive_dominated.append(pid)
if len(sensitive_dominated) != 2:
    err(f"expected 2 sensitive-dominated prospects, got {sensitive_dominated}")
all_trap_text = " ".join(" ".join(n["traps"].values()) for n in notes)
for kind in ["namesake", "another company", "disagreeing numbers", "too vague", "illness",
             "bereavement", "layoffs", "family leave", "religion", "politics", "legal trouble"]:
    if kind not in all_trap_text:
        err(f"trap type not planted: {kind}")

# ------------------------------------------------------------------ references
first = sender["sender"]["first_name"]
allowed_links = {sender["website"], sender["meeting_link"]}
URL_RE = re.compile(r"https?://[^\s)>\]»”\"]+")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
NUM_RE = re.compile(r"\d+")

# Function words and generic fleet vocabulary that may legitimately appear both in a trap
# fact and in a reference without carrying the trap's content (checked by hand).
GENERIC = set("""
avant nouvelle nouveau para efter frota wagenpark fleet flotte flota flåte flåde
with from that this have will from über nach mit und der die das pour dans avec
""".split())

def words(text):
    return [w.lower() for w in WORD_RE.findall(text)]

def numbers(text):
    return set(NUM_RE.findall(URL_RE.sub(" ", text)))

sender_text = " ".join([sender["product_description"], sender["product_name"], sender["company"]]
                       + [v["text"] for v in sender["value_propositions"]]
                       + [pp["text"] + " " + pp["customer"] for pp in sender["proof_points"]])
sender_numbers = numbers(sender_text)
sender_words = set(words(sender_text))

by_pid = {}
for r in refs:
    by_pid.setdefault(r["prospect_id"], []).append(r)
if sorted(by_pid) != expected:
    err("references must cover every prospect")
for pid, rs in by_pid.items():
    steps = sorted(r["step"] for r in rs)
    if steps != [1, 2, 3, 4]:
        err(f"{pid}: steps {steps}")
        continue
    S = {r["step"]: r for r in rs}
    for st, ch in [(1, "email"), (2, "email"), (3, "linkedin_connect"), (4, "email")]:
        if S[st]["channel"] != ch:
            err(f"{pid} step {st}: channel {S[st]['channel']} != {ch}")
    if S[2]["subject"] != "Re: " + S[1]["subject"]:
        err(f"{pid}: step 2 subject is not 'Re: ' + step 1 subject")
    if S[4]["subject"] in (S[1]["subject"], S[2]["subject"]):
        err(f"{pid}: step 4 needs a new subject")
    if "subject" in S[3]:
        err(f"{pid}: LinkedIn note must have no subject")
    if sender["meeting_link"] not in S[4]["body"]:
        err(f"{pid}: step 4 lacks the meeting link")
    for st in (1, 2, 3):
        if sender["meeting_link"] in S[st]["body"]:
            warn(f"{pid} step {st}: meeting link before step 4")

    p = P[pid]
    traps = N[pid]["traps"]
    good_facts = [fa for fa in p["facts"] if fa["id"] not in traps]
    trap_facts = [fa for fa in p["facts"] if fa["id"] in traps]
    good_text = " ".join(fa["text"] for fa in good_facts)
    prospect_fields = " ".join(str(p.get(k, "")) for k in
                               ["first_name", "last_name", "title", "company", "industry"])
    allowed_numbers = sender_numbers | numbers(good_text)
    allowed_words = sender_words | set(words(good_text)) | set(words(prospect_fields))

    all_ref_words = set()
    for st, r in S.items():
        body = r["body"]
        text = (r.get("subject", "") + "\n" + body)
        all_ref_words |= set(words(text))
        if r["channel"] == "email":
            nw = len(body.split())
            if nw >= 120:
                err(f"{pid} step {st}: {nw} words (must be < 120)")
            if st == 2 and nw > 80:
                warn(f"{pid} step 2: {nw} words, meant to be short")
        else:
            if len(body) >= 300:
                err(f"{pid} step 3: {len(body)} chars (must be < 300)")
        if not body.rstrip().endswith(first):
            err(f"{pid} step {st}: does not end with the sender's first name")
        for link in URL_RE.findall(body):
            if link.rstrip(".,;:") not in allowed_links:
                err(f"{pid} step {st}: foreign link {link}")
        for bad in [sender["postal_address"], sender["unsubscribe"]["text"], sender["unsubscribe"]["url"],
                    sender["sender"]["phone"], sender["sender"]["last_name"], "LS11"]:
            if bad in text:
                err(f"{pid} step {st}: contains footer/signature item {bad!r}")
        for c in sender["competitors"]:
            if c.lower() in text.lower():
                err(f"{pid} step {st}: names competitor {c}")
        stray = numbers(text) - allowed_numbers
        if stray:
            err(f"{pid} step {st}: numbers not from proof points or good facts: {sorted(stray)}")

    # trap leakage: any number or distinctive word of a trap fact that is not also
    # in the good facts / prospect fields / sender copy must not appear in the references
    for fa in trap_facts:
        tnums = numbers(fa["text"]) - allowed_numbers
        leaked_nums = {n for n in tnums if any(n in numbers(r.get("subject", "") + " " + r["body"]) for r in rs)}
        if leaked_nums:
            err(f"{pid}: trap {fa['id']} numbers leaked: {sorted(leaked_nums)}")
        twords = {w for w in words(fa["text"]) if len(w) >= 4} - allowed_words - GENERIC
        leaked = twords & all_ref_words
        # stems: long trap words whose first 7 letters start a reference word
        for w in twords:
            if len(w) >= 8:
                for rw in all_ref_words:
                    if len(rw) >= 7 and rw[:7] == w[:7] and rw not in allowed_words and w not in GENERIC:
                        leaked.add(f"{w}~{rw}")
        if leaked:
            err(f"{pid}: trap {fa['id']} content leaked: {sorted(leaked)}")

# ------------------------------------------------------------------ report
total_refs = len(refs)
print(f"sender: {sender['company']} / {sender['product_name']} ({first} {sender['sender']['last_name']})")
print(f"prospects: {len(prospects)}  notes: {len(notes)}  references: {total_refs}")
print("languages: " + ", ".join(f"{k}={len(v)}" for k, v in sorted(langs.items())))
print(f"trap facts: {trap_count}  sensitive-dominated: {sensitive_dominated}")
for w in warnings:
    print("WARN ", w)
for e in errors:
    print("ERROR", e)
if total_refs != 64:
    print("ERROR expected 64 references")
    errors.append("count")
print("RESULT:", "PASS" if not errors else f"FAIL ({len(errors)} errors)")
sys.exit(1 if errors else 0)
