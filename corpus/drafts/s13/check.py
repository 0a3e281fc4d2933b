#!/usr/bin/env python3
"""Self-check for the s13 test-data sender. Run: python3 s13/check.py (from anywhere).

Checks that every file parses, the counts and shapes, dates, domains, word and character
limits, subjects, links, sign-off, numbers (only proof points and the prospect's own
non-trap facts) and that no trap fact's content shows up in a reference.
"""
import json
import os
import re
import sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []
warnings = []


def err(msg):
    errors.append(msg)


def load_json(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def load_jsonl(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                err(f"{name}:{i}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{name}:{i}: does not parse: {e}")
    return rows


sender = load_json("sender.json")
prospects = load_jsonl("prospects.jsonl")
notes = load_jsonl("notes.jsonl")
refs = load_jsonl("references.jsonl")

# ------------------------------------------------------------------ sender
for k in ["company", "website", "product_name", "product_description", "value_propositions",
          "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe",
          "competitors", "policies"]:
    if not sender.get(k):
        err(f"sender.json: missing {k}")
if sender["product_name"].lower() in sender["company"].lower():
    err("sender.json: product name must differ from company name")
sentences = [s for s in re.split(r"(?<=[.!?])\s+", sender["product_description"].strip()) if s]
if len(sentences) != 3:
    err(f"sender.json: product_description has {len(sentences)} sentences, want 3")
for obj in sender["value_propositions"] + sender["proof_points"]:
    loc = obj.get("localized", {})
    if set(loc) - {"fr", "it"}:
        err(f"sender.json: {obj['id']} localized beyond fr/it: {sorted(loc)}")
for k in ("product_description_localized",):
    if set(sender.get(k, {})) - {"fr", "it"}:
        err(f"sender.json: {k} beyond fr/it")
if set(sender["unsubscribe"].get("localized", {})) - {"fr", "it"}:
    err("sender.json: unsubscribe.localized beyond fr/it")
for pp in sender["proof_points"]:
    if pp.get("metric") and pp["metric"] not in pp["text"]:
        err(f"sender.json: {pp['id']} metric {pp['metric']!r} not in its text")
url_fields = [sender["website"], sender["meeting_link"], sender["unsubscribe"]["url"]]
for u in url_fields:
    host = re.match(r"https://([^/]+)", u).group(1)
    if not host.endswith(".example"):
        err(f"sender.json: url not on .example: {u}")
if not sender["sender"]["email"].endswith(".example"):
    err("sender.json: sender email not on .example")
pol = sender["policies"]
MAX_WORDS = pol["email_max_words"]
MAX_LI = pol["linkedin_note_max_chars"]

# ------------------------------------------------------------------ prospects
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
want_ids = [f"s13-p{i:02d}" for i in range(1, 17)]
got_ids = [p.get("id") for p in prospects]
if got_ids != want_ids:
    err(f"prospects: ids {got_ids} != {want_ids}")
pby = {p["id"]: p for p in prospects}
langs = [p.get("language") for p in prospects]
if set(langs) != LANGS:
    err(f"prospects: languages {sorted(set(langs))} != {sorted(LANGS)}")
if sum(1 for l in langs if l != "en") < 9:
    err("prospects: fewer than 9 non-English prospects")
for p in prospects:
    pid = p["id"]
    if not p.get("email", "").endswith(".example"):
        err(f"{pid}: email not on .example")
    if p.get("company_domain") and not p["company_domain"].endswith(".example"):
        err(f"{pid}: company_domain not .example")
    if p.get("linkedin_url") and not re.match(r"https://[^/]+\.example/", p["linkedin_url"]):
        err(f"{pid}: linkedin_url not on .example")
    facts = p.get("facts", [])
    if not 2 <= len(facts) <= 5:
        err(f"{pid}: {len(facts)} facts, want 2-5")
    fids = [f["id"] for f in facts]
    if len(set(fids)) != len(fids):
        err(f"{pid}: duplicate fact ids")
    for f in facts:
        if f.get("kind") not in KINDS:
            err(f"{pid}/{f['id']}: bad kind {f.get('kind')}")
        d = date.fromisoformat(f["date"])
        if not date(2026, 1, 1) <= d <= date(2026, 11, 30):
            err(f"{pid}/{f['id']}: date {d} out of range")
        if not re.match(r"https://[^/]+\.example(/|$)", f.get("source", "")):
            err(f"{pid}/{f['id']}: source not on .example")
        if not f.get("text", "").strip():
            err(f"{pid}/{f['id']}: empty text")

# ------------------------------------------------------------------ notes
nby = {}
if [n.get("prospect_id") for n in notes] != want_ids:
    err("notes: prospect ids do not match prospects")
for n in notes:
    pid = n["prospect_id"]
    nby[pid] = n
    fids = {f["id"] for f in pby[pid]["facts"]}
    if n["best_hook"] is not None and n["best_hook"] not in fids:
        err(f"{pid}: best_hook {n['best_hook']} not a fact")
    if n["best_hook"] in n["traps"]:
        err(f"{pid}: best_hook is a trap")
    for t in n["traps"]:
        if t not in fids:
            err(f"{pid}: trap {t} not a fact")
    if not n.get("notes"):
        err(f"{pid}: empty notes")
dominated = [pid for pid, n in nby.items()
             if sum(1 for v in n["traps"].values() if v.startswith("sensitive")) >= 2]
if len(dominated) != 2:
    err(f"notes: want exactly 2 sensitive-dominated prospects, got {dominated}")
for pid in dominated:
    if nby[pid]["best_hook"] is not None:
        err(f"{pid}: sensitive-dominated prospect should have no best hook")
trap_types = " ".join(v for n in notes for v in n["traps"].values())
for needed in ["illness", "bereavement", "layoffs", "family leave", "religion", "politics",
               "legal trouble", "namesake", "another company", "disagreeing numbers", "too vague"]:
    if needed not in trap_types:
        err(f"notes: no trap of type {needed!r}")

# ------------------------------------------------------------------ references
NUM_RE = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?!\d)|\d+")
URL_RE = re.compile(r"https?://\S+")
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def numbers(text):
    return {re.sub(r"\D", "", m) for m in NUM_RE.findall(URL_RE.sub(" ", text))}


def words(text):
    return [w.lower() for w in WORD_RE.findall(URL_RE.sub(" ", text))]


def ngrams(ws, n=4):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


sender_blob = json.dumps(sender, ensure_ascii=False)
pp_numbers = set()
for pp in sender["proof_points"]:
    pp_numbers |= numbers(pp["text"])
    for t in pp.get("localized", {}).values():
        pp_numbers |= numbers(t)

allowed_urls = {sender["website"].rstrip("/"), sender["meeting_link"].rstrip("/")}

# Hand-picked marker words/phrases for each trap (lower-case); none may appear in that prospect's refs.
TRAP_MARKERS = {
    ("s13-p01", "f3"): ["huddersfield", "u21", "squad", "pre-season", "football", "netherlands"],
    ("s13-p02", "f3"): ["milwaukee", "midwest", "party group", "event rentals", "acquired", "acquisition", "linen", "tent"],
    ("s13-p02", "f4"): ["growth", "exceptional experiences", "focused on"],
    ("s13-p03", "f4"): ["fleet of", "60,000", "60 000"],
    ("s13-p03", "f5"): ["athlone", "35,000", "single depot", "one depot"],
    ("s13-p04", "f4"): ["kommunalwahl", "listenplatz", "grünen", "grüne", "stadtrat", "kandid", "wahl", "politi"],
    ("s13-p05", "f1"): ["krebs", "diagnose", "tagesgeschäft", "auszeit", "gesundheit", "genesung", "erholung", "alles gute", "krank"],
    ("s13-p05", "f2"): ["trauer", "beileid", "maria", "mitgründerin", "verstorben", "abschied", "familie"],
    ("s13-p05", "f4"): ["qualität", "kundennähe"],
    ("s13-p06", "f3"): ["congé", "maternité", "julien", "roux", "intérim", "absence", "bébé", "naissance", "novembre", "juillet"],
    ("s13-p07", "f2"): ["léman clôtures", "faillite", "genève", "employés", "concurrent"],
    ("s13-p08", "f3"): ["38", "12 %", "millones", "facturó", "facturación"],
    ("s13-p08", "f4"): ["45", "millones", "facturación", "valenciana"],
    ("s13-p09", "f4"): ["braga", "dispensa", "trabalhadores", "despedimento", "25", "crescimento"],
    ("s13-p10", "f3"): ["beachvolleybal", "volleybal", "scheveningen", "nk ", "kampioen", "sport"],
    ("s13-p11", "f2"): ["pellegrinaggio", "santiago", "compostela", "parrocchia", "san giuseppe", "fede", "cammino"],
    ("s13-p12", "f1"): ["guardia di finanza", "perquisizion", "indagat", "frode", "fiscale", "brescia", "indagine"],
    ("s13-p12", "f2"): ["licenziament", "rezzato", "dipendenti", "60", "esuberi", "ristruttur"],
    ("s13-p12", "f3"): ["magistratura", "legali", "fiducia", "serietà", "collaboratori", "difficile"],
    ("s13-p14", "f4"): ["mälardalens bygg", "vårdboende", "västerås", "kontrakt för"],
    ("s13-p15", "f4"): ["bøde", "faldulykke", "ulykke", "vejle", "400.000", "sikkerhed", "byggeplads"],
    ("s13-p16", "f3"): ["fjordprisen", "barnebok", "oslo", "pris", "forfatter"],
}
INFORMAL = {
    "de": r"\b(du|dich|dir|dein\w*|euch)\b",
    "fr": r"\b(tu|toi|ton|tes)\b",
    "es": r"\b(tú|tus|te|contigo)\b",
    "it": r"\b(tu|ti|tuo|tua|tuoi)\b",
    "pl": r"\b(ty|ciebie|cię|twój|twoje)\b",
    "pt": r"\b(tu|teu|tua|contigo)\b",
}
FORMAL_MARKER = {"de": r"\b(Sie|Ihnen|Ihr\w*)\b", "fr": r"\bvous\b", "es": r"(?i)\b(usted|su|sus|le)\b",
                 "it": r"\b(Lei|Le|Suo|Sua)\b|\bLe\w*\b", "pl": r"\bPan\w*\b"}

first_name = sender["sender"]["first_name"]
forbidden_bits = [sender["postal_address"], "Ropeworks", "EH6", sender["sender"]["phone"],
                  sender["unsubscribe"]["url"], sender["unsubscribe"]["text"], sender["sender"]["last_name"],
                  sender["sender"]["title"], sender["sender"]["email"]]
forbidden_bits += list(sender["unsubscribe"]["localized"].values())
forbidden_bits += ["unsubscribe", "désabonn", "iscrizione", "abmelden", "darse de baja"]

rby = {}
for r in refs:
    rby.setdefault(r["prospect_id"], []).append(r)
if sorted(rby) != want_ids:
    err("references: prospect ids do not match prospects")
if len(refs) != 64:
    err(f"references: {len(refs)} rows, want 64")

stats = {"email_words_max": 0, "li_chars_max": 0}
for pid in want_ids:
    p = pby[pid]
    n = nby[pid]
    seq = sorted(rby.get(pid, []), key=lambda r: r["step"])
    if [r["step"] for r in seq] != [1, 2, 3, 4]:
        err(f"{pid}: steps {[r['step'] for r in seq]}")
        continue
    chans = [r["channel"] for r in seq]
    if chans != ["email", "email", "linkedin_connect", "email"]:
        err(f"{pid}: channels {chans}")
    if seq[1].get("subject") != "Re: " + seq[0].get("subject", ""):
        err(f"{pid}: step 2 subject is not 'Re: ' + step 1 subject")
    if "subject" in seq[2]:
        err(f"{pid}: linkedin note has a subject")
    if seq[3].get("subject", "").startswith("Re:"):
        err(f"{pid}: step 4 should open a new subject")

    trap_ids = set(n["traps"])
    ok_facts = [f for f in p["facts"] if f["id"] not in trap_ids]
    trap_facts = [f for f in p["facts"] if f["id"] in trap_ids]
    allowed_nums = set(pp_numbers)
    for f in ok_facts:
        allowed_nums |= numbers(f["text"])
    allowed_text = " ".join([f["text"] for f in ok_facts] + [p.get(k, "") or "" for k in
                            ("first_name", "last_name", "title", "company", "industry")] + [sender_blob])
    allowed_words = set(words(allowed_text))

    lang = p["language"]
    for r in seq:
        body = r["body"]
        tag = f"{pid} step {r['step']}"
        whole = (r.get("subject", "") + "\n" + body)
        if r["channel"] == "email":
            wc = len(body.split())
            stats["email_words_max"] = max(stats["email_words_max"], wc)
            if wc >= MAX_WORDS:
                err(f"{tag}: {wc} words (limit < {MAX_WORDS})")
            if not r.get("subject"):
                err(f"{tag}: email without subject")
            if body.strip().splitlines()[-1].strip() != first_name:
                err(f"{tag}: does not end with the sign-off {first_name!r}")
        else:
            stats["li_chars_max"] = max(stats["li_chars_max"], len(body))
            if len(body) >= MAX_LI:
                err(f"{tag}: {len(body)} chars (limit < {MAX_LI})")
            if not body.rstrip().endswith(first_name):
                err(f"{tag}: linkedin note not signed {first_name!r}")
        # links
        for u in URL_RE.findall(body):
            if u.rstrip("/.,)") not in allowed_urls:
                err(f"{tag}: foreign link {u}")
        has_ml = sender["meeting_link"] in body
        if r["step"] == 4 and not has_ml:
            err(f"{tag}: step 4 lacks the meeting link")
        if r["step"] != 4 and has_ml:
            err(f"{tag}: meeting link before step 4")
        # footer, address, competitors
        low = whole.lower()
        low_nourl = URL_RE.sub(" ", whole).lower()
        for bit in forbidden_bits:
            if bit and bit.lower() in low_nourl:
                err(f"{tag}: contains footer/address bit {bit!r}")
        for c in sender["competitors"]:
            if c.lower() in low:
                err(f"{tag}: names competitor {c}")
        # numbers
        for num in numbers(whole):
            if num not in allowed_nums:
                err(f"{tag}: number {num} is neither a proof point nor a non-trap fact")
        # register
        if lang in INFORMAL and re.search(INFORMAL[lang], body, re.IGNORECASE):
            err(f"{tag}: informal pronoun in a formal-register {lang} text: "
                f"{re.search(INFORMAL[lang], body, re.IGNORECASE).group(0)}")
        if lang in FORMAL_MARKER and r["channel"] == "email" and not re.search(FORMAL_MARKER[lang], body):
            warnings.append(f"{tag}: no formal-register marker found")
        # traps
        ref_words = words(whole)
        ref_grams = ngrams(ref_words)
        ref_numbers = numbers(whole)
        for tf in trap_facts:
            for m in TRAP_MARKERS.get((pid, tf["id"]), []):
                if re.search(r"(?<![\w])" + re.escape(m), low):
                    err(f"{tag}: trap {tf['id']} marker {m!r} appears")
            for num in numbers(tf["text"]) & ref_numbers:
                if num not in allowed_nums:
                    err(f"{tag}: trap {tf['id']} number {num} appears")
            shared = ngrams(words(tf["text"])) & ref_grams
            if shared:
                err(f"{tag}: trap {tf['id']} shares phrase {' '.join(sorted(shared)[0])!r}")
            # distinctive words of the trap fact: proper-noun-like or long, and not in any allowed text
            for w in set(WORD_RE.findall(tf["text"])):
                lw = w.lower()
                if lw in allowed_words:
                    continue
                if (w[0].isupper() and len(w) >= 3) or len(w) >= 8:
                    if lw in ref_words:
                        err(f"{tag}: trap {tf['id']} word {w!r} appears")
    # every trap has markers
    for t in trap_ids:
        if (pid, t) not in TRAP_MARKERS:
            err(f"{pid}: trap {t} has no marker list in check.py")

print(f"files: sender.json, prospects.jsonl ({len(prospects)}), notes.jsonl ({len(notes)}), "
      f"references.jsonl ({len(refs)})")
print(f"languages: {', '.join(f'{l}={langs.count(l)}' for l in sorted(set(langs)))}")
n_traps = sum(len(n['traps']) for n in notes)
print(f"trap facts: {n_traps}; sensitive-dominated: {', '.join(dominated)}")
print(f"longest email body: {stats['email_words_max']} words; longest LinkedIn note: {stats['li_chars_max']} chars")
for w in warnings:
    print("WARN", w)
if errors:
    for e in errors:
        print("FAIL", e)
    print(f"{len(errors)} problem(s)")
    sys.exit(1)
print("OK: all checks passed")
