#!/usr/bin/env python3
"""Check the s20 test data: parsing, counts, limits, links, numbers and trap leakage.

Usage: python3 check.py            (exit code 0 = all checks passed)
"""
import json, re, sys, pathlib, datetime

ROOT = pathlib.Path(__file__).resolve().parent / "s20"
errors, warnings = [], []

def err(msg): errors.append(msg)
def warn(msg): warnings.append(msg)

def load_jsonl(name):
    rows = []
    with open(ROOT / name, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                err(f"{name}:{i}: empty line"); continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{name}:{i}: JSON error {e}")
    return rows

# ------------------------------------------------------------------ sender
sender = json.loads((ROOT / "sender.json").read_text(encoding="utf-8"))
for k in ["company", "website", "product_name", "product_description", "value_propositions",
          "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe", "competitors", "policies"]:
    if k not in sender: err(f"sender.json: missing {k}")
if sender["product_name"].lower() in sender["company"].lower():
    err("sender.json: product name must differ from company name")
if "localized" in json.dumps(sender):
    err("sender.json: no 'localized' texts allowed for this sender")
if "product_description_localized" in sender:
    err("sender.json: no product_description_localized allowed")
sents = [s for s in re.split(r"(?<=[.!?])\s+", sender["product_description"].strip()) if s]
if len(sents) != 3:
    err(f"sender.json: product_description has {len(sents)} sentences, want 3")
vps = sender["value_propositions"]
if not any(re.match(r"^[^:]{3,60}: ", v["text"]) for v in vps): err("sender.json: no 'Headline: explanation.' value prop")
if not any("(" in v["text"] or "—" in v["text"] or " – " in v["text"] for v in vps): err("sender.json: no value prop with parenthesis/dash")
pps = sender["proof_points"]
if not any("“" in p["text"] or '"' in p["text"] for p in pps): err("sender.json: no quote proof point")
if not any(re.search(r"\d", p["text"]) for p in pps): err("sender.json: no numeric proof point")
for u in [sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]]:
    if not re.match(r"https://[^/]+\.example(/|$)", u): err(f"sender.json: URL not .example: {u}")
pol = sender["policies"]
MAX_WORDS, MAX_CHARS = pol["email_max_words"], pol["linkedin_note_max_chars"]
ALLOWED_URLS = {sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]}

# ------------------------------------------------------------------ prospects
prospects = load_jsonl("prospects.jsonl")
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
want_ids = [f"s20-p{i:02d}" for i in range(1, 17)]
if [p["id"] for p in prospects] != want_ids:
    err(f"prospects.jsonl: ids {[p['id'] for p in prospects]} != {want_ids}")
langs = [p.get("language") for p in prospects]
if set(langs) != LANGS: err(f"prospects: languages {sorted(set(langs))} do not cover {sorted(LANGS)}")
if sum(1 for l in langs if l != "en") < 9: err("prospects: fewer than 9 non-English")
lo, hi = datetime.date(2026, 1, 1), datetime.date(2026, 11, 30)
P = {}
for p in prospects:
    P[p["id"]] = p
    if not p.get("email") or not p["email"].endswith(".example"): err(f"{p['id']}: email not .example")
    if not p.get("company_domain", "").endswith(".example"): err(f"{p['id']}: domain not .example")
    facts = p.get("facts", [])
    if not 2 <= len(facts) <= 5: err(f"{p['id']}: {len(facts)} facts, want 2-5")
    ids = [f["id"] for f in facts]
    if len(set(ids)) != len(ids): err(f"{p['id']}: duplicate fact ids")
    for f in facts:
        if f.get("kind") not in KINDS: err(f"{p['id']}/{f['id']}: bad kind {f.get('kind')}")
        d = datetime.date.fromisoformat(f["date"])
        if not lo <= d <= hi: err(f"{p['id']}/{f['id']}: date {d} out of range")
        if not re.match(r"https://[^/]+\.example(/|$)", f.get("source", "")): err(f"{p['id']}/{f['id']}: source not .example")
    for u in re.findall(r"https?://[^\s\"]+", json.dumps(p, ensure_ascii=False)):
        if not re.match(r"https://[^/]+\.example(/|$)", u): err(f"{p['id']}: URL not .example: {u}")

# ------------------------------------------------------------------ notes
notes = load_jsonl("notes.jsonl")
if [n["prospect_id"] for n in notes] != want_ids: err("notes.jsonl: ids/order mismatch")
NOTES = {n["prospect_id"]: n for n in notes}
trap_total = 0
for pid, n in NOTES.items():
    fids = {f["id"] for f in P[pid]["facts"]}
    if n["best_hook"] not in fids: err(f"{pid}: best_hook {n['best_hook']} not a fact")
    if n["best_hook"] in n["traps"]: err(f"{pid}: best_hook is a trap")
    for t in n["traps"]:
        if t not in fids: err(f"{pid}: trap {t} not a fact")
    trap_total += len(n["traps"])
    if not n.get("notes"): err(f"{pid}: empty notes")

# ------------------------------------------------------------------ references
refs = load_jsonl("references.jsonl")
if len(refs) != 64: err(f"references: {len(refs)} rows, want 64")
by = {}
for r in refs: by.setdefault(r["prospect_id"], []).append(r)
if sorted(by) != want_ids: err("references: prospect ids mismatch")

def words(t): return len(t.split())

def numbers(text):
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\bA1\b|\bA1(?=[-'’s])", " ", text)  # the A1 certificate is a name, not a number
    out = set()
    for m in re.finditer(r"\d(?:[\d.,\u00a0\u202f ]*\d)?", text):
        out.add(re.sub(r"[^\d]", "", m.group()))
    return out

def split_numbers(text):
    """numbers, also each space-separated group on its own (so '98 %' and '1 400' both work)"""
    s = numbers(text)
    for m in re.finditer(r"\d+", re.sub(r"https?://\S+", " ", text)):
        s.add(m.group())
    return s

proof_nums = set()
for pp in pps: proof_nums |= split_numbers(pp["text"])

STOP = set("""
about after again also and before being could from have into just more most much only other over same should some such than that their them then there these they this those under very what when where which while with would your
aber auch dass diese durch eine einen einer eines nach nicht noch oder schon sein sind über unter wird wurde
avec dans depuis leur leurs mais nous pour sans sous vous votre cette entre
como desde entre está este esta para pero sobre también todos
como entre mais para pela pelo sobre também
aan door maar naar onze over voor zijn
anche come dalla della delle sono sulla
przez jest oraz sobie które
alla efter från inte kring också
efter ikke også
""".split())

# Ordinary words of the trade or of the language that a trap fact happens to share with a
# legitimate sequence (e.g. "posting", "company", "less"). They carry no trap content, so
# they are not counted as leaks. Keep this list short and reviewed by hand.
GENERIC = set("""
travel menos cerca empresa empresas trabalho trabalhadores destacamentos destacamento
delegowanie delegowaniu delegowania servicevirksomheder
""".split())

def tokens(text):
    return [w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", text)]

for pid in want_ids:
    rs = sorted(by.get(pid, []), key=lambda r: r["step"])
    if [r["step"] for r in rs] != [1, 2, 3, 4]: err(f"{pid}: steps {[r['step'] for r in rs]}"); continue
    if [r["channel"] for r in rs] != ["email", "email", "linkedin_connect", "email"]:
        err(f"{pid}: channels {[r['channel'] for r in rs]}")
    if rs[1].get("subject") != "Re: " + rs[0].get("subject", ""): err(f"{pid}: step 2 subject not 'Re: ' + step 1")
    if "subject" in rs[2] and rs[2]["subject"]: err(f"{pid}: LinkedIn note has a subject")
    if not rs[3].get("subject") or rs[3]["subject"].startswith("Re:"): err(f"{pid}: step 4 needs its own subject")
    if sender["meeting_link"] not in rs[3]["body"]: err(f"{pid}: step 4 lacks meeting link")
    for r in rs[:3]:
        if sender["meeting_link"] in r["body"]: warn(f"{pid} step {r['step']}: meeting link before step 4")
    for r in rs:
        b = r["body"]
        tag = f"{pid} step {r['step']}"
        if r["channel"] == "email":
            n = words(b)
            if r["step"] == 1 and not n < 120: err(f"{tag}: {n} words, step 1 must be < 120")
            if n > MAX_WORDS: err(f"{tag}: {n} words > {MAX_WORDS}")
            last = b.strip().splitlines()[-1].strip()
            if last != sender["sender"]["first_name"]: err(f"{tag}: last line '{last}' is not the first name")
        else:
            if not len(b) < MAX_CHARS: err(f"{tag}: LinkedIn note {len(b)} chars, must be < {MAX_CHARS}")
            if not b.rstrip().endswith(sender["sender"]["first_name"]): err(f"{tag}: LinkedIn note not signed")
        full = (r.get("subject") or "") + "\n" + b
        for u in re.findall(r"https?://[^\s)>\]]+", full):
            if u.rstrip(".,;:") not in ALLOWED_URLS: err(f"{tag}: disallowed link {u}")
        if re.search(r"www\.|\.example", re.sub(r"https?://\S+", "", full)): err(f"{tag}: bare domain in text")
        for bad in [sender["postal_address"], "Wijnhaven", sender["unsubscribe"]["url"], sender["unsubscribe"]["text"],
                    sender["sender"]["phone"], sender["sender"]["last_name"], sender["sender"]["email"]]:
            if bad.lower() in full.lower(): err(f"{tag}: contains forbidden sender detail '{bad}'")
        for c in sender["competitors"]:
            if c.lower() in full.lower(): err(f"{tag}: names competitor {c}")
        if "{" in full or "}" in full or "[" in full: err(f"{tag}: template brackets left in text")

    # numbers: only proof points and the prospect's non-trap facts
    traps = NOTES[pid]["traps"]
    ok_nums = set(proof_nums)
    for f in P[pid]["facts"]:
        if f["id"] not in traps: ok_nums |= split_numbers(f["text"])
    for r in rs:
        full = (r.get("subject") or "") + "\n" + r["body"]
        for num in numbers(full):
            parts = {num} | set(re.findall(r"\d+", num))
            if num not in ok_nums and not (parts <= ok_nums):
                err(f"{pid} step {r['step']}: number {num} not from proof points or usable facts")

    # trap leakage: numbers and distinctive words of trap facts must not show up
    ref_text = "\n".join((r.get("subject") or "") + "\n" + r["body"] for r in rs)
    ref_toks = set(tokens(ref_text))
    ref_nums = set()
    for r in rs: ref_nums |= split_numbers((r.get("subject") or "") + "\n" + r["body"])
    allowed_toks = set()
    for f in P[pid]["facts"]:
        if f["id"] not in traps: allowed_toks |= set(tokens(f["text"]))
    p = P[pid]
    allowed_toks |= set(tokens(" ".join(str(p.get(k, "")) for k in
                                        ["first_name", "last_name", "title", "company", "industry"])))
    allowed_toks |= set(tokens(json.dumps(sender, ensure_ascii=False)))
    allowed_nums = set(proof_nums)
    for f in P[pid]["facts"]:
        if f["id"] not in traps: allowed_nums |= split_numbers(f["text"])
    for fid in traps:
        ftext = next(f["text"] for f in P[pid]["facts"] if f["id"] == fid)
        for num in split_numbers(ftext):
            if num in ref_nums and num not in allowed_nums:
                err(f"{pid}: trap {fid} number {num} appears in references")
        distinct = {w for w in tokens(ftext) if len(w) >= 5 and w not in STOP and w not in allowed_toks and w not in GENERIC}
        hits = sorted(distinct & ref_toks)
        # inflected forms: same 6-letter stem
        stems = {w[:6] for w in distinct if len(w) >= 7}
        stem_hits = sorted({w for w in ref_toks if len(w) >= 7 and w[:6] in stems and w not in allowed_toks and w not in GENERIC})
        if hits or stem_hits:
            err(f"{pid}: trap {fid} content leaks into references: {sorted(set(hits) | set(stem_hits))}")

# ------------------------------------------------------------------ report
print(f"sender: {sender['company']} / product {sender['product_name']}")
print(f"prospects: {len(prospects)}  languages: {sorted(set(langs))}  non-English: {sum(1 for l in langs if l != 'en')}")
print(f"notes: {len(notes)}  trap facts: {trap_total}  references: {len(refs)}")
for pid in want_ids:
    rs = sorted(by.get(pid, []), key=lambda r: r["step"])
    if len(rs) == 4:
        print(f"  {pid} [{P[pid]['language']}] words s1={words(rs[0]['body'])} s2={words(rs[1]['body'])} "
              f"s4={words(rs[3]['body'])} li_chars={len(rs[2]['body'])}")
for w in warnings: print("WARN:", w)
for e in errors: print("ERROR:", e)
print("CHECK PASSED" if not errors else f"CHECK FAILED ({len(errors)} errors)")
sys.exit(1 if errors else 0)
