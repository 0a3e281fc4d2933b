import json, re, sys
import os; D=os.path.join(os.path.dirname(os.path.abspath(__file__)), "s24") + "/"
S=json.load(open(D+"sender.json"))
P=[json.loads(l) for l in open(D+"prospects.jsonl")]
N={json.loads(l)["prospect_id"]:json.loads(l) for l in open(D+"notes.jsonl")}
R=[json.loads(l) for l in open(D+"references.jsonl")]
err=[]
GENERIC={"beitrag","aujourd","hôtelier","onderhoud","università","linkedin"}
MARK={"s24-p01":["llandeilo","rugby","apprentice","plumbing","captain"],"s24-p02":["herzinfarkt","reha","salzuflen","genesung","gesundheit"],
"s24-p03":["42","38","établissements","taille humaine"],"s24-p04":["overleden","vader","condoleance","gecondoleerd","22","reorganisatie","functies","groei","afstand"],
"s24-p05":["levantina","alicante","elche","compra"],"s24-p06":["candidat","cascais","assembleia","política","primeiro"],"s24-p07":["futuro","innovazione","impegno"],
"s24-p08":["mobbing","sąd","rozpraw","pozyw"],"s24-p09":["föräldra","jonas","april","ledig"],"s24-p11":["menighet","kirke","fana"],
"s24-p12":["2,100","2,600","2100","2600","beds","bed count"],"s24-p13":["krebs","chemo","abmeld","gesund","bürgerforum","gemeinderat","kandid","rückhalt"],
"s24-p14":["namur","étoile","chef","restaurant","cuisin"],"s24-p15":["amstelland","dwangsom","handhaving","last onder"],"s24-p16":["excellence","committed","invest"]}
assert len(P)==16 and [p["id"] for p in P]==[f"s24-p{i:02d}" for i in range(1,17)]
assert set(N)==set(p["id"] for p in P)
langs={}
kinds={"news","hiring","funding","tech_stack","post","role_change","product_launch","pain_point"}
for p in P:
    langs[p["language"]]=langs.get(p["language"],0)+1
    assert 2<=len(p["facts"])<=5, p["id"]
    for f in p["facts"]:
        assert f["kind"] in kinds; assert "2026-01-01"<=f["date"]<="2026-11-30", (p["id"],f["id"])
        assert ".example" in f["source"]
    assert p["email"].endswith(".example") and p["company_domain"].endswith(".example")
    n=N[p["id"]]; fids={f["id"] for f in p["facts"]}
    assert set(n["traps"])<=fids and (n["best_hook"] is None or n["best_hook"] in fids) and n["best_hook"] not in n["traps"]
print("langs",langs, "non-en", sum(v for k,v in langs.items() if k!="en"))
assert set(langs)=={"en","de","fr","es","pt","nl","it","pl","sv","da","no"}
# sender numbers
allowed_sender=set(re.findall(r"\d+", " ".join(pp["text"] for pp in S["proof_points"])))
links={S["website"],S["meeting_link"],S["unsubscribe"]["url"]}
from collections import defaultdict
byp=defaultdict(list)
for r in R: byp[r["prospect_id"]].append(r)
ntr=0
for p in P:
    rs=sorted(byp[p["id"]],key=lambda r:r["step"]); assert [r["step"] for r in rs]==[1,2,3,4]
    assert [r["channel"] for r in rs]==["email","email","linkedin_connect","email"]
    assert rs[1]["subject"]=="Re: "+rs[0]["subject"]
    assert "subject" not in rs[2]
    good=" ".join(f["text"] for f in p["facts"] if f["id"] not in N[p["id"]]["traps"])
    allowed=allowed_sender|set(re.findall(r"\d+",good))
    traps=[f for f in p["facts"] if f["id"] in N[p["id"]]["traps"]]; ntr+=len(traps)
    for r in rs:
        b=r["body"]
        if r["channel"]=="email":
            w=len(b.split())
            if w>=120: err.append((p["id"],r["step"],"words",w))
            if not b.rstrip().endswith("\nMaren"): err.append((p["id"],r["step"],"signoff"))
        else:
            if len(b)>=300: err.append((p["id"],3,"chars",len(b)))
        for u in re.findall(r"https?://\S+",b):
            if u.rstrip(".,)") not in links: err.append((p["id"],r["step"],"link",u))
        if r["step"]==4 and S["meeting_link"] not in b: err.append((p["id"],4,"nomeeting"))
        if r["step"]!=4 and S["meeting_link"] in b: err.append((p["id"],r["step"],"early link"))
        txt=re.sub(r"https?://\S+","",b+" "+r.get("subject",""))
        for num in re.findall(r"\d+",txt):
            if num not in allowed: err.append((p["id"],r["step"],"number",num))
        for bad in ["Prinsengracht","unsubscribe","Portalis","FireTrack","DeurDossier","Hollander"]:
            if bad.lower() in txt.lower(): err.append((p["id"],r["step"],"forbidden",bad))
        # trap content: any 3-word sequence or distinctive number from trap text (not in good facts)
        low=txt.lower()
        for t in traps:
            tw=re.findall(r"\w+",t["text"].lower())
            gw=set(re.findall(r"\w+",good.lower()))
            for i in range(len(tw)-2):
                g=" ".join(tw[i:i+3])
                if g in " ".join(re.findall(r"\w+",low)) and g not in " ".join(re.findall(r"\w+",good.lower())):
                    err.append((p["id"],r["step"],"trap3gram",t["id"],g))
            for num in re.findall(r"\d+",t["text"]):
                if num in re.findall(r"\d+",txt) and num not in allowed: err.append((p["id"],r["step"],"trapnum",num))
            own=set(re.findall(r"\w+",(p["first_name"]+" "+p["last_name"]+" "+p["company"]+" "+p["title"]).lower()))
            for wd in set(tw)-gw-own-GENERIC:
                if len(wd)>=7 and re.search(r"\b"+re.escape(wd)+r"\b",low): err.append((p["id"],r["step"],"trapword",t["id"],wd))
for r in R:
    for m in MARK.get(r["prospect_id"],[]):
        if m in (r["body"]+" "+r.get("subject","")).lower(): err.append((r["prospect_id"],r["step"],"marker",m))
print("traps",ntr,"refs",len(R))
for e in err: print(e)
# stats
import statistics
ws=[len(r["body"].split()) for r in R if r["channel"]=="email"]; cs=[len(r["body"]) for r in R if r["channel"]!="email"]
print("email words min/max",min(ws),max(ws),"li chars",min(cs),max(cs))
