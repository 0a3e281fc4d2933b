#!/usr/bin/env python3
"""Self-check for the s15 test data (sender, prospects, notes, references).

Run:  python3 s15/check.py      (from /tmp/writer-s15, or from anywhere)
Exit code 0 = all checks passed; every failure is printed.
"""
import json, re, sys, pathlib
from datetime import date
from urllib.parse import urlparse

HERE = pathlib.Path(__file__).resolve().parent
FAIL = []
WARN = []

def fail(msg):
    FAIL.append(msg)

def load_jsonl(name):
    rows = []
    with open(HERE / name, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                fail(f"{name}:{i}: empty line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                fail(f"{name}:{i}: JSON error {e}")
    return rows

# ------------------------------------------------------------------ parse
try:
    S = json.loads((HERE / "sender.json").read_text(encoding="utf-8"))
except Exception as e:  # noqa
    print("FATAL: sender.json does not parse:", e)
    sys.exit(1)
P = load_jsonl("prospects.jsonl")
N = load_jsonl("notes.jsonl")
R = load_jsonl("references.jsonl")

URL_RE = re.compile(r"https?://[^\s)»”\"'<>]+")
LANGS = ["en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"]
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}

def host_ok(url):
    h = urlparse(url.rstrip(".,;:")).hostname or ""
    return h.endswith(".example")

# ------------------------------------------------------------------ sender
for k in ["company", "website", "product_name", "product_description", "value_propositions", "proof_points",
          "sender", "postal_address", "meeting_link", "unsubscribe", "competitors", "policies"]:
    if k not in S:
        fail(f"sender.json: missing {k}")
if S["product_name"].lower() in S["company"].lower():
    fail("sender: product name must differ from company name")
sents = [x for x in re.split(r"(?<=[.!?])\s+", S["product_description"].strip()) if x]
if len(sents) != 3:
    fail(f"sender: product_description has {len(sents)} sentences, want 3")
for u in [S["website"], S["meeting_link"], S["unsubscribe"]["url"]]:
    if not host_ok(u):
        fail(f"sender: URL not on .example: {u}")
if not S["sender"]["email"].endswith(".example"):
    fail("sender: email domain not .example")
loc_langs = set()
for vp in S["value_propositions"]:
    loc_langs |= set(vp.get("localized", {}))
for pp in S["proof_points"]:
    loc_langs |= set(pp.get("localized", {}))
loc_langs |= set(S.get("product_description_localized", {}))
loc_langs |= set(S["unsubscribe"].get("localized", {}))
if loc_langs != {"de", "es", "pl"}:
    fail(f"sender: localized languages are {sorted(loc_langs)}, want de/es/pl only")
vtexts = [v["text"] for v in S["value_propositions"]]
if not any(re.match(r"^[^:]{3,60}: ", t) for t in vtexts):
    fail("sender: no 'Headline: explanation.' value proposition")
if not any("(" in t for t in vtexts) or not any("—" in t or " – " in t for t in vtexts):
    fail("sender: value propositions need one with a parenthesis and one with a dash")
if not any(re.match(r"^[“\"«„]", p["text"]) for p in S["proof_points"]):
    fail("sender: no customer-quote proof point")
if not any(re.search(r"\d", p["text"]) for p in S["proof_points"]):
    fail("sender: no numeric proof point")
for p in S["proof_points"]:
    if "metric" in p and p["metric"] not in p["text"]:
        fail(f"sender: metric {p['metric']!r} not written in {p['id']} text")
if S["policies"].get("email_max_words") != 120 or S["policies"].get("linkedin_note_max_chars") != 300:
    fail("sender: numeric policies must be 120 words / 300 chars")

MAX_WORDS = S["policies"]["email_max_words"]
MAX_CHARS = S["policies"]["linkedin_note_max_chars"]
LINK = S["meeting_link"]
SENDER_URLS = {S["website"], LINK, S["unsubscribe"]["url"]}

# numbers the sender may state: digits inside all proof point texts (all languages)
def numbers(text):
    text = URL_RE.sub(" ", text)
    out = set()
    for m in re.finditer(r"\d+(?:[.,]\d+)?", text):
        out.add(m.group(0).replace(",", "."))
    return out

PP_NUMS = set()
for pp in S["proof_points"]:
    PP_NUMS |= numbers(pp["text"])
    for t in pp.get("localized", {}).values():
        PP_NUMS |= numbers(t)

# ------------------------------------------------------------------ prospects
ids = [p.get("id") for p in P]
want_ids = [f"s15-p{i:02d}" for i in range(1, 17)]
if ids != want_ids:
    fail(f"prospects: ids {ids} != {want_ids}")
langs = [p.get("language") for p in P]
for l in langs:
    if l not in LANGS:
        fail(f"prospects: unknown language {l}")
missing = set(LANGS) - set(langs)
if missing:
    fail(f"prospects: languages not covered: {sorted(missing)}")
if sum(1 for l in langs if l != "en") < 9:
    fail("prospects: fewer than 9 non-English prospects")
PBY = {}
for p in P:
    pid = p.get("id")
    PBY[pid] = p
    if not p.get("email") or not p["email"].split("@")[-1].endswith(".example"):
        fail(f"{pid}: email missing or not .example")
    if p.get("company_domain") and not p["company_domain"].endswith(".example"):
        fail(f"{pid}: company_domain not .example")
    facts = p.get("facts", [])
    if not 2 <= len(facts) <= 5:
        fail(f"{pid}: {len(facts)} facts, want 2-5")
    fids = [f["id"] for f in facts]
    if len(set(fids)) != len(fids):
        fail(f"{pid}: duplicate fact ids")
    for f in facts:
        if f.get("kind") not in KINDS:
            fail(f"{pid}/{f['id']}: bad kind {f.get('kind')}")
        try:
            d = date.fromisoformat(f["date"])
            if not date(2026, 1, 1) <= d <= date(2026, 11, 30):
                fail(f"{pid}/{f['id']}: date {d} out of range")
        except Exception:
            fail(f"{pid}/{f['id']}: bad date {f.get('date')}")
        if not host_ok(f.get("source", "")):
            fail(f"{pid}/{f['id']}: source not .example")
    for u in URL_RE.findall(json.dumps(p, ensure_ascii=False)):
        if not host_ok(u):
            fail(f"{pid}: URL not on .example: {u}")

# ------------------------------------------------------------------ notes
NBY = {}
if [n.get("prospect_id") for n in N] != want_ids:
    fail("notes: prospect ids do not match s15-p01..p16 in order")
trap_kinds = {"sensitive": 0, "namesake": 0, "another company": 0, "disagreeing numbers": 0, "too vague": 0}
dominated = []
for n in N:
    pid = n["prospect_id"]
    NBY[pid] = n
    fids = {f["id"] for f in PBY.get(pid, {}).get("facts", [])}
    bh = n.get("best_hook")
    if bh not in fids:
        fail(f"notes {pid}: best_hook {bh} is not a fact")
    if bh in n.get("traps", {}):
        fail(f"notes {pid}: best_hook {bh} is a trap")
    sens = 0
    for fid, desc in n.get("traps", {}).items():
        if fid not in fids:
            fail(f"notes {pid}: trap {fid} is not a fact")
        for k in trap_kinds:
            if desc.startswith(k) or (k == "disagreeing numbers" and desc.startswith("...")):
                trap_kinds[k] += 1
        if desc.startswith("sensitive"):
            sens += 1
    if sens * 2 > len(fids):
        dominated.append(pid)
for k, v in trap_kinds.items():
    if v == 0:
        fail(f"notes: no trap of kind '{k}'")
if len(dominated) != 2:
    fail(f"notes: {len(dominated)} prospects dominated by sensitive facts ({dominated}), want 2")
n_traps = sum(len(n.get("traps", {})) for n in N)

# ------------------------------------------------------------------ references
RBY = {}
for r in R:
    RBY.setdefault(r.get("prospect_id"), []).append(r)
if len(R) != 64:
    fail(f"references: {len(R)} rows, want 64")
if sorted(RBY) != want_ids:
    fail("references: prospect ids do not match")

TERMS = {  # second-person forms that would break the chosen register
    "de": r"\b(du|dich|dir|dein\w*|euch|euer)\b",
    "fr": r"\b(tu|toi|ton|ta|tes)\b",
    "es": r"\b(tú|tu|tus|contigo|te)\b",
    "it": r"\b(tu|ti|tuo|tua|tuoi)\b",
    "nl": r"\b(je|jij|jouw|jullie)\b",
    "pl": r"\b(ty|cię|ciebie|tobie|twój|twoja|twoje)\b",
    "pt": r"\b(tu|teu|tua|contigo)\b",
}
STOP = {
    "en": "the and you your to of a is with for that it would be at on we this if by",
    "de": "und die der das ich ihr ihnen sie mit für nicht ist den dem ein eine wie auf zu",
    "fr": "le la les et vous de des une un est que pour avec sur à dans qui votre en",
    "es": "el la los las y de que usted su en con por para una un es le del lo",
    "pt": "o a os as e de que em com para uma um é do da no na ao se",
    "nl": "de het en een u van is dat die met voor niet op in ik uw als",
    "it": "il la le e di che per un una con è lei non sui suo dei della gli",
    "pl": "i w z na że się do pani jak nie o to czy od przy",
    "sv": "och att för är jag du det med på som inte vi till ni hej när",
    "da": "og at for er jeg du det med på som ikke vi til hej efter af hvis gerne",
    "no": "og at for er jeg du det med på som ikke vi til hei etter av dere gjerne når",
}
STOP = {k: set(v.split()) for k, v in STOP.items()}

def lang_guess(text):
    toks = re.findall(r"[a-zà-ÿąćęłńóśźżø]+", text.lower())
    sc = {l: sum(1 for t in toks if t in s) for l, s in STOP.items()}
    best = max(sc.values())
    return {l for l, v in sc.items() if v == best}, sc

def words(text):
    return len(text.split())

def norm_tokens(text):
    return re.findall(r"[\wäöüßàâçéèêëîïôûùÿñáíóúãõåæøąćęłńśźż'-]+", text.lower())

def ngrams(tokens, n):
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}

sender_blob = json.dumps(S, ensure_ascii=False).lower()
BANNED = [S["sender"]["last_name"], S["sender"]["phone"], S["postal_address"], "Vlampijpstraat", "Utrecht",
          S["unsubscribe"]["url"], S["unsubscribe"]["text"], "unsubscribe", "abmelden", "darse de baja", "wypisać"]
BANNED += list(S["unsubscribe"]["localized"].values())
bodies_seen = {}

for pid in want_ids:
    rows = RBY.get(pid, [])
    p = PBY.get(pid, {})
    lang = p.get("language")
    steps = sorted(r.get("step") for r in rows)
    if steps != [1, 2, 3, 4]:
        fail(f"{pid}: steps {steps}, want 1-4")
        continue
    by = {r["step"]: r for r in rows}
    chans = [by[s]["channel"] for s in (1, 2, 3, 4)]
    if chans != ["email", "email", "linkedin_connect", "email"]:
        fail(f"{pid}: channels {chans}")
    if by[2].get("subject") != "Re: " + by[1].get("subject", ""):
        fail(f"{pid}: step 2 subject is not 'Re: ' + step 1 subject")
    if "subject" in by[3]:
        fail(f"{pid}: LinkedIn note must have no subject")
    if not by[4].get("subject") or by[4]["subject"] == by[1]["subject"]:
        fail(f"{pid}: step 4 needs its own subject")
    if LINK not in by[4]["body"]:
        fail(f"{pid}: step 4 lacks the meeting link")

    traps = NBY.get(pid, {}).get("traps", {})
    facts = {f["id"]: f for f in p.get("facts", [])}
    ok_facts = [f["text"] for fid, f in facts.items() if fid not in traps]
    allowed_nums = set(PP_NUMS)
    for t in ok_facts:
        allowed_nums |= numbers(t)
    # trap n-grams that are not also present in usable facts / sender copy / names
    safe_blob = " ".join(ok_facts).lower() + " " + sender_blob + " " + " ".join(
        str(p.get(k, "")) for k in ("company", "first_name", "last_name", "title", "industry")).lower()
    safe_tokens = norm_tokens(safe_blob)
    safe_grams = ngrams(safe_tokens, 3)
    trap_grams, trap_nums = {}, {}
    for fid in traps:
        toks = norm_tokens(facts[fid]["text"])
        trap_grams[fid] = {g for g in ngrams(toks, 3) if g not in safe_grams}
        trap_nums[fid] = numbers(facts[fid]["text"]) - allowed_nums

    for s in (1, 2, 3, 4):
        r = by[s]
        body = r.get("body", "")
        full = (r.get("subject", "") + "\n" + body)
        tag = f"{pid} step {s}"
        if not body.strip():
            fail(f"{tag}: empty body")
        if body in bodies_seen:
            fail(f"{tag}: identical body to {bodies_seen[body]}")
        bodies_seen[body] = tag
        if r["channel"] == "email":
            w = words(body)
            if s == 1 and not w < MAX_WORDS:
                fail(f"{tag}: {w} words, step 1 must be < {MAX_WORDS}")
            if w > MAX_WORDS:
                fail(f"{tag}: {w} words > {MAX_WORDS}")
            if not r.get("subject"):
                fail(f"{tag}: missing subject")
        else:
            if not len(body) < MAX_CHARS:
                fail(f"{tag}: {len(body)} chars, LinkedIn note must be < {MAX_CHARS}")
        if not re.search(r"\bMarit\s*$", body):
            fail(f"{tag}: does not end with the sender's first name")
        for b in BANNED:
            if b and b.lower() in full.lower():
                fail(f"{tag}: contains banned footer/identity text {b!r}")
        for c in S["competitors"]:
            if c.lower() in full.lower():
                fail(f"{tag}: names competitor {c}")
        if re.search(r"\{\{|\}\}|\[[A-Z_ ]+\]|<[a-z_]+>", full):
            fail(f"{tag}: template placeholder left in text")
        for u in URL_RE.findall(full):
            if u.rstrip(".,;:") not in SENDER_URLS:
                fail(f"{tag}: foreign link {u}")
        if s in (1, 2, 3) and LINK in body:
            fail(f"{tag}: meeting link belongs in step 4")
        for num in numbers(full):
            if num not in allowed_nums:
                fail(f"{tag}: number {num} is neither a proof point nor a usable fact")
        low = " ".join(norm_tokens(full))
        for fid in traps:
            for g in trap_grams[fid]:
                if re.search(r"(^| )" + re.escape(g) + r"( |$)", low):
                    fail(f"{tag}: reuses trap {fid} wording: {g!r}")
            for num in trap_nums[fid]:
                if num in numbers(full):
                    fail(f"{tag}: states trap {fid} number {num}")
        if lang in TERMS and re.search(TERMS[lang], body, flags=re.I):
            fail(f"{tag}: informal second-person form in a formal-register {lang} text")
        guess, sc = lang_guess(full)
        if lang not in guess:
            fail(f"{tag}: language looks like {sorted(guess)}, expected {lang} ({sc})")
    # the LinkedIn note should not repeat the emails
    note_grams = ngrams(norm_tokens(by[3]["body"]), 5)
    mail_grams = set()
    for s in (1, 2, 4):
        mail_grams |= ngrams(norm_tokens(by[s]["body"]), 5)
    rep = note_grams & mail_grams
    if rep:
        fail(f"{pid} step 3: repeats email wording {sorted(rep)[:3]}")

# hand-picked words per trap that must never surface in that prospect's references
TRAP_WORDS = {
    "s15-p01": ["headteacher", "whitby", "garden", "growth", "excellent"],
    "s15-p02": ["reha", "vertreten", "zurück", "gesundheit", "genesung"],
    "s15-p03": ["loire", "redressement", "angers", "salariés"],
    "s15-p04": ["14 hoteles", "19 hoteles", "81", "fuerteventura", "canarias", "ocupación"],
    "s15-p05": ["pai", "luto", "despedimento", "setúbal", "oncológico", "tratamento", "saúde dela", "crescimento", "excelência"],
    "s15-p06": ["verkiezing", "gemeenteraad", "kandidat", "partij", "politiek"],
    "s15-p07": ["pontedera", "calcio", "centrocampista", "contratto"],
    "s15-p08": ["prokuratur", "vat", "wspólnik", "postępowan", "4,2"],
    "s15-p09": ["föräldraledig", "johan", "jul", "bebis", "barn"],
    "s15-p10": ["brand", "sønderå", "herning", "står stille"],
    "s15-p11": ["vekst", "kundeopplevelse"],
    "s15-p12": ["chemo", "treatment", "reduced hours", "layoff", "lay off", "faith", "congregation", "mission", "consolidat"],
    "s15-p13": ["pfarr", "kirche", "glaube", "st. johann"],
    "s15-p14": ["40", "65", "tonelad", "capacidad"],
    "s15-p15": ["dolomiten", "arabba", "chiusura", "ristrutturazione"],
    "s15-p16": [],
}
for pid, ws in TRAP_WORDS.items():
    text = " ".join((r.get("subject", "") + " " + r["body"]) for r in RBY.get(pid, [])).lower()
    text = URL_RE.sub(" ", text)
    for w in ws:
        if re.search(r"(?<![\wäöüåæøéóąęłś])" + re.escape(w.lower()), text):
            fail(f"{pid}: trap word {w!r} appears in a reference")

# ------------------------------------------------------------------ report
print(f"sender: {S['company']} / product {S['product_name']} / sender {S['sender']['first_name']} {S['sender']['last_name']}")
print(f"prospects: {len(P)}  languages: " + ", ".join(f"{l}={langs.count(l)}" for l in LANGS))
print(f"notes: {len(N)}  trap facts: {n_traps}  by kind: {trap_kinds}  sensitive-dominated: {dominated}")
print(f"references: {len(R)}")
wc = [words(r['body']) for r in R if r['channel'] == 'email']
lc = [len(r['body']) for r in R if r['channel'] == 'linkedin_connect']
print(f"email words: min {min(wc)} max {max(wc)}   linkedin chars: min {min(lc)} max {max(lc)}")
if FAIL:
    print(f"\nFAILED: {len(FAIL)} problem(s)")
    for f in FAIL:
        print(" -", f)
    sys.exit(1)
print("\nALL CHECKS PASSED")
