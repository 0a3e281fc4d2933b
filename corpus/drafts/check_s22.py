#!/usr/bin/env python3
"""Check the s22/ test-data folder that sits next to this script.

Checks: every file parses; shapes and counts; language spread; fact dates and kinds;
notes point at real facts; four references per prospect with the right steps, channels and
subjects; word and character limits; sign-off; links; competitor names; footers; numbers only
from proof points or the prospect's own usable facts; and that no trap fact's content
(its numbers, its distinctive words, any three-word run) appears in a reference.
"""
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
D = HERE / "s22"
PREFIX = "s22"

LANGS = {"en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "no"}
KINDS = {"news", "hiring", "funding", "tech_stack", "post", "role_change", "product_launch", "pain_point"}
DATE_MIN, DATE_MAX = date(2026, 1, 1), date(2026, 11, 30)

errors = []


def err(msg):
    errors.append(msg)


def load_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001
        err(f"{path.name}: does not parse: {exc}")
        return None


def load_jsonl(path):
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except Exception as exc:  # noqa: BLE001
        err(f"{path.name}: cannot read: {exc}")
        return rows
    for i, line in enumerate(lines, 1):
        if not line.strip():
            err(f"{path.name}:{i}: empty line")
            continue
        try:
            rows.append(json.loads(line))
        except Exception as exc:  # noqa: BLE001
            err(f"{path.name}:{i}: does not parse: {exc}")
    return rows


URL_RE = re.compile(r"https?://[^\s)>\]\"'»”]+")
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
NUM_RE = re.compile(r"\d+")


def words(text):
    return [w.lower() for w in WORD_RE.findall(text)]


def numbers(text):
    return set(NUM_RE.findall(URL_RE.sub(" ", text)))


def domain_ok(url):
    m = re.match(r"https?://([^/]+)", url)
    return bool(m) and m.group(1).lower().endswith(".example")


def walk_for_key(obj, key, path=""):
    """Yield paths where `key` occurs anywhere in a nested structure."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield f"{path}.{k}"
            yield from walk_for_key(v, key, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk_for_key(v, key, f"{path}[{i}]")


# Words too common to say anything about a trap on their own.
STOP = set("""
about after again against among because before being between could every first from have
their there these those through under until where which while would should other still
years weeks month months today since with without into over this that what when your yours
avec dans pour plus sans sont cette leurs entre aussi après avant elle elles nous vous
para como pero este esta estos desde sobre entre hasta todos todas antes después porque
sind nicht eine einer einem einen oder aber auch noch nach über unter durch sich wird werden
della delle degli nella sono come anche dopo prima questo questa
voor naar maar onze zijn door over niet meer
oraz jest przez przed które który była
efter eller inte till från också detta under
eller ikke også efter etter under arbejder jobber arbeider
""".split())


def main():
    if not D.is_dir():
        print(f"FAIL: folder {D} not found")
        return 1

    # ---------------- sender
    sender = load_json(D / "sender.json")
    if sender is None:
        return report()
    for k in ["company", "website", "product_name", "product_description", "value_propositions",
              "proof_points", "sender", "postal_address", "meeting_link", "unsubscribe",
              "competitors", "policies"]:
        if k not in sender:
            err(f"sender.json: missing {k}")
    if sender.get("product_name", "").strip().lower() == sender.get("company", "").strip().lower():
        err("sender.json: product name equals company name")
    if sender.get("product_name", "").lower() in sender.get("company", "").lower():
        err("sender.json: product name is contained in company name")
    for p in walk_for_key(sender, "localized"):
        err(f"sender.json: localized text present at {p}")
    if "product_description_localized" in sender:
        err("sender.json: product_description_localized present")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", sender.get("product_description", "").strip()) if s]
    if len(sentences) != 3:
        err(f"sender.json: product description has {len(sentences)} sentences, expected 3")
    vps = sender.get("value_propositions", [])
    pps = sender.get("proof_points", [])
    if len(vps) < 3:
        err("sender.json: fewer than 3 value propositions")
    if len(pps) < 3:
        err("sender.json: fewer than 3 proof points")
    vp_texts = [v.get("text", "") for v in vps]
    if not any(re.match(r"^[^:]{3,60}: ", t) for t in vp_texts):
        err("sender.json: no 'Headline: explanation.' value proposition")
    if not any("(" in t for t in vp_texts):
        err("sender.json: no value proposition with a parenthesis")
    if not any(("\u2014" in t or " \u2013 " in t or " - " in t) for t in vp_texts):
        err("sender.json: no value proposition with a dash")
    if not any(('"' in p.get("text", "") or "\u201c" in p.get("text", "")) for p in pps):
        err("sender.json: no proof point with a customer quote")
    if not any(re.search(r"\d", p.get("text", "")) for p in pps):
        err("sender.json: no proof point with a number")
    for key in ["website", "meeting_link"]:
        if not domain_ok(sender.get(key, "")):
            err(f"sender.json: {key} is not on a .example domain")
    if not domain_ok(sender.get("unsubscribe", {}).get("url", "")):
        err("sender.json: unsubscribe.url is not on a .example domain")
    if not sender.get("sender", {}).get("email", "").endswith(".example"):
        err("sender.json: sender email is not on a .example domain")
    pol = sender.get("policies", {})
    max_words = pol.get("email_max_words", 120)
    max_chars = pol.get("linkedin_note_max_chars", 300)
    first_name = sender.get("sender", {}).get("first_name", "")
    allowed_urls = {sender.get("website", ""), sender.get("meeting_link", ""),
                    sender.get("unsubscribe", {}).get("url", "")}
    pp_numbers = set()
    for p in pps:
        pp_numbers |= numbers(p.get("text", ""))
    sender_words = set()
    for t in [sender.get("company", ""), sender.get("product_name", ""), sender.get("product_description", "")] \
            + vp_texts + [p.get("text", "") for p in pps] + [p.get("customer", "") for p in pps]:
        sender_words |= set(words(t))

    # ---------------- prospects
    prospects = load_jsonl(D / "prospects.jsonl")
    ids = [p.get("id") for p in prospects]
    expected_ids = [f"{PREFIX}-p{i:02d}" for i in range(1, 17)]
    if ids != expected_ids:
        err(f"prospects.jsonl: ids are {ids}, expected {expected_ids}")
    by_id = {p.get("id"): p for p in prospects}
    langs = Counter(p.get("language") for p in prospects)
    if set(langs) - LANGS:
        err(f"prospects.jsonl: unexpected languages {set(langs) - LANGS}")
    if LANGS - set(langs):
        err(f"prospects.jsonl: languages left out: {sorted(LANGS - set(langs))}")
    non_en = sum(c for lang, c in langs.items() if lang != "en")
    if non_en < 9:
        err(f"prospects.jsonl: only {non_en} non-English prospects")
    for p in prospects:
        pid = p.get("id")
        if not p.get("email", "").endswith(".example"):
            err(f"{pid}: email not on .example")
        for key in ["company_domain"]:
            if p.get(key) and not p[key].endswith(".example"):
                err(f"{pid}: {key} not .example")
        if p.get("linkedin_url") and not domain_ok(p["linkedin_url"]):
            err(f"{pid}: linkedin_url not on .example")
        facts = p.get("facts", [])
        if not 2 <= len(facts) <= 5:
            err(f"{pid}: {len(facts)} facts, expected 2-5")
        fids = [f.get("id") for f in facts]
        if len(set(fids)) != len(fids):
            err(f"{pid}: duplicate fact ids")
        for f in facts:
            if f.get("kind") not in KINDS:
                err(f"{pid}/{f.get('id')}: bad kind {f.get('kind')}")
            try:
                d = date.fromisoformat(f.get("date", ""))
                if not DATE_MIN <= d <= DATE_MAX:
                    err(f"{pid}/{f.get('id')}: date {d} out of range")
            except ValueError:
                err(f"{pid}/{f.get('id')}: bad date {f.get('date')}")
            if f.get("source") and not domain_ok(f["source"]):
                err(f"{pid}/{f.get('id')}: source not on .example")
            if not f.get("text", "").strip():
                err(f"{pid}/{f.get('id')}: empty text")

    # ---------------- notes
    notes = load_jsonl(D / "notes.jsonl")
    notes_by = {n.get("prospect_id"): n for n in notes}
    if sorted(notes_by) != expected_ids or len(notes) != 16:
        err("notes.jsonl: expected exactly one line per prospect")
    trap_kinds = Counter()
    sensitive_dominated = 0
    for pid, n in notes_by.items():
        p = by_id.get(pid, {})
        fids = {f.get("id") for f in p.get("facts", [])}
        hook = n.get("best_hook")
        if hook is not None and hook not in fids:
            err(f"notes {pid}: best_hook {hook} is not a fact id")
        traps = n.get("traps", {})
        if not isinstance(traps, dict):
            err(f"notes {pid}: traps is not an object")
            continue
        for fid, why in traps.items():
            if fid not in fids:
                err(f"notes {pid}: trap {fid} is not a fact id")
            trap_kinds[why.split(":")[0].strip()] += 1
        if hook in traps:
            err(f"notes {pid}: best_hook is a trap")
        sens = [f for f, why in traps.items() if why.startswith("sensitive")]
        if fids and len(sens) * 2 >= len(fids):
            sensitive_dominated += 1
        if not n.get("notes", "").strip():
            err(f"notes {pid}: empty notes")
    total_traps = sum(trap_kinds.values())
    if not 12 <= total_traps <= 24:
        err(f"notes: {total_traps} traps, expected about one per prospect")
    for kind in ["sensitive", "namesake", "another company", "disagreeing numbers", "too vague"]:
        if not any(k.startswith(kind) for k in trap_kinds):
            err(f"notes: no trap of kind '{kind}'")
    if sensitive_dominated < 2:
        err(f"notes: only {sensitive_dominated} prospects dominated by sensitive facts, expected 2")

    # ---------------- references
    refs = load_jsonl(D / "references.jsonl")
    per = defaultdict(dict)
    for r in refs:
        pid, step = r.get("prospect_id"), r.get("step")
        if pid not in by_id:
            err(f"references: unknown prospect {pid}")
            continue
        if step in per[pid]:
            err(f"references {pid}: duplicate step {step}")
        per[pid][step] = r
    competitors = [c.lower() for c in sender.get("competitors", [])]
    addr_bits = [b.strip().lower() for b in sender.get("postal_address", "").split(",") if len(b.strip()) > 4]
    addr_bits = [b for b in addr_bits if b != sender.get("company", "").lower()]
    unsub_text = sender.get("unsubscribe", {}).get("text", "").lower()

    for pid in expected_ids:
        steps = per.get(pid, {})
        if sorted(steps) != [1, 2, 3, 4]:
            err(f"references {pid}: steps {sorted(steps)}, expected 1-4")
            continue
        p = by_id[pid]
        n = notes_by.get(pid, {})
        traps = n.get("traps", {})
        facts = {f["id"]: f for f in p.get("facts", [])}
        usable = [f for fid, f in facts.items() if fid not in traps]
        # numbers: proof points + usable facts, minus any number a disagreeing-numbers trap points at
        partner_nums = set()
        for fid, why in traps.items():
            if why.startswith("disagreeing numbers"):
                partner_nums |= numbers(facts.get(fid, {}).get("text", ""))
                for other in re.findall(r"\bf\d+\b", why):
                    if other in facts and other != fid:
                        partner_nums |= numbers(facts[other]["text"])
        allowed_nums = set(pp_numbers)
        for f in usable:
            allowed_nums |= numbers(f["text"])
        allowed_nums -= (partner_nums - pp_numbers)
        profile_words = set()
        for k in ["first_name", "last_name", "company", "title", "industry", "company_domain"]:
            profile_words |= set(words(str(p.get(k, ""))))
        usable_words = set()
        for f in usable:
            usable_words |= set(words(f["text"]))

        for step, r in steps.items():
            body = r.get("body", "")
            where = f"references {pid} step {step}"
            if step == 3:
                if r.get("channel") != "linkedin_connect":
                    err(f"{where}: channel {r.get('channel')}")
                if len(body) >= max_chars:
                    err(f"{where}: {len(body)} chars (limit {max_chars})")
                if r.get("subject"):
                    err(f"{where}: LinkedIn note has a subject")
            else:
                if r.get("channel") != "email":
                    err(f"{where}: channel {r.get('channel')}")
                wc = len(body.split())
                if wc >= max_words:
                    err(f"{where}: {wc} words (limit {max_words})")
                if not r.get("subject", "").strip():
                    err(f"{where}: empty subject")
            if not body.rstrip().endswith(first_name):
                err(f"{where}: does not sign off with {first_name}")
            low = body.lower()
            for c in competitors:
                if c in low:
                    err(f"{where}: names competitor {c}")
            for b in addr_bits:
                if b in low:
                    err(f"{where}: contains postal address part '{b}'")
            if "unsubscribe" in low or (unsub_text and unsub_text in low):
                err(f"{where}: unsubscribe footer")
            urls = URL_RE.findall(body)
            for u in urls:
                if u.rstrip(".,;:") not in allowed_urls:
                    err(f"{where}: link not allowed: {u}")
            if step == 4 and sender.get("meeting_link") not in body:
                err(f"{where}: step 4 lacks the meeting link")
            if step in (1, 2) and sender.get("meeting_link") in body:
                pass
            bad_nums = numbers(body) - allowed_nums
            if bad_nums:
                err(f"{where}: numbers not from proof points or usable facts: {sorted(bad_nums)}")
            # traps
            body_words = words(URL_RE.sub(" ", body))
            body_set = set(body_words)
            body_trigrams = {tuple(body_words[i:i + 3]) for i in range(len(body_words) - 2)}
            for fid, why in traps.items():
                t = facts.get(fid, {}).get("text", "")
                tw = words(t)
                leak_nums = (numbers(t) & numbers(body)) - pp_numbers
                if leak_nums:
                    err(f"{where}: trap {fid} number(s) {sorted(leak_nums)} appear")
                distinct = {w for w in tw if len(w) >= 5 and not w.isdigit()} \
                    - profile_words - usable_words - sender_words - STOP
                hit = distinct & body_set
                if hit:
                    err(f"{where}: trap {fid} word(s) {sorted(hit)} appear")
                for i in range(len(tw) - 2):
                    tri = tuple(tw[i:i + 3])
                    if all(w in profile_words or w in sender_words or w in usable_words for w in tri):
                        continue
                    if tri in body_trigrams:
                        err(f"{where}: trap {fid} phrase '{' '.join(tri)}' appears")
        s1, s2 = steps[1].get("subject", ""), steps[2].get("subject", "")
        if s2 != "Re: " + s1:
            err(f"references {pid}: step 2 subject '{s2}' is not 'Re: ' + step 1 subject")
        if steps[4].get("subject", "") in (s1, s2):
            err(f"references {pid}: step 4 reuses the thread subject")
        # LinkedIn note should not repeat the emails: no 6-word run shared with any email
        li_words = words(steps[3].get("body", ""))
        li_runs = {tuple(li_words[i:i + 6]) for i in range(len(li_words) - 5)}
        for st in (1, 2, 4):
            ew = words(steps[st].get("body", ""))
            e_runs = {tuple(ew[i:i + 6]) for i in range(len(ew) - 5)}
            if li_runs & e_runs:
                err(f"references {pid}: LinkedIn note repeats text of step {st}")
    if len(refs) != 64:
        err(f"references.jsonl: {len(refs)} lines, expected 64")

    # ---------------- WRITER.md
    if not (HERE / "WRITER.md").is_file():
        err("WRITER.md missing at the top of the folder")

    print(f"languages: {dict(sorted(langs.items()))}")
    print(f"traps: {total_traps} {dict(trap_kinds)}; sensitive-dominated prospects: {sensitive_dominated}")
    return report()


def report():
    if errors:
        print(f"FAIL: {len(errors)} problem(s)")
        for e in errors:
            print(" -", e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
