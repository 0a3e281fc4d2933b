"""What a draft template is given: the step's part of the plan, as plain values.

The templates in ``prompts/drafts/<language>/`` own the wording; this module owns what is
true and safe to say: cleaned prospect fields, the hooks this step may mention (and only
those, so that ``fact_ids`` list exactly what the draft uses), the sender's copy in the
draft's language, and ``pick``, the phrasing chooser that keeps fifty drafts from reading like
one mail merge while each prospect's four touches never share a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.fact_parts import CONGRATS, about
from cadenza.writing.fields import safe_field
from cadenza.writing.hooks import Hook
from cadenza.writing.names import display_first_name, fix_field_case, formal_name
from cadenza.writing.polish import polish_address
from cadenza.writing.safety import clean_line
from cadenza.writing.sender_copy import ProofParts, SenderCopy, ValueParts
from cadenza.writing.sequence import Plan

#: Which of the plan's hooks each template may mention.
HOOKS_BY_TEMPLATE: dict[str, tuple[str, ...]] = {
    "email_opener": ("lead",), "email_followup": ("second",),
    "linkedin_connect": ("lead",), "email_value": (), "email_breakup": (),
    "linkedin_message": ("lead",),
}


def hook_data(hook: Hook | None) -> dict[str, Any] | None:
    """A hook as the template reads it."""
    if hook is None:
        return None
    p = hook.parts
    tools = list(p.tools)
    return {
        "id": hook.fact_id, "event": p.event, "native": hook.native, "recent": hook.recent,
        "proof": hook.proof_id, "fit": hook.fit,
        # the prospect's own words (a post, something they said), not news about them
        "own": bool(p.said or p.venue or p.event == "post") and p.event in ("pain", "post"),
        "topic": p.topic, "about": about(p.topic) if p.topic else None,
        "said": p.said, "said_words": len((p.said or "").split()),
        "venue": p.venue, "what": p.what, "gerund": p.gerund,
        "congrats": p.gerund in CONGRATS or p.gerund == "being named",
        "place": p.place, "place_after": p.place_after, "role": p.role, "amount": p.amount,
        "round": p.round,
        "purpose": p.purpose, "title": p.title, "clause": p.clause, "quote": p.quote,
        "tools": (", ".join(tools[:-1]) + " and " + tools[-1]) if len(tools) > 1
        else (tools[0] if tools else None),
    }


def value_data(value: ValueParts | None) -> dict[str, Any] | None:
    if value is None:
        return None
    label = value.label
    return {"id": value.id, "form": value.form, "body": value.body, "core": value.core,
            "label": label, "topic": value.topic,
            "benefit": value.benefit, "outcome": value.outcome, "problem": value.problem,
            "plural": bool(label) and (label or "").split()[-1].endswith("s")}


def proof_data(proof: ProofParts | None, product: str) -> dict[str, Any] | None:
    """A proof point as the template reads it; ``with_product`` names the product before
    any trailing clause ("… in 5 weeks with DockPilot, integrated with Manhattan WMS.")."""
    if proof is None:
        return None
    bare = proof.sentence.rstrip(".")
    head, comma, tail = bare.partition(", ")
    # a sentence that already names the product or its maker ("… in its first year on
    # Clausewell") is not given the product a second time
    named = product in bare or product.split(" ", 1)[0] in bare.split()
    quoted = "“" in bare or '"' in bare  # a customer's own words are not added to
    with_product = f"{head} with {product}{comma}{tail}." if not (named or quoted) else None
    helped = (f"{product} helped {proof.customer} {proof.base_change}."
              if proof.base_change and not named else None)
    return {"id": proof.id, "customer": proof.customer, "sentence": proof.sentence,
            "with_product": with_product, "helped": helped}


def build_context(*, prospect: ProspectIn, sender: SenderProfile, copy: SenderCopy,
                  plan: Plan, template: str, step: int, language: str, fallback_from: str,
                  previous_subject: str | None, emailed: bool,
                  planned: str | None = None,
                  used_fact_ids: frozenset[str] = frozenset(),
                  mailed_fact_ids: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The variables every draft template gets (``None`` where a value is unusable).

    ``planned``: the step's own template when the touch is written as an opener instead
    (nothing was emailed yet); it keeps that step's angle, its value proposition and its
    phrasings, so that a held sequence does not read as one email three times.

    ``used_fact_ids``: the facts the prospect's earlier touches used. A LinkedIn note whose
    hook an earlier touch already made takes the plan's other fact instead (the note says
    something new); only when there is none, and the fact is in ``mailed_fact_ids`` (emails
    the prospect was sent), does it say it wrote about that fact — never about a post no
    email mentioned (a reviewer read "my mail was about your post" after emails that named
    no post)."""
    raw_company = safe_field(prospect.company, max_len=60)
    company = fix_field_case(raw_company) if raw_company else None
    short = _short_company(company)
    title = safe_field(prospect.title, max_len=50)
    if title and title.isupper():
        title = fix_field_case(title)
    industry = safe_field(prospect.industry, max_len=40)
    if industry:
        # "energy (hydropower)" is a field as a database holds it, not as anyone says it
        industry = re.sub(r"\s*\([^)]*\)", "", industry).strip() or None
    hooks = {"lead": plan.lead, "second": plan.second}
    value = plan.value_lead
    as_first = planned is not None and planned != template and template == "email_opener"
    if as_first and planned == "email_followup":
        hooks["lead"] = plan.second or plan.lead
        value = plan.value_other or value
    elif as_first:
        hooks["lead"] = None  # the last email's angle is its own claim, not the best hook
        value = plan.value_last or value
    if template.startswith("linkedin") and hooks["lead"] is not None \
            and hooks["lead"].fact_id in used_fact_ids and plan.second is not None \
            and plan.second.fact_id not in used_fact_ids:
        hooks["lead"] = plan.second
    allowed = HOOKS_BY_TEMPLATE.get(template, ())
    lead = hook_data(hooks["lead"]) if "lead" in allowed else None
    if lead is not None:
        lead["mailed"] = lead["id"] in mailed_fact_ids
    second = hook_data(hooks["second"]) if "second" in allowed else None
    if template == "linkedin_connect" and lead is None:
        second = None
    pick = _picker(plan, planned if as_first and planned else template)
    sender_company = _short_company(copy.company, keep_group=True) or copy.company
    return {
        "name": display_first_name(prospect),
        "formal_name": formal_name(prospect),
        # Polish "you": "Pani Agnieszko" and its cases, or the plural "Państwo"
        "pl": polish_address(prospect) if language == "pl" else None,
        "company": company, "company_short": short, "title": title,
        "industry": " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower()
                            for w in industry.split()) if industry else None,
        "product": copy.product,
        "sender_company": sender_company,
        # "Quillmark" sold by "Quillmark": named once ("I work at Quillmark."), in any language
        "product_is_company": (copy.product.lower() in sender_company.lower()
                               or sender_company.lower() in copy.product.lower()),
        "sender_first": clean_line(sender.sender.first_name),
        "category": copy.category, "audience": copy.audience, "summary": copy.summary,
        # the proof points' customers, the one part of them that needs no translation
        # — different ones in each email where there are enough ("the same two customer names
        # on every touch", rounds 6–8)
        "customers": _customers_for(copy, step)[:2],
        "lead": lead, "second": second,
        "value": value_data(value), "value_last": value_data(plan.value_last),
        "value_other": value_data(plan.value_other),
        "proof": proof_data(plan.proof_follow, copy.product),
        "proof_last": proof_data(plan.proof_last, copy.product),
        # whether the last email's result is about its claim: only then "For example, …"
        "proof_last_fits": bool(plan.proof_last and plan.value_last
                                and plan.proof_last.words & plan.value_last.words),
        "meeting_link": sender.meeting_link.strip(),
        "previous_subject": clean_line(previous_subject), "emailed": emailed, "step": step,
        "fallback_from": fallback_from, "pick": pick,
    }


#: Where in the list of customers each step starts: the opener names the first two, the
#: follow-up the next ones, the last email one more.
_CUSTOMER_OFFSET = {1: 0, 2: 2, 3: 0, 4: 4}


def _customers_for(copy: SenderCopy, step: int) -> list[str]:
    """The proof points' customers (each once), rotated so that each step names others."""
    names = list(dict.fromkeys(p.customer for p in copy.proofs if p.customer))
    if len(names) < 3:
        return names
    start = _CUSTOMER_OFFSET.get(step, 0) % len(names)
    return names[start:] + names[:start]


def used_fact_ids(ctx: dict[str, Any]) -> list[str]:
    """The ids of the facts a rendered context let the template mention."""
    return [h["id"] for h in (ctx["lead"], ctx["second"]) if h]


def used_proof_ids(ctx: dict[str, Any], text: str) -> list[str]:
    """The proof points whose sentence made it into ``text``."""
    return [p["id"] for p in (ctx["proof"], ctx["proof_last"])
            if p and p["customer"] and p["customer"] in text]


def _short_company(company: str | None, *, keep_group: bool = False) -> str | None:
    """"Kallby Logistik AB" → "Kallby Logistik"; a name as people say it in a sentence."""
    if not company:
        return None
    words = company.split()
    suffixes = _SUFFIXES - {"group", "export"} if keep_group else _SUFFIXES
    while len(words) > 1 and words[-1].rstrip(".,").lower() in suffixes:
        words.pop()
    short = " ".join(words).rstrip(",")
    return short if len(short) <= 32 else None


_SUFFIXES = frozenset({"ab", "ag", "gmbh", "inc", "ltd", "llc", "plc", "co", "corp", "sa",
                       "s.a", "sl", "s.l", "srl", "spa", "s.p.a", "bv", "b.v", "nv", "n.v",
                       "as", "asa", "oy", "sas", "sarl", "limited", "o.o", "z", "sp",
                       "group", "export"})


def _picker(plan: Plan, template: str) -> Callable[[str, int], int]:
    def pick(slot: str, n: int) -> int:
        return plan.pick(f"{template}:{slot}", n)
    return pick
