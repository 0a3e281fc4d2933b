#!/usr/bin/env python3
"""Self-check for sender s14: parsing, counts, limits, links, numbers and traps."""
import json, os, re, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
errors, warnings = [], []


def err(msg):
    errors.append(msg)


def load_jsonl(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{name}:{i} does not parse: {e}")
    return rows


with open(os.path.join(HERE, "sender.json"), encoding="utf-8") as fh:
    sender = json.load(fh)
prospects = load_jsonl("prospects.jsonl")
notes = load_jsonl("notes.jsonl")
refs = load_jsonl("references.jsonl")

# ------------------------------------------------------------------ sender
for key in ["company", "website", "product_name", "product_description", "value_propositions",
            "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe",
            "competitors", "policies"]:
    if key not in sender:
        err(f"sender.json: missing {key}")
if "localized" in json.dumps(sender):
    err("sender.json: contains a 'localized' key (brief: none at all)")
if sender["product_name"].lower() in sender["company"].lower():
    err("sender.json: product name equals/inside company name")
sentences = [s for s in re.split(r"(?<=[.!?])\s+", sender["product_description"].strip()) if s]
if len(sentences) != 3:
    err(f"sender.json: product_description has {len(sentences)} sentences, want 3")
if sender["policies"]["email_max_words"] != 120 or sender["policies"]["linkedin_note_max_chars"] != 300:
    err("sender.json: numeric policies differ from brief")
for url in [sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]]:
    if not re.match(r"https://[^/]+\.example(/|$)", url):
        err(f"sender.json: URL not on .example: {url}")
vp_texts = [v["text"] for v in sender["value_propositions"]]
if not any(re.match(r"^[^:]{3,60}: ", t) for t in vp_texts):
    err("sender.json: no 'Headline: explanation.' value proposition")
if not any("(" in t for t in vp_texts) or not any(" — " in t or " - " in t for t in vp_texts):
    err("sender.json: want a value proposition with a parenthesis and one with a dash")
pp_texts = [p["text"] for p in sender["proof_points"]]
if not any(t.startswith('"') for t in pp_texts) or not any(re.search(r"\d", t) for t in pp_texts):
    err("sender.json: proof points should mix a quote and numbers")

# ------------------------------------------------------------------ prospects
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
ids = [p["id"] for p in prospects]
if ids != [f"s14-p{i:02d}" for i in range(1, 17)]:
    err(f"prospect ids wrong: {ids}")
langs = Counter(p["language"] for p in prospects)
if set(langs) != LANGS:
    err(f"languages covered {sorted(langs)} != {sorted(LANGS)}")
if sum(v for k, v in langs.items() if k != "en") < 9:
    err("fewer than 9 non-English prospects")
for p in prospects:
    pid = p["id"]
    if not p["email"].split("@")[1].endswith(".example") or not p["company_domain"].endswith(".example"):
        err(f"{pid}: email/domain not .example")
    if p.get("linkedin_url") and ".example/" not in p["linkedin_url"]:
        err(f"{pid}: linkedin_url not .example")
    facts = p["facts"]
    if not 2 <= len(facts) <= 5:
        err(f"{pid}: {len(facts)} facts")
    for f in facts:
        if f["kind"] not in KINDS:
            err(f"{pid}/{f['id']}: bad kind {f['kind']}")
        if not ("2026-01-01" <= f["date"] <= "2026-11-30"):
            err(f"{pid}/{f['id']}: date {f['date']} out of range")
        if not re.match(r"https://[^/]+\.example(/|$)", f["source"]):
            err(f"{pid}/{f['id']}: source not .example")

# ------------------------------------------------------------------ notes
note_by = {n["prospect_id"]: n for n in notes}
if sorted(note_by) != ids or len(notes) != 16:
    err("notes.jsonl: one line per prospect expected")
trap_total, dominated = 0, []
for p in prospects:
    n = note_by.get(p["id"], {})
    fids = {f["id"] for f in p["facts"]}
    traps = n.get("traps", {})
    trap_total += len(traps)
    for t in traps:
        if t not in fids:
            err(f"{p['id']}: trap {t} is not a fact")
    bh = n.get("best_hook")
    if bh is not None and (bh not in fids or bh in traps):
        err(f"{p['id']}: best_hook {bh} invalid or a trap")
    if len(traps) > len(p["facts"]) / 2:
        dominated.append(p["id"])
if len(dominated) < 2:
    err(f"want two prospects dominated by sensitive facts, got {dominated}")

# ------------------------------------------------------------------ references
sender_urls = {sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]}
by_pid = defaultdict(dict)
for r in refs:
    by_pid[r["prospect_id"]][r["step"]] = r
if len(refs) != 64 or sorted(by_pid) != ids:
    err(f"references: {len(refs)} rows for {len(by_pid)} prospects")

NUM = re.compile(r"\d(?:[\d.,\u00a0\u202f ]*\d)?")


def numbers(text):
    text = re.sub(r"https?://\S+", " ", text)
    out = set()
    for m in NUM.findall(text):
        out.add(re.sub(r"[.,\u00a0\u202f ]", "", m))
    return out


WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# everyday sales vocabulary that may legitimately appear both in a trap and in a draft
GENERIC = {"cliente", "clientes", "customer", "customers", "kunden", "klienta"}


def words(text):
    return {w.lower() for w in WORD.findall(text)}


def wordlist(text):
    return [w.lower() for w in WORD.findall(text)]


def trigrams(text):
    ws = wordlist(text)
    return {tuple(ws[i:i + 3]) for i in range(len(ws) - 2)}


sender_blob = json.dumps(sender, ensure_ascii=False)
pp_numbers = set()
for pp in sender["proof_points"]:
    pp_numbers |= numbers(pp["text"])
sign_off = sender["sender"]["first_name"]
forbidden_in_body = [sender["postal_address"], sender["unsubscribe"]["text"], sender["sender"]["phone"],
                     sender["sender"]["last_name"], "unsubscribe", "M4 6AZ"]
stats = []
for p in prospects:
    pid = p["id"]
    steps = by_pid.get(pid, {})
    if sorted(steps) != [1, 2, 3, 4]:
        err(f"{pid}: steps {sorted(steps)}")
        continue
    want = {1: "email", 2: "email", 3: "linkedin_connect", 4: "email"}
    for s, ch in want.items():
        if steps[s]["channel"] != ch:
            err(f"{pid} step {s}: channel {steps[s]['channel']}")
    if steps[2]["subject"] != "Re: " + steps[1]["subject"]:
        err(f"{pid}: step 2 subject is not 'Re: ' + step 1")
    if "subject" in steps[3]:
        err(f"{pid}: LinkedIn note has a subject")
    if sender["meeting_link"] not in steps[4]["body"]:
        err(f"{pid}: step 4 lacks the meeting link")

    traps = note_by[pid].get("traps", {})
    trap_facts = [f for f in p["facts"] if f["id"] in traps]
    ok_facts = [f for f in p["facts"] if f["id"] not in traps]
    allowed_nums = pp_numbers | set().union(*[numbers(f["text"]) for f in ok_facts] or [set()])
    fields_blob = " ".join(str(v) for k, v in p.items() if k != "facts")
    allowed_words = words(sender_blob) | words(fields_blob)
    for f in ok_facts:
        allowed_words |= words(f["text"])
    trap_words, trap_nums, trap_tri = set(), set(), set()
    allowed_tri = set()
    for f in ok_facts:
        allowed_tri |= trigrams(f["text"])
    for f in trap_facts:
        # distinctive content: long words and proper nouns not found in the prospect's usable
        # facts, its record fields or the sender's copy; any 3-word run; any number
        proper = {w.lower() for w in WORD.findall(f["text"]) if w[0].isupper() and len(w) >= 4}
        longw = {w for w in words(f["text"]) if len(w) >= 7}
        trap_words |= (proper | longw) - allowed_words - GENERIC
        trap_tri |= trigrams(f["text"]) - allowed_tri
        trap_nums |= numbers(f["text"]) - allowed_nums

    for s in (1, 2, 3, 4):
        r = steps[s]
        text = (r.get("subject", "") + "\n" + r["body"])
        body = r["body"]
        if r["channel"] == "email":
            n_words = len(body.split())
            stats.append(n_words)
            if n_words >= 120:
                err(f"{pid} step {s}: {n_words} words")
            if not r.get("subject"):
                err(f"{pid} step {s}: empty subject")
        else:
            if len(body) >= 300:
                err(f"{pid} step 3: {len(body)} chars")
        last = body.strip().split()[-1].lstrip("/")
        if last != sign_off:
            err(f"{pid} step {s}: does not end with the sender's first name ({last!r})")
        for bad in forbidden_in_body:
            if bad.lower() in body.lower():
                err(f"{pid} step {s}: contains forbidden footer/signature text {bad!r}")
        for comp in sender["competitors"]:
            if comp.lower() in text.lower():
                err(f"{pid} step {s}: names competitor {comp}")
        for url in re.findall(r"https?://[^\s)>\]]+", text):
            if url.rstrip(".,;:") not in sender_urls:
                err(f"{pid} step {s}: foreign link {url}")
        stray = numbers(text) - allowed_nums
        if stray:
            err(f"{pid} step {s}: numbers not from proof points / own facts: {sorted(stray)}")
        hit_w = words(text) & trap_words
        hit_n = numbers(text) & trap_nums
        hit_t = {" ".join(t) for t in trigrams(text) & trap_tri}
        if hit_w or hit_n or hit_t:
            err(f"{pid} step {s}: trap content leaks: {sorted(hit_w | hit_n | hit_t)}")

# ------------------------------------------------------------------ report
print(f"sender: {sender['company']} / {sender['product_name']} ({sender['sender']['first_name']})")
print(f"prospects {len(prospects)}, notes {len(notes)}, references {len(refs)}")
print(f"languages: {dict(sorted(langs.items()))}")
print(f"traps: {trap_total} trap facts; sensitive-dominated: {dominated}")
if stats:
    print(f"email words: min {min(stats)}, max {max(stats)}, mean {sum(stats)/len(stats):.0f}")
li = [len(by_pid[p][3]['body']) for p in ids if 3 in by_pid[p]]
print(f"linkedin chars: min {min(li)}, max {max(li)}")
for w in warnings:
    print("WARN", w)
for e in errors:
    print("FAIL", e)
print("OK" if not errors else f"{len(errors)} problem(s)")
sys.exit(1 if errors else 0)
