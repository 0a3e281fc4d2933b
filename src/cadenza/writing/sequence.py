"""The four touches planned as one sequence, so that each step has its own job.

The opener leads with the best hook and the value proposition it connects to; the follow-up
adds a proof point (and a second fact, when there is one) instead of repeating the opener;
the LinkedIn note refers to the hook in other words; the last email takes a different value
proposition, a different proof point and the meeting link. Every touch is drafted on its own
(a touch graph runs one step at a time), so the plan is a pure function of the prospect, the
sender, the day and the language: each step computes the same plan and takes its part.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile
from cadenza.writing.facts import FactScreen
from cadenza.writing.hooks import Hook, build_hooks
from cadenza.writing.sender_copy import ProofParts, SenderCopy, ValueParts, stems


@dataclass(frozen=True)
class Plan:
    """Who says what in which step."""

    lead: Hook | None          # the opener's hook
    second: Hook | None        # a second, different fact for the follow-up or last email
    value_lead: ValueParts | None
    value_last: ValueParts | None
    value_other: ValueParts | None
    proof_follow: ProofParts | None
    proof_last: ProofParts | None
    seed: int                  # picks phrasings; differs per prospect, moves per revision

    def pick(self, slot: str, n: int) -> int:
        """A stable phrasing index in ``range(n)`` for one slot of one step."""
        digest = hashlib.sha256(f"{self.seed}:{slot}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % max(1, n)


def seed_for(prospect_id: str, attempt: int = 0) -> int:
    """The prospect's phrasing seed; a revision moves it, so the draft changes."""
    digest = hashlib.sha256(prospect_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") + 7919 * attempt


def plan_sequence(prospect: ProspectIn, sender: SenderProfile, copy: SenderCopy, *,
                  today: dt.date, language: str, values: tuple[ValueParts, ...],
                  proofs: tuple[ProofParts, ...], attempt: int = 0,
                  screen: FactScreen | None = None) -> Plan:
    """The plan for ``prospect``'s sequence in ``language`` (``values``/``proofs``: the sender's
    copy in that language). From the third attempt on, no fact is used (a draft that failed
    twice with its facts is written from the role and company alone)."""
    # what is said stays the same across revisions (the other steps were planned with it);
    # a revision changes the phrasing, and from the third attempt drops the facts
    hooks = build_hooks(prospect, sender, copy, today=today, language=language,
                        screen=screen)
    lead = hooks[0] if hooks else None
    # a second fact earns its place in the follow-up when it is about the same work (it
    # fits a value proposition, backs a proof point, or is a situation that bears on it)
    # (a tool list is not one: "I also noticed your team runs …" read as surveillance)
    worth = [h for h in hooks[1:] if h.parts.event != "stack" and (
        h.fit > 0 or h.proof_id or h.parts.event in ("hiring", "site", "pain", "post", "role"))]
    second = next((h for h in worth if lead is None or h.parts.event != lead.parts.event),
                  worth[0] if worth else None)
    seed = seed_for(prospect.id)
    by_id = {v.id: v for v in values}
    if lead is not None and lead.value_id in by_id and lead.fit > 0:
        value_lead: ValueParts | None = by_id[lead.value_id]
    else:
        value_lead = values[seed % len(values)] if values else None
    rest = [v for v in values if v is not value_lead]
    value_last = _best(rest, second.words if second else frozenset(), prefer_label=True)
    value_other = next((v for v in rest if v is not value_last), value_last or value_lead)
    lead_words = (lead.words if lead else frozenset()) | (value_lead.words if value_lead
                                                          else frozenset())
    fitting, closest = fitting_proofs(proofs, prospect, copy)
    proof_follow = _proof(fitting, lead.proof_id if lead else None, lead_words, seed,
                          closest)
    others = [p for p in fitting if p is not proof_follow]
    closest_left = closest - (1 if proof_follow in fitting[:closest] else 0)
    if closest_left == 0 and closest < len(fitting):
        # the proof points that fit the prospect best are said; one about another trade (a
        # student-housing quote to a hospital group, rounds 10–11) reads worse than none,
        # one that shares a word of the prospect's trade still fits
        trade = trade_words(prospect)
        others = [p for p in others if proof_fit(p, trade) > 0]
    last_words = value_last.words if value_last else frozenset()
    proof_last = _proof(tuple(others), second.proof_id if second else None, last_words,
                        seed // 7, closest_left or len(others)) if others else None
    if value_last is not None and proof_last is not None \
            and not value_last.words & proof_last.words:
        # a claim beside a result about something else reads as a non sequitur ("fewer
        # stoppages … Aldana Foods reduced spare-parts stock"): take the claim the result
        # is about, when there is one not said yet
        about = [v for v in rest if v.words & proof_last.words]
        if about:
            value_last = max(about, key=lambda v: len(v.words & proof_last.words))
            value_other = next((v for v in rest if v is not value_last),
                               value_last or value_lead)
    if attempt >= 2:
        lead = second = None
    return Plan(lead=lead, second=second, value_lead=value_lead,
                value_last=value_last or value_lead, value_other=value_other,
                proof_follow=proof_follow, proof_last=proof_last,
                seed=seed_for(prospect.id, attempt))


def fitting_proofs(proofs: tuple[ProofParts, ...], prospect: ProspectIn,
                   copy: SenderCopy) -> tuple[tuple[ProofParts, ...], int]:
    """The proof points that fit ``prospect``, closest first, and how many are closest.

    One that names tools the prospect does not run ("live on Salesforce and NetSuite" to a
    team on HubSpot and Fortnox) is left out when the prospect's tools are known; the rest
    are ordered by the words their customer and text share with the prospect's industry and
    title (a care-home proof for an elderly-care group before a hospital's). Reviewers rated
    a mismatched proof point worse than none."""
    known = " ".join(f.text for f in prospect.facts if f.kind == "tech_stack").lower()
    everything = " ".join(f.text for f in prospect.facts).lower()
    own = {w.lower() for w in re.findall(r"[\w'’&.-]+", f"{copy.product} {copy.company}")}
    kept = []
    for proof in proofs:
        tools = {w for w in re.findall(r"\b[A-Z][\w]*[A-Z]?[\w]*\b", proof.sentence)
                 if w.lower() not in own and w not in proof.customer
                 and not proof.sentence.startswith(w)}
        if known and tools and not any(t.lower() in everything for t in tools):
            continue
        kept.append(proof)
    trade = trade_words(prospect)
    fit = {p.id: proof_fit(p, trade) for p in kept}
    best = max(fit.values(), default=0)
    closest = [p for p in kept if fit[p.id] == best]
    return tuple(closest + [p for p in kept if fit[p.id] != best]), len(closest)


def trade_words(prospect: ProspectIn) -> frozenset[str]:
    """The stems of the prospect's industry and title (the company's name is left out:
    "Lumora Software" says nothing of its trade)."""
    return stems(" ".join(filter(None, (prospect.industry, prospect.title))))


def proof_fit(proof: ProofParts, trade: frozenset[str]) -> int:
    """How many words a proof point's customer and sentence share with ``trade``
    (:func:`trade_words`)."""
    return len(stems(f"{proof.customer} {proof.sentence}") & trade)


def _best(values: list[ValueParts], words: frozenset[str], *,
          prefer_label: bool) -> ValueParts | None:
    if not values:
        return None
    return max(values, key=lambda v: (len(v.words & words),
                                      prefer_label and v.label is not None,
                                      -values.index(v)))


def _proof(proofs: tuple[ProofParts, ...], wanted: str | None, words: frozenset[str],
           seed: int, closest: int) -> ProofParts | None:
    """The proof point the fact asks for, else the one sharing two words with it, else one
    of the ``closest`` first (the ones that fit the prospect best), chosen by the seed."""
    if not proofs:
        return None
    for proof in proofs:
        if proof.id == wanted:
            return proof
    ranked = sorted(proofs, key=lambda p: -len(p.words & words))
    if len(ranked[0].words & words) >= 2:
        return ranked[0]
    return proofs[seed % max(1, min(closest, len(proofs)))]
