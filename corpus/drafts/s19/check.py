#!/usr/bin/env python3
"""Consistency checks for the s19 test data. Exit code 1 on any error."""
import json, re, sys, datetime
from collections import defaultdict, Counter

D = "s19/"
errors, warnings = [], []
def err(m): errors.append(m)
def warn(m): warnings.append(m)

def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                err(f"{path}:{i} empty line"); continue
            try:
                out.append(json.loads(line))
            except Exception as e:
                err(f"{path}:{i} does not parse: {e}")
    return out

sender = json.load(open(D + "sender.json", encoding="utf-8"))
prospects = load_jsonl(D + "prospects.jsonl")
notes = load_jsonl(D + "notes.jsonl")
refs = load_jsonl(D + "references.jsonl")

# ------------------------------------------------------------------ sender
for k in ["company", "website", "product_name", "product_description", "value_propositions",
          "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe",
          "competitors", "policies"]:
    if k not in sender: err(f"sender: missing {k}")
if sender["product_name"].lower() in sender["company"].lower():
    err("sender: product name must differ from company name")
sents = [x for x in re.split(r"(?<=[.!?])\s+", sender["product_description"].strip()) if x]
if len(sents) != 3: err(f"sender: product_description has {len(sents)} sentences, want 3")
LOC = {"de", "it", "sv"}
if set(sender.get("product_description_localized", {})) != LOC:
    err("sender: product_description_localized must be exactly de/it/sv")
for vp in sender["value_propositions"]:
    if set(vp.get("localized", {})) != LOC: err(f"sender: {vp['id']} localized must be de/it/sv")
for pp in sender["proof_points"]:
    if set(pp.get("localized", {})) != LOC: err(f"sender: {pp['id']} localized must be de/it/sv")
    if "metric" in pp and pp["metric"] not in pp["text"]:
        err(f"sender: {pp['id']} metric {pp['metric']!r} not in text")
vtexts = [v["text"] for v in sender["value_propositions"]]
if not any(re.match(r"^[^:]{3,40}: [A-Z]", t) for t in vtexts): err("sender: no 'Headline: explanation.' VP")
if not any("(" in t for t in vtexts): err("sender: no VP with a parenthesis")
if not any("—" in t or " – " in t for t in vtexts): err("sender: no VP with a dash")
if not any(":" not in t and len(t.split()) > 25 for t in vtexts): err("sender: no long benefit-sentence VP")
ptexts = [p["text"] for p in sender["proof_points"]]
if not any('"' in t or "“" in t for t in ptexts): err("sender: no quote proof point")
if not any(re.search(r"\d", t) for t in ptexts): err("sender: no numeric proof point")
pol = sender["policies"]
if pol.get("email_max_words") != 120 or pol.get("linkedin_note_max_chars") != 300:
    err("sender: numeric policies wrong")
for u in [sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]]:
    if not re.match(r"https://[^/]+\.example(/|$)", u): err(f"sender: url not .example: {u}")
if not sender["sender"]["email"].endswith(".example"): err("sender: email domain")

# ------------------------------------------------------------------ prospects
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
ALL_LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
want_ids = [f"s19-p{i:02d}" for i in range(1, 17)]
if [p["id"] for p in prospects] != want_ids: err("prospects: ids must be s19-p01..s19-p16 in order")
P = {p["id"]: p for p in prospects}
langs = Counter(p["language"] for p in prospects)
if set(langs) != ALL_LANGS: err(f"prospects: languages {sorted(langs)} != {sorted(ALL_LANGS)}")
if sum(v for k, v in langs.items() if k != "en") < 9: err("prospects: fewer than 9 non-English")
lo, hi = datetime.date(2026, 1, 1), datetime.date(2026, 11, 30)
url_re = re.compile(r"https?://[^\s)\"»”]+")
for p in prospects:
    pid = p["id"]
    if not p.get("email", "").endswith(".example"): err(f"{pid}: email not .example")
    if not p.get("company_domain", "").endswith(".example"): err(f"{pid}: domain not .example")
    if not re.match(r"https://[^/]+\.example/", p.get("linkedin_url", "")): err(f"{pid}: linkedin url")
    fs = p["facts"]
    if not 2 <= len(fs) <= 5: err(f"{pid}: {len(fs)} facts")
    if len({f['id'] for f in fs}) != len(fs): err(f"{pid}: duplicate fact ids")
    for f in fs:
        if f["kind"] not in KINDS: err(f"{pid}/{f['id']}: bad kind {f['kind']}")
        d = datetime.date.fromisoformat(f["date"])
        if not lo <= d <= hi: err(f"{pid}/{f['id']}: date {d} out of range")
        if not re.match(r"https://[^/]+\.example/", f["source"]): err(f"{pid}/{f['id']}: source not .example")
        for u in url_re.findall(f["text"]):
            err(f"{pid}/{f['id']}: url in fact text {u}")

# ------------------------------------------------------------------ notes
if [n["prospect_id"] for n in notes] != want_ids: err("notes: ids/order")
NOTES = {n["prospect_id"]: n for n in notes}
trap_kinds = Counter()
for pid, n in NOTES.items():
    fids = {f["id"] for f in P[pid]["facts"]}
    bh = n.get("best_hook")
    if bh is not None and bh not in fids: err(f"{pid}: best_hook {bh} not a fact")
    if bh in n["traps"]: err(f"{pid}: best_hook is a trap")
    for fid, why in n["traps"].items():
        if fid not in fids: err(f"{pid}: trap {fid} not a fact")
        w = why.lower()
        for key in ["namesake", "another company", "disagreeing numbers", "too vague", "sensitive",
                    "politics", "religion", "legal trouble", "layoffs", "bereavement", "illness", "family leave"]:
            if key in w: trap_kinds[key] += 1
    if not n.get("notes"): err(f"{pid}: empty notes")
dominated = [pid for pid, n in NOTES.items() if len(n["traps"]) >= 3 and len(n["traps"]) >= len(P[pid]["facts"]) - 1]
if len(dominated) < 2: err(f"notes: want 2 prospects dominated by sensitive facts, got {dominated}")
for key in ["namesake", "another company", "disagreeing numbers", "too vague"]:
    if not trap_kinds[key]: err(f"notes: no trap of kind '{key}'")
if sum(trap_kinds[k] for k in ["politics", "religion", "legal trouble", "layoffs", "bereavement", "illness", "family leave"]) < 5:
    err("notes: too few sensitive traps")
n_traps = sum(len(n["traps"]) for n in notes)

# ------------------------------------------------------------------ references
by = defaultdict(dict)
for r in refs:
    if r["step"] in by[r["prospect_id"]]: err(f"{r['prospect_id']}: duplicate step {r['step']}")
    by[r["prospect_id"]][r["step"]] = r
if len(refs) != 64 or sorted(by) != want_ids: err(f"references: {len(refs)} lines / prospects {sorted(by)}")
CH = {1: "email", 2: "email", 3: "linkedin_connect", 4: "email"}

def words(t): return len(t.split())

def norm_nums(t):
    t = re.sub(r"(?<=\d)[.,\u00a0\u202f ](?=\d{3}\b)", "", t)
    return set(re.findall(r"\d+", t))

allowed_sender_nums = set()
for pp in sender["proof_points"]:
    allowed_sender_nums |= norm_nums(pp["text"])
    for v in pp.get("localized", {}).values(): allowed_sender_nums |= norm_nums(v)

allowed_urls = {sender["website"], sender["meeting_link"]}
forbidden_strings = [sender["postal_address"], "Ropewalk", "BS1", sender["unsubscribe"]["url"],
                     sender["unsubscribe"]["text"], sender["sender"]["phone"], "unsubscribe"] + \
                    list(sender["unsubscribe"]["localized"].values()) + sender["competitors"]

# Hand-listed phrases that would betray use of a trap fact (checked case-insensitively).
TRAP_TERMS = {
    ("s19-p01", "f4"): ["headteacher", "head teacher", "St Ninian", "Ayr", "primary school"],
    ("s19-p02", "f4"): ["Weserbergland", "Haus C", "Befund", "gesperrt", "Nachbeprobung", "Gesundheitsamt"],
    ("s19-p03", "f3"): ["croissance", "excellence opérationnelle", "communiqué"],
    ("s19-p04", "f3"): ["fallecimiento", "padre", "pésame", "condolencias", "poco a poco", "difíciles"],
    ("s19-p05", "f4"): ["Matosinhos", "Assembleia", "autárquic", "lista independente", "candidat", "eleiç"],
    ("s19-p06", "f2"): ["7 zwembaden", "11 sporthallen", "zeven zwembaden", "elf sporthallen"],
    ("s19-p06", "f3"): ["9 zwembaden", "negen zwembaden", "Gerrit", "Mulder", "grotere sportbedrijven"],
    ("s19-p07", "f4"): ["Procura", "indag", "appalti", "pulizie", "Bergamo", "dirigenti"],
    ("s19-p08", "f1"): ["leczen", "onkolog", "zdrow", "powrót", "wracam", "choro"],
    ("s19-p08", "f2"): ["zwoln", "restruktur", "60", "sezon zimow", "słab", "oszczędn", "kosztów"],
    ("s19-p08", "f3"): ["rozwój", "jakość obsługi"],
    ("s19-p09", "f4"): ["kyrk", "gudstjänst", "söndag", "församling"],
    ("s19-p10", "f4"): ["barsel", "orlov", "Mads", "december", "tillykke"],
    ("s19-p11", "f3"): ["bærekraft", "innbyggerne", "gode bygg"],
    ("s19-p12", "f4"): ["GAA", "Kerry", "Munster", "club final", "late point", "hurling", "football"],
    ("s19-p13", "f1"): ["Tod", "Mann", "Anteilnahme", "Beileid", "verstorben", "Trauer", "schwer"],
    ("s19-p13", "f2"): ["Arbeitsgericht", "Klage", "klagen", "Kündigung", "Graz", "ehemalige"],
    ("s19-p13", "f3"): ["Gemeinderat", "kandid", "Bürgerliste", "Wahl", "Listenplatz"],
    ("s19-p13", "f4"): ["Wachstum", "nachhaltig", "Qualität"],
    ("s19-p15", "f4"): ["45", "eliminat", "layoff", "position", "occupancy", "cuts", "cost"],
    ("s19-p16", "f4"): ["novela", "premio", "Alzira", "casa del agua", "escritora", "literari"],
}
# every trap must have a term list, every term list must be a trap
trap_keys = {(pid, fid) for pid, n in NOTES.items() for fid in n["traps"]}
if trap_keys != set(TRAP_TERMS): err(f"check.py TRAP_TERMS out of sync: {trap_keys ^ set(TRAP_TERMS)}")

WORD = re.compile(r"[^\W\d_]{6,}", re.UNICODE)
sender_blob = json.dumps(sender, ensure_ascii=False).lower()

REGISTER = {  # (must match one of, must not match)
    "de": (r"\b(Sie|Ihnen|Ihr|Ihre[nmrs]?)\b", r"\b(du|dich|dir|dein\w*)\b"),
    "fr": (r"\bvous\b|\bvos?\b|\bvotre\b", r"\b(tu|toi|ton|ta|tes)\b"),
    "es": (r"\b(usted|le|su|ustedes)\b", r"\b(tú|te|tu|tus|contigo)\b"),
    "pt": (r"\b(sua|seu|definir|quiser)\b", r"\b(você|tu|teu|tua)\b"),
    "nl": (r"\b(u|uw)\b", r"\b(je|jij|jouw|jullie)\b"),
    "it": (r"\b(lei|le|sua|suo|vuole)\b", r"\b(tu|ti|tuo|tua)\b"),
    "pl": (r"\b(Pani|Pani[aą]|Państw\w*)\b", r"\b(ty|cię|twój|twoje\w*)\b"),
    "sv": (r"\b(du|dig|ditt|din|ni|er)\b", r"\b(Ni)\b"),
    "da": (r"\b(du|dig|jeres|I)\b", r"\b(De|Dem|Deres)\b"),
    "no": (r"\b(du|deg|dere)\b", r"\b(De|Dem|Deres)\b"),
    "en": (r"\byou\w*\b", r"$^"),
}

for pid in want_ids:
    p = P[pid]; n = NOTES[pid]; seq = by.get(pid, {})
    if sorted(seq) != [1, 2, 3, 4]: err(f"{pid}: steps {sorted(seq)}"); continue
    trap_ids = set(n["traps"])
    nontrap_text = " ".join(f["text"] for f in p["facts"] if f["id"] not in trap_ids)
    allowed_nums = allowed_sender_nums | norm_nums(nontrap_text)
    context_blob = (nontrap_text + " " + " ".join(str(v) for k, v in p.items() if k != "facts")).lower() + sender_blob
    email_text = ""
    for st in (1, 2, 3, 4):
        r = seq[st]
        tag = f"{pid} step {st}"
        if r["channel"] != CH[st]: err(f"{tag}: channel {r['channel']}")
        body = r["body"]
        full = (r.get("subject") or "") + "\n" + body
        if st != 3:
            if not r.get("subject"): err(f"{tag}: no subject")
            w = words(body)
            if w >= 120: err(f"{tag}: {w} words (>=120)")
            if st == 2 and w > 80: err(f"{tag}: step 2 not short ({w} words)")
            email_text += " " + full
        else:
            if r.get("subject"): err(f"{tag}: linkedin note has a subject")
            if len(body) >= 300: err(f"{tag}: {len(body)} chars (>=300)")
        if st == 2 and r["subject"] != "Re: " + seq[1]["subject"]:
            err(f"{tag}: subject is not 'Re: ' + step 1 subject")
        if st == 4 and sender["meeting_link"] not in body: err(f"{tag}: no meeting link")
        if st in (1, 2, 3) and sender["meeting_link"] in body: warn(f"{tag}: meeting link before step 4")
        if not re.search(r"\bJonas\W*$", body.strip()): err(f"{tag}: sign-off is not the first name")
        if re.search(r"\b(Hartley)\b", body): err(f"{tag}: last name in signature")
        for u in url_re.findall(full):
            if u.rstrip(".,;") not in allowed_urls: err(f"{tag}: foreign url {u}")
        for fs_ in forbidden_strings:
            if fs_ and fs_.lower() in full.lower(): err(f"{tag}: forbidden string {fs_!r}")
        # numbers
        nums = norm_nums(url_re.sub(" ", full))
        bad = nums - allowed_nums
        if bad: err(f"{tag}: numbers not from proof points or usable facts: {sorted(bad)}")
        # traps: hand-listed terms
        low = full.lower()
        for fid in trap_ids:
            for term in TRAP_TERMS.get((pid, fid), []):
                if re.search(r"(?<!\w)" + re.escape(term.lower()), low):
                    err(f"{tag}: trap {fid} term {term!r} appears")
            # trap numbers that are not otherwise allowed
            tf = next(f for f in p["facts"] if f["id"] == fid)
            for num in norm_nums(tf["text"]) - allowed_nums:
                if num in nums: err(f"{tag}: trap {fid} number {num} appears")
            # automatic: distinctive trap words that are not in usable context
            for wd in set(x.lower() for x in WORD.findall(tf["text"])):
                if wd not in context_blob and re.search(r"(?<!\w)" + re.escape(wd) + r"(?!\w)", low):
                    err(f"{tag}: distinctive word {wd!r} from trap {fid} appears")
        # register
        must, mustnot = REGISTER[p["language"]]
        if re.search(mustnot, url_re.sub(" ", body)):
            err(f"{tag}: register slip ({p['language']}): {re.search(mustnot, body).group(0)!r}")
    # register presence across the whole sequence
    seq_text = " ".join(seq[s]["body"] for s in (1, 2, 3, 4))
    must, _ = REGISTER[p["language"]]
    if not re.search(must, seq_text, flags=re.I if p["language"] in ("en", "fr", "es", "pt", "it") else 0):
        err(f"{pid}: no sign of expected register for {p['language']}")
    # linkedin does not repeat the emails: no shared 6-word sequence
    def grams(t, k=6):
        ws = re.findall(r"\w+", t.lower())
        return {tuple(ws[i:i + k]) for i in range(len(ws) - k + 1)}
    shared = grams(seq[3]["body"]) & grams(email_text)
    if shared: err(f"{pid}: linkedin note repeats email text: {[' '.join(g) for g in shared][:2]}")
    # step 4 differs from step 1 (no long shared run)
    shared14 = grams(seq[1]["body"], 8) & grams(seq[4]["body"], 8)
    if shared14: warn(f"{pid}: step 4 shares text with step 1: {[' '.join(g) for g in shared14][:1]}")
    # product name used somewhere in the emails
    if sender["product_name"] not in email_text: err(f"{pid}: product never named")
    # every numeric claim: proof point customers named when their numbers are used
    for pp in sender["proof_points"]:
        if pp.get("metric"):
            m = re.sub(r"\D", "", pp["metric"])
            for st in (1, 2, 4):
                b = seq[st]["body"]
                if m and m in norm_nums(b) and m not in norm_nums(nontrap_text) and pp["customer"] not in b:
                    err(f"{pid} step {st}: uses {pp['metric']} without naming {pp['customer']}")

# body texts must all be distinct (no templated duplicates)
bodies = Counter(r["body"] for r in refs)
for b, c in bodies.items():
    if c > 1: err(f"duplicate body x{c}: {b[:60]!r}")

print(f"sender: {sender['company']} / {sender['product_name']}")
print(f"prospects: {len(prospects)}  languages: {dict(sorted(langs.items()))}")
print(f"notes: {len(notes)}  traps: {n_traps}  dominated: {dominated}")
print(f"trap kinds: {dict(trap_kinds)}")
print(f"references: {len(refs)}")
wc = [words(r['body']) for r in refs if r['channel'] == 'email']
lc = [len(r['body']) for r in refs if r['channel'] != 'email']
print(f"email words min/max: {min(wc)}/{max(wc)}  linkedin chars min/max: {min(lc)}/{max(lc)}")
for w in warnings: print("WARN", w)
for e in errors: print("ERROR", e)
print("OK" if not errors else f"FAILED: {len(errors)} errors")
sys.exit(1 if errors else 0)
