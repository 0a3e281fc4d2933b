import json, re, sys
D = "s23/"
S = json.load(open(D+"sender.json", encoding="utf-8"))
P = [json.loads(l) for l in open(D+"prospects.jsonl", encoding="utf-8")]
N = [json.loads(l) for l in open(D+"notes.jsonl", encoding="utf-8")]
R = [json.loads(l) for l in open(D+"references.jsonl", encoding="utf-8")]
err = []
def e(*a): err.append(" ".join(map(str,a)))
# sender
assert "localized" not in json.dumps(S), "localized present"
for k in ["company","website","product_name","product_description","value_propositions","proof_points","sender","meeting_link","policies"]:
    if not S.get(k): e("sender missing", k)
if S["product_name"].lower() in S["company"].lower(): e("product name == company")
if len(re.findall(r"[.!?](\s|$)", S["product_description"])) != 3: e("product description not 3 sentences")
# prospects
ids = [p["id"] for p in P]
if ids != [f"s23-p{i:02d}" for i in range(1,17)]: e("ids", ids)
langs = {}
kinds = {"news","hiring","funding","tech_stack","post","role_change","product_launch","pain_point"}
for p in P:
    langs[p["language"]] = langs.get(p["language"],0)+1
    if not 2 <= len(p["facts"]) <= 5: e(p["id"], "fact count")
    for f in p["facts"]:
        if f["kind"] not in kinds: e(p["id"], f["id"], "kind")
        if not ("2026-01-01" <= f["date"] <= "2026-11-30"): e(p["id"], f["id"], "date")
    for k in ("email","company_domain","linkedin_url"):
        pass
    if not p["company_domain"].endswith(".example"): e(p["id"],"domain")
need = {"en","de","fr","es","pt","nl","it","pl","sv","da","no"}
if set(langs) != need: e("languages", langs)
if sum(v for k,v in langs.items() if k!="en") < 9: e("non-en < 9")
print("languages:", dict(sorted(langs.items())))
# notes
if [n["prospect_id"] for n in N] != ids: e("notes ids")
pm = {p["id"]: p for p in P}
for n in N:
    fids = {f["id"] for f in pm[n["prospect_id"]]["facts"]}
    if n["best_hook"] not in fids or n["best_hook"] in n["traps"]: e(n["prospect_id"], "best_hook")
    for t in n["traps"]:
        if t not in fids: e(n["prospect_id"], "trap id", t)
# references
if len(R) != 64: e("ref count", len(R))
allowed_links = {S["website"], S["meeting_link"], S["unsubscribe"]["url"]}
ppnums = set(re.findall(r"\d+", " ".join(x["text"] for x in S["proof_points"])))
tn = {n["prospect_id"]: n["traps"] for n in N}
STOP = set("""that with from this have your their there about which when where what will would into only also more most over after before under
sans avec pour dans dans leur nous vous elle sont être avoir cette entre après
nach nicht oder aber eine einer einem einen dem den der die das und mit von für über
para como pero sobre entre desde donde cuando esta este estos están una unos unas los las del por con que
para como mais pelo pela sobre nossa nosso uma você
voor naar over maar niet onze zijn deze door
della delle degli dopo sono alla dalla anche
oraz jest przez tego
inte över efter eller från till som med
ikke efter eller fra til som med
ikke etter eller fra til som med
""".split())
for pid in ids:
    rs = [r for r in R if r["prospect_id"]==pid]
    if [r["step"] for r in rs] != [1,2,3,4]: e(pid,"steps"); continue
    chans = [r["channel"] for r in rs]
    if chans != ["email","email","linkedin_connect","email"]: e(pid,"channels")
    if rs[1]["subject"] != "Re: "+rs[0]["subject"]: e(pid,"re subject")
    p = pm[pid]
    nontrap = " ".join(f["text"] for f in p["facts"] if f["id"] not in tn[pid])
    nums_ok = ppnums | set(re.findall(r"\d+", nontrap))
    name_tokens = set(w.lower() for w in re.findall(r"\w+", p["first_name"]+" "+p["last_name"]+" "+p["company"]))
    trap_words = set()
    for f in p["facts"]:
        if f["id"] in tn[pid]:
            trap_words |= {w.lower() for w in re.findall(r"\w{5,}", f["text"])}
    okwords = {w.lower() for w in re.findall(r"\w{5,}", nontrap)} | name_tokens | STOP
    okwords |= {w.lower() for w in re.findall(r"\w{5,}", json.dumps(S, ensure_ascii=False))}
    for r in rs:
        b = r["body"]
        wc = len(b.split())
        if r["channel"]=="email":
            if r["step"] in (1,4) and wc >= 120: e(pid, r["step"], "words", wc)
            if r["step"]==2 and wc > 80: e(pid, 2, "step2 long", wc)
        else:
            if len(b) >= 300: e(pid, 3, "chars", len(b))
            if "http" in b: e(pid,3,"link in linkedin")
        if not b.rstrip().endswith("Tessa"): e(pid, r["step"], "signoff")
        links = re.findall(r"https?://\S+", b)
        for l in links:
            if l.rstrip(".,)") not in allowed_links: e(pid, r["step"], "link", l)
        if r["step"]==4 and S["meeting_link"] not in b: e(pid,4,"no meeting link")
        if r["step"]!=4 and S["meeting_link"] in b: e(pid,r["step"],"meeting link early")
        text_nolink = re.sub(r"https?://\S+", "", (r.get("subject") or "")+" "+b)
        for num in re.findall(r"\d+", text_nolink):
            if num not in nums_ok: e(pid, r["step"], "unsupported number", num)
        for bad in ["Sheffield","Ropewalk","unsubscribe","Unsubscribe","HoseTrak","FluidBase", "localized"]:
            if bad in b: e(pid, r["step"], "forbidden", bad)
        words = {w.lower() for w in re.findall(r"\w{5,}", text_nolink)}
        hit = (words & trap_words) - okwords
        if hit: print("REVIEW trap-word overlap", pid, r["step"], sorted(hit))
        print(f"{pid} s{r['step']} {r['channel']:16} words={wc:3d} chars={len(b)}")
print("\nERRORS:" if err else "\nALL CHECKS PASSED"); [print(" ",x) for x in err]
