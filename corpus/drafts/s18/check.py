import json, re, sys
from collections import Counter
D = "s18/"
err = []
sender = json.load(open(D+"sender.json"))
P = [json.loads(l) for l in open(D+"prospects.jsonl")]
N = [json.loads(l) for l in open(D+"notes.jsonl")]
R = [json.loads(l) for l in open(D+"references.jsonl")]
def e(m): err.append(m)
if "localized" in json.dumps(sender): e("sender has localized")
if sender["product_name"].lower() in sender["company"].lower(): e("product name == company")
if len(re.findall(r"[.!?](\s|$)", sender["product_description"])) != 3: e("product description not 3 sentences")
ids = [p["id"] for p in P]
if ids != ["s18-p%02d" % i for i in range(1,17)]: e("ids")
langs = Counter(p["language"] for p in P)
need = {"en","de","fr","es","pt","nl","it","pl","sv","da","no"}
if set(langs) != need: e("langs %s" % langs)
if sum(v for k,v in langs.items() if k!="en") < 9: e("non-en < 9")
KINDS = {"news","hiring","funding","tech_stack","post","role_change","product_launch","pain_point"}
for p in P:
    assert p["email"]
    if not 2 <= len(p["facts"]) <= 5: e(p["id"]+" fact count")
    for f in p["facts"]:
        if f["kind"] not in KINDS: e(p["id"]+" kind "+f["kind"])
        if not ("2026-01-01" <= f["date"] <= "2026-11-30"): e(p["id"]+" date")
        if not re.match(r"https://[^/]+\.example/", f["source"]): e(p["id"]+" source "+f["source"])
    if p.get("linkedin_url") and ".example/" not in p["linkedin_url"]: e("li url")
    if not p["email"].endswith(".example"): e("email dom")
if [n["prospect_id"] for n in N] != ids: e("notes ids")
pm = {p["id"]: p for p in P}
ntrap = 0
for n in N:
    fids = {f["id"] for f in pm[n["prospect_id"]]["facts"]}
    if n["best_hook"] not in fids: e("best hook "+n["prospect_id"])
    if n["best_hook"] in n["traps"]: e("hook is trap")
    for t in n["traps"]:
        if t not in fids: e("trap id")
    ntrap += len(n["traps"])
# references
by = {}
for r in R: by.setdefault(r["prospect_id"], []).append(r)
if sorted(by) != ids: e("ref ids")
ML = sender["meeting_link"]; OK_URLS = {sender["website"], ML}
pp_text = " ".join(pp["text"] for pp in sender["proof_points"])
def nums(s):
    return {re.sub(r"[\s.,\u00a0]", "", m) for m in re.findall(r"\d[\d\s.,\u00a0]*\d|\d", s)}
pp_nums = nums(pp_text)
# manual trap markers (lower-case substrings that must not appear in that prospect's references)
MARK = {
 "s18-p01": ["motor group", "banbury", "showroom"],
 "s18-p02": ["12.000", "12 000", "9.000", "reisinger", "palettenstellpl"],
 "s18-p03": ["chef", "restaurant", "étoilé", "40 000"],
 "s18-p04": ["padre", "familia", "ere", "despido", "inspección de trabajo", "expediente", "accidente", "35"],
 "s18-p06": ["schaats", "nk ", "1500", "goud"],
 "s18-p07": ["elezion", "candidat", "lista civica", "comunal", "consigliere"],
 "s18-p08": ["meblex s.a", "kraków", "krakow", "przychod", "18%"],
 "s18-p09": ["tillväxt", "kundnöjd"],
 "s18-p10": ["sygemeld", "stress", "pause", "arbejdstilsyn", "påbud", "ulykke", "afsked", "medarbejdere", "20 "],
 "s18-p11": ["permisjon", "desember", "lillegutt", "hjemme", "6 000"],
 "s18-p12": ["450", "600", "square", "sq ft", "300 people", "120", "credit"],
 "s18-p13": ["erbstreit", "gericht", "klage", "herbert", "gründer"],
 "s18-p14": ["compostelle", "paroiss", "prière", "pèlerin"],
 "s18-p15": ["garza del norte", "alianza", "asiático"],
 "s18-p16": ["committed", "members", "focused on growth"],
 "s18-p05": [],
}
for pid, rs in by.items():
    p = pm[pid]; note = next(n for n in N if n["prospect_id"]==pid)
    steps = [r["step"] for r in rs]
    if steps != [1,2,3,4]: e(pid+" steps")
    ch = [r["channel"] for r in rs]
    if ch != ["email","email","linkedin_connect","email"]: e(pid+" channels")
    if rs[1]["subject"] != "Re: "+rs[0]["subject"]: e(pid+" re subject")
    if "subject" in rs[2]: e(pid+" li subject")
    good_facts = " ".join(f["text"] for f in p["facts"] if f["id"] not in note["traps"])
    allowed = pp_nums | nums(good_facts)
    for r in rs:
        b = r["body"]
        if r["channel"]=="email":
            wc = len(b.split())
            if wc >= 120: e(f"{pid} s{r['step']} words {wc}")
            if not b.rstrip().endswith("Tamsin"): e(pid+" signoff")
        else:
            if len(b) >= 300: e(f"{pid} li chars {len(b)}")
        urls = re.findall(r"https?://\S+", b)
        for u in urls:
            if u.rstrip(".,)") not in OK_URLS: e(pid+" bad url "+u)
        if r["step"]==4 and ML not in b: e(pid+" no meeting link")
        if r["step"]!=4 and ML in b: e(pid+" early meeting link")
        txt = (r.get("subject","")+" "+b)
        stripped = txt.replace(ML,"")
        for n_ in nums(stripped):
            if n_ not in allowed: e(f"{pid} s{r['step']} unsupported number {n_}")
        low = stripped.lower()
        for m in MARK[pid]:
            if re.search(r"(?<!\w)"+re.escape(m), low): e(f"{pid} s{r['step']} trap marker '{m}'")
        for c in sender["competitors"]:
            if c.lower() in low: e(pid+" competitor")
        if "leeds" in low or "unsubscribe" in low or "oduya" in low: e(pid+" footer/lastname")
        # trap numbers automatically
        for t in note["traps"]:
            tf = next(f for f in p["facts"] if f["id"]==t)
            for n_ in nums(tf["text"]) - nums(good_facts) - pp_nums:
                if n_ in nums(stripped): e(f"{pid} trap number {n_}")
    print(pid, p["language"], [len(r["body"].split()) if r["channel"]=="email" else f'{len(r["body"])}c' for r in rs])
print("langs", dict(langs), "traps", ntrap, "refs", len(R))
print("ERRORS" if err else "ALL OK"); [print(" -", x) for x in err]
