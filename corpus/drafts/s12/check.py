"""Checks for s12: parsing, counts, limits, numbers, links, trap leakage."""
import json, re, sys
from collections import Counter, defaultdict
D = "s12/"
errs = []
def err(m): errs.append(m)

sender = json.load(open(D + "sender.json", encoding="utf-8"))
P = [json.loads(l) for l in open(D + "prospects.jsonl", encoding="utf-8") if l.strip()]
N = [json.loads(l) for l in open(D + "notes.jsonl", encoding="utf-8") if l.strip()]
R = [json.loads(l) for l in open(D + "references.jsonl", encoding="utf-8") if l.strip()]

# sender shape
for k in ["company","website","product_name","product_description","value_propositions","proof_points","sender","postal_address","meeting_link","unsubscribe","competitors","policies"]:
    if k not in sender: err(f"sender missing {k}")
if sender["product_name"].lower() in sender["company"].lower(): err("product name equals company name")
if len(re.findall(r"[.!?](\s|$)", sender["product_description"])) != 3: err("product_description not 3 sentences")
for coll in ("value_propositions", "proof_points"):
    for x in sender[coll]:
        if set(x.get("localized", {})) != {"de", "pt"}: err(f"{x['id']} localized != de,pt")
if set(sender["product_description_localized"]) != {"de","pt"}: err("pd localized")
if set(sender["unsubscribe"]["localized"]) != {"de","pt"}: err("unsub localized")

# prospects
KINDS = {"news","hiring","funding","tech_stack","post","role_change","product_launch","pain_point"}
ids = [p["id"] for p in P]
if ids != [f"s12-p{i:02d}" for i in range(1, 17)]: err(f"ids {ids}")
langs = Counter(p["language"] for p in P)
need = {"en","de","fr","es","pt","nl","it","pl","sv","da","no"}
if not need <= set(langs): err(f"missing langs {need-set(langs)}")
if sum(v for k, v in langs.items() if k != "en") < 9: err("fewer than 9 non-English")
for p in P:
    if not p.get("email"): err(f"{p['id']} no email")
    if not (2 <= len(p["facts"]) <= 5): err(f"{p['id']} facts {len(p['facts'])}")
    for f in p["facts"]:
        if f["kind"] not in KINDS: err(f"{p['id']} {f['id']} kind")
        if not ("2026-01-01" <= f["date"] <= "2026-11-30"): err(f"{p['id']} {f['id']} date")
        if not re.match(r"https://[^/]+\.example(/|$)", f["source"]): err(f"{p['id']} {f['id']} source domain")
    for k in ("company_domain",):
        if not p[k].endswith(".example"): err(f"{p['id']} domain")
    if not p["email"].endswith(".example"): err(f"{p['id']} email domain")

# notes
notes = {n["prospect_id"]: n for n in N}
if sorted(notes) != ids: err("notes ids")
pmap = {p["id"]: p for p in P}
trap_count = 0
for pid, n in notes.items():
    fids = {f["id"] for f in pmap[pid]["facts"]}
    if n["best_hook"] is not None and n["best_hook"] not in fids: err(f"{pid} best_hook")
    if n["best_hook"] in n["traps"]: err(f"{pid} best_hook is a trap")
    for t in n["traps"]:
        if t not in fids: err(f"{pid} trap id {t}")
    trap_count += len(n["traps"])

# references structure and limits
by = defaultdict(dict)
for r in R: by[r["prospect_id"]][r["step"]] = r
if len(R) != 64: err(f"refs {len(R)}")
own_urls = {sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]}
def words(s): return len(s.split())
def norm_nums(s):
    s = re.sub(r"https?://\S+", " ", s)
    out = set()
    for m in re.finditer(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?", s):
        out.add(re.sub(r"[.,\u00a0\u202f ]", "", m.group()))
    return out
pp_texts = " ".join([pp["text"] + " " + " ".join(pp["localized"].values()) for pp in sender["proof_points"]])
pp_nums = norm_nums(pp_texts)
forbidden_strings = [sender["postal_address"], "Lloydstraat", sender["unsubscribe"]["text"], sender["unsubscribe"]["url"],
                     sender["sender"]["phone"], "unsubscribe"] + sender["competitors"] + list(sender["unsubscribe"]["localized"].values())
stats = []
for pid in ids:
    s = by[pid]
    if sorted(s) != [1,2,3,4]: err(f"{pid} steps {sorted(s)}"); continue
    for st, ch in [(1,"email"),(2,"email"),(3,"linkedin_connect"),(4,"email")]:
        if s[st]["channel"] != ch: err(f"{pid} step{st} channel")
    if s[2]["subject"] != "Re: " + s[1]["subject"]: err(f"{pid} step2 subject")
    if "subject" in s[3]: err(f"{pid} linkedin has subject")
    if s[4]["subject"] == s[1]["subject"]: err(f"{pid} step4 subject same as step1")
    p = pmap[pid]; n = notes[pid]
    ok_nums = set(pp_nums)
    for f in p["facts"]:
        if f["id"] not in n["traps"]: ok_nums |= norm_nums(f["text"])
    for st in (1,2,3,4):
        b = s[st]["body"]
        if st == 3:
            if len(b) >= 300: err(f"{pid} linkedin {len(b)} chars")
            stats.append(len(b))
        else:
            if words(b) >= 120: err(f"{pid} step{st} {words(b)} words")
        if not b.rstrip().endswith("Ines"): err(f"{pid} step{st} sign-off")
        urls = re.findall(r"https?://[^\s)>\]]+", b)
        for u in urls:
            u = u.rstrip(".,;:")
            if u not in own_urls: err(f"{pid} step{st} foreign url {u}")
        if st == 4 and sender["meeting_link"] not in b: err(f"{pid} step4 missing meeting link")
        if st != 4 and sender["meeting_link"] in b: err(f"{pid} step{st} meeting link too early")
        for fs in forbidden_strings:
            if fs.lower() in b.lower(): err(f"{pid} step{st} contains forbidden '{fs}'")
        bad = norm_nums(b) - ok_nums
        if bad: err(f"{pid} step{st} unsupported numbers {bad}")
        if "{" in b or "}" in b: err(f"{pid} step{st} template braces")

# trap leakage: (a) numbers unique to trap facts, (b) manual keyword list, (c) capitalized words unique to trap facts
TRAP_KEYWORDS = {
 "s12-p01": ["nurse", "pediatric", "Minneapolis", "Lakeside", "award", "neonatal"],
 "s12-p02": ["Stellen", "Betriebsrat", "Verlagerung", "streicht", "Stammwerk", "Abbau"],
 "s12-p03": ["père", "quittés", "condoléances", "décès", "accident", "blessé", "enquête", "parquet", "maladie", "reprends", "reprise", "absence", "retour"],
 "s12-p04": ["adjudica", "Región de Murcia", "34", "28", "410", "estaciones depuradoras que"],
 "s12-p05": ["Alimentos", "biscoito", "Anápolis", "Goiás", "400"],
 "s12-p06": ["gemeenteraad", "verkiezing", "kandidaat", "kandidatenlijst", "Vlaardingen", "Vooruit", "stem", "plek 4"],
 "s12-p07": ["crescita", "eccellenza"],
 "s12-p08": ["urlop", "rodziciel", "synk", "powrót", "wracam", "dziewięć"],
 "s12-p09": ["varsl", "anställda", "byggmarknad", "utmattning", "halvtid", "tillbaka", "rädda", "Arbetsmiljöverket", "sanktion", "klämolycka", "olycka", "justerverk"],
 "s12-p10": ["menighedsråd", "sogn", "kirke", "formand", "Ikast", "genvalgt"],
 "s12-p11": ["foretaksstraff", "ulykke", "millioner", "bot ", "2024", "straff"],
 "s12-p12": ["focused on growth", "invest in its people"],
 "s12-p13": ["Stahlbau", "Murbrücke", "Brücke", "Graz", "Zuschlag"],
}
STOP = {"The","Der","Die","Das","Mon","Merci","Je","Accident","Nel","Oggi","Efter","Var","Trots","Stem","Hollerbach"}
for pid in ids:
    p = pmap[pid]; n = notes[pid]
    refs_text = " ".join((by[pid][st].get("subject","") + " " + by[pid][st]["body"]) for st in (1,2,3,4))
    low = refs_text.lower()
    nontrap = " ".join(f["text"] for f in p["facts"] if f["id"] not in n["traps"])
    nontrap_nums = norm_nums(nontrap) | pp_nums
    nontrap_words = set(re.findall(r"\w+", " ".join([nontrap, p["company"], p.get("first_name",""), p.get("last_name","")]).lower()))
    for tid in n["traps"]:
        tf = next(f for f in p["facts"] if f["id"] == tid)
        for num in norm_nums(tf["text"]) - nontrap_nums:
            if num in norm_nums(refs_text): err(f"{pid} leaks trap number {num} from {tid}")
        for w in re.findall(r"\b[A-ZÄÖÜÅÆØÉ][\wäöüåæøéèçñíóú-]{3,}", tf["text"]):
            if w in STOP or w.lower() in nontrap_words: continue
            if re.search(r"\b" + re.escape(w.lower()) + r"\b", low): err(f"{pid} leaks trap word '{w}' from {tid}")
    for kw in TRAP_KEYWORDS.get(pid, []):
        if kw.isdigit():
            if kw in norm_nums(refs_text): err(f"{pid} contains trap number '{kw}'")
            continue
        if re.search(r"(?<!\w)" + re.escape(kw.lower()), low): err(f"{pid} contains trap keyword '{kw}'")

print(f"prospects={len(P)} notes={len(N)} refs={len(R)} langs={dict(langs)} traps={trap_count}")
wc = [words(r["body"]) for r in R if r["channel"]=="email"]
print(f"email words min/max={min(wc)}/{max(wc)}; linkedin chars min/max={min(stats)}/{max(stats)}")
if errs:
    print("FAIL"); [print(" -", e) for e in errs]; sys.exit(1)
print("ALL CHECKS PASSED")
