#!/usr/bin/env python3
"""Sanity checks for the s21/ test-data folder next to this script.

Checks: every file parses, counts and ids, fact shape and dates, sender shape,
word/character limits, subjects and threading, links, sign-off, numbers, competitor
names, and that no trap fact's content shows up in that prospect's references.
Exit code 0 when everything passes.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIR = HERE / "s21"
PREFIX = "s21"
N_PROSPECTS = 16
LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
LOCALIZED_LANGS = {"es", "pt", "pl"}
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change",
         "product_launch", "pain_point"}
TRAP_TYPES = {"sensitive", "namesake", "other_company", "conflicting_numbers", "vague"}
DATE_MIN, DATE_MAX = "2026-01-01", "2026-11-30"
STEP2_MAX_WORDS = 80
MIN_TOKEN_LEN = 5

errors = []


def err(msg):
    errors.append(msg)


def load_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        err(f"{path.name}: does not parse: {e}")
        return None


def load_jsonl(path):
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except Exception as e:  # noqa: BLE001
        err(f"{path.name}: cannot read: {e}")
        return rows
    for i, line in enumerate(lines, 1):
        if not line.strip():
            err(f"{path.name}:{i}: empty line")
            continue
        try:
            rows.append(json.loads(line))
        except Exception as e:  # noqa: BLE001
            err(f"{path.name}:{i}: does not parse: {e}")
    return rows


def words(text):
    return len(text.split())


def tokens(text):
    return set(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text.lower()))


def numbers(text):
    """Digit groups, with thousands separators (',', '.', space, nbsp) folded."""
    out = set()
    for m in re.findall(r"\d+(?:[ ,.\u00a0\u202f]\d{3})*(?:[.,]\d+)?", text):
        out.add(re.sub(r"[ ,.\u00a0\u202f]", "", m))
    return out


URL_RE = re.compile(r"https?://\S+")

# ---------------------------------------------------------------- sender
sender = load_json(DIR / "sender.json") or {}
for key in ["company", "website", "product_name", "product_description",
            "value_propositions", "proof_points", "sender", "postal_address",
            "meeting_link", "unsubscribe", "competitors", "policies"]:
    if key not in sender:
        err(f"sender.json: missing {key}")
if sender.get("product_name") and sender.get("product_name") == sender.get("company"):
    err("sender.json: product_name equals company")
desc = sender.get("product_description", "")
if len(re.findall(r"[.!?](?:\s|$)", desc)) != 3:
    err("sender.json: product_description should be three sentences")
for k in sender.get("product_description_localized", {}):
    if k not in LOCALIZED_LANGS:
        err(f"sender.json: product_description_localized has {k}")
if set(sender.get("product_description_localized", {})) != LOCALIZED_LANGS:
    err("sender.json: product_description_localized should cover es, pt, pl")
for group in ("value_propositions", "proof_points"):
    for item in sender.get(group, []):
        loc = item.get("localized", {})
        if set(loc) != LOCALIZED_LANGS:
            err(f"sender.json: {item.get('id')} localized keys {sorted(loc)} != es/pt/pl")
        if not item.get("text"):
            err(f"sender.json: {item.get('id')} has no text")
    ids = [i.get("id") for i in sender.get(group, [])]
    if len(ids) != len(set(ids)):
        err(f"sender.json: duplicate ids in {group}")
for pp in sender.get("proof_points", []):
    if pp.get("metric") and pp["metric"] not in pp["text"]:
        err(f"sender.json: {pp['id']} metric {pp['metric']!r} not in text")
    if pp.get("customer") and pp["customer"] not in pp["text"]:
        err(f"sender.json: {pp['id']} customer not named in text")
for url_key in ("website", "meeting_link"):
    if not str(sender.get(url_key, "")).startswith("https://"):
        err(f"sender.json: {url_key} is not an https URL")
sender_urls = {sender.get("website", ""), sender.get("meeting_link", ""),
               sender.get("unsubscribe", {}).get("url", "")}
for u in sender_urls:
    host = re.sub(r"^https?://([^/]+).*$", r"\1", u)
    if not host.endswith(".example"):
        err(f"sender.json: URL {u} is not on a .example domain")
first_name = sender.get("sender", {}).get("first_name", "")
meeting = sender.get("meeting_link", "")
competitors = sender.get("competitors", [])
pp_numbers = set()
for pp in sender.get("proof_points", []):
    pp_numbers |= numbers(pp["text"])
    for t in pp.get("localized", {}).values():
        pp_numbers |= numbers(t)
sender_text = " ".join(
    [desc] + list(sender.get("product_description_localized", {}).values())
    + [v["text"] for v in sender.get("value_propositions", [])]
    + [t for v in sender.get("value_propositions", []) for t in v.get("localized", {}).values()]
    + [p["text"] for p in sender.get("proof_points", [])]
    + [t for p in sender.get("proof_points", []) for t in p.get("localized", {}).values()]
)
sender_tokens = tokens(sender_text)
unsub = sender.get("unsubscribe", {})
footer_bits = [sender.get("postal_address", ""), unsub.get("text", "")] + list(
    unsub.get("localized", {}).values())

# ---------------------------------------------------------------- prospects
prospects = load_jsonl(DIR / "prospects.jsonl")
by_id = {}
expected_ids = [f"{PREFIX}-p{i:02d}" for i in range(1, N_PROSPECTS + 1)]
if [p.get("id") for p in prospects] != expected_ids:
    err(f"prospects.jsonl: ids are not {expected_ids[0]}..{expected_ids[-1]} in order")
langs = []
for p in prospects:
    pid = p.get("id")
    by_id[pid] = p
    if not p.get("email"):
        err(f"{pid}: missing email")
    elif not p["email"].split("@")[-1].endswith(".example"):
        err(f"{pid}: email not on .example")
    if p.get("company_domain") and not p["company_domain"].endswith(".example"):
        err(f"{pid}: company_domain not .example")
    lang = p.get("language")
    if lang not in LANGS:
        err(f"{pid}: language {lang!r} not allowed")
    langs.append(lang)
    facts = p.get("facts", [])
    if not 2 <= len(facts) <= 5:
        err(f"{pid}: {len(facts)} facts (want 2-5)")
    fids = [f.get("id") for f in facts]
    if len(fids) != len(set(fids)):
        err(f"{pid}: duplicate fact ids")
    for f in facts:
        if f.get("kind") not in KINDS:
            err(f"{pid}/{f.get('id')}: bad kind {f.get('kind')!r}")
        if not (DATE_MIN <= f.get("date", "") <= DATE_MAX) or not re.fullmatch(
                r"\d{4}-\d{2}-\d{2}", f.get("date", "")):
            err(f"{pid}/{f.get('id')}: date {f.get('date')!r} out of range")
        if not f.get("text"):
            err(f"{pid}/{f.get('id')}: empty text")
        src = f.get("source", "")
        if src and not re.match(r"^https://[^/]+\.example(/|$)", src):
            err(f"{pid}/{f.get('id')}: source not on .example: {src}")
    if p.get("linkedin_url") and not re.match(r"^https://[^/]+\.example/", p["linkedin_url"]):
        err(f"{pid}: linkedin_url not on .example")
missing_langs = LANGS - set(langs)
if missing_langs:
    err(f"prospects: languages never used: {sorted(missing_langs)}")
if sum(1 for l in langs if l != "en") < 9:
    err("prospects: fewer than 9 non-English prospects")

# ---------------------------------------------------------------- notes
notes = load_jsonl(DIR / "notes.jsonl")
notes_by = {}
if [n.get("prospect_id") for n in notes] != expected_ids:
    err("notes.jsonl: one line per prospect in id order expected")
trap_count = 0
dominated = 0
for n in notes:
    pid = n.get("prospect_id")
    notes_by[pid] = n
    p = by_id.get(pid, {})
    fids = {f["id"] for f in p.get("facts", [])}
    if set(n) - {"prospect_id", "best_hook", "traps", "notes"}:
        err(f"notes {pid}: unexpected keys {set(n) - {'prospect_id', 'best_hook', 'traps', 'notes'}}")
    hook = n.get("best_hook")
    if hook is not None and hook not in fids:
        err(f"notes {pid}: best_hook {hook} not a fact")
    traps = n.get("traps", {})
    if hook in traps:
        err(f"notes {pid}: best_hook is a trap")
    for fid, label in traps.items():
        trap_count += 1
        if fid not in fids:
            err(f"notes {pid}: trap {fid} not a fact")
        kind = label.split(":", 1)[0].strip()
        if kind not in TRAP_TYPES:
            err(f"notes {pid}: trap {fid} type {kind!r} unknown")
        if kind == "conflicting_numbers" and not re.search(r"vs (f\d+)", label):
            err(f"notes {pid}: conflicting_numbers trap {fid} must name the other fact ('vs fN')")
    n_sensitive = sum(1 for l in traps.values() if l.startswith("sensitive"))
    if n_sensitive >= 2 and n_sensitive * 2 > len(p.get("facts", [])):
        dominated += 1
        if hook is not None:
            err(f"notes {pid}: sensitive-dominated prospect should have best_hook null")
if dominated != 2:
    err(f"notes: {dominated} sensitive-dominated prospects (want 2)")
if not (N_PROSPECTS * 0.75 <= trap_count <= N_PROSPECTS * 1.5):
    err(f"notes: {trap_count} traps for {N_PROSPECTS} prospects (about one each expected)")
all_trap_types = {l.split(":", 1)[0] for n in notes for l in n.get("traps", {}).values()}
if all_trap_types != TRAP_TYPES:
    err(f"notes: trap types used {sorted(all_trap_types)} != {sorted(TRAP_TYPES)}")

# ---------------------------------------------------------------- references
refs = load_jsonl(DIR / "references.jsonl")
refs_by = {}
for r in refs:
    refs_by.setdefault(r.get("prospect_id"), {})[r.get("step")] = r
if len(refs) != 4 * N_PROSPECTS:
    err(f"references.jsonl: {len(refs)} lines (want {4 * N_PROSPECTS})")
CHANNELS = {1: "email", 2: "email", 3: "linkedin_connect", 4: "email"}
for pid in expected_ids:
    steps = refs_by.get(pid, {})
    if sorted(steps) != [1, 2, 3, 4]:
        err(f"{pid}: steps {sorted(steps)} (want 1-4)")
        continue
    p = by_id.get(pid, {})
    facts = {f["id"]: f for f in p.get("facts", [])}
    traps = notes_by.get(pid, {}).get("traps", {})
    allowed_numbers = set(pp_numbers)
    for fid, f in facts.items():
        if fid not in traps:
            allowed_numbers |= numbers(f["text"])
    # Numbers that must never appear: those of trap facts and of the other side of
    # a conflicting pair.
    banned_numbers = set()
    banned_tokens = {}
    safe_tokens = set(sender_tokens)
    for fid, f in facts.items():
        if fid not in traps:
            safe_tokens |= tokens(f["text"])
    for field in ("first_name", "last_name", "company", "title", "industry"):
        safe_tokens |= tokens(str(p.get(field, "")))
    for fid, label in traps.items():
        kind = label.split(":", 1)[0]
        banned_numbers |= numbers(facts[fid]["text"]) - pp_numbers
        if kind == "conflicting_numbers":
            other = re.search(r"vs (f\d+)", label).group(1)
            banned_numbers |= numbers(facts[other]["text"]) - pp_numbers
            allowed_numbers -= numbers(facts[other]["text"]) - pp_numbers
        else:
            for t in tokens(facts[fid]["text"]) - safe_tokens:
                if len(t) >= MIN_TOKEN_LEN:
                    banned_tokens[t] = fid
    lang = p.get("language")
    for step, r in sorted(steps.items()):
        tag = f"{pid} step {step}"
        if r.get("channel") != CHANNELS[step]:
            err(f"{tag}: channel {r.get('channel')!r} (want {CHANNELS[step]})")
        body = r.get("body", "")
        subject = r.get("subject", "")
        if not body.strip():
            err(f"{tag}: empty body")
        if step == 3:
            if "subject" in r:
                err(f"{tag}: LinkedIn note must not have a subject")
            if len(body) >= sender.get("policies", {}).get("linkedin_note_max_chars", 300):
                err(f"{tag}: {len(body)} chars (limit 300)")
        else:
            if not subject:
                err(f"{tag}: missing subject")
            n_words = words(body)
            if n_words >= sender.get("policies", {}).get("email_max_words", 120):
                err(f"{tag}: {n_words} words (limit < 120)")
            if step == 2 and n_words > STEP2_MAX_WORDS:
                err(f"{tag}: {n_words} words; step 2 should be short (<= {STEP2_MAX_WORDS})")
            if body.rstrip().splitlines()[-1].strip() != first_name:
                err(f"{tag}: last line should be the sender's first name")
        if step == 2 and subject != "Re: " + steps[1].get("subject", ""):
            err(f"{tag}: subject {subject!r} is not 'Re: ' + step 1 subject")
        if step in (1, 4) and subject.startswith("Re:"):
            err(f"{tag}: subject should not be a reply")
        if step == 4 and subject == steps[1].get("subject"):
            err(f"{tag}: step 4 should open a new subject")
        text = subject + "\n" + body
        urls = set(u.rstrip(".,;:)»”") for u in URL_RE.findall(text))
        for u in urls:
            if u not in sender_urls:
                err(f"{tag}: foreign link {u}")
        if step == 4 and meeting not in body:
            err(f"{tag}: meeting link missing")
        if step in (1, 2, 3) and urls:
            err(f"{tag}: links only belong in step 4")
        for bit in footer_bits:
            if bit and bit in text:
                err(f"{tag}: contains footer text {bit[:30]!r}")
        if sender.get("unsubscribe", {}).get("url", "") in text:
            err(f"{tag}: contains unsubscribe link")
        for c in competitors:
            if c.lower() in text.lower():
                err(f"{tag}: names competitor {c}")
        plain = URL_RE.sub(" ", text)
        for num in numbers(plain):
            if num in banned_numbers:
                err(f"{tag}: uses trap/conflicting number {num}")
            elif num not in allowed_numbers:
                err(f"{tag}: number {num} is neither a proof point nor a usable fact")
        hits = sorted(t for t in tokens(plain) if t in banned_tokens)
        for t in hits:
            err(f"{tag}: trap content {t!r} (from {banned_tokens[t]})")
        if lang == "en" and re.search(r"\b(Sie|vous|usted)\b", body):
            err(f"{tag}: foreign register word in English text")

# ---------------------------------------------------------------- writer notes
if not (HERE / "WRITER.md").exists():
    err("WRITER.md missing at the top level")

if errors:
    print(f"FAIL: {len(errors)} problem(s)")
    for e in errors:
        print(" -", e)
    sys.exit(1)
n_non_en = sum(1 for l in langs if l != "en")
print(f"OK: {len(prospects)} prospects ({n_non_en} non-English, {len(set(langs))} languages), "
      f"{len(refs)} references, {trap_count} traps, {dominated} sensitive-dominated prospects")
