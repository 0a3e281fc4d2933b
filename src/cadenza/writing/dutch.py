"""The Dutch templates' "je" said as "u" when the sender's own Dutch copy says "u".

The Dutch templates address the reader as "je"; a sender whose localized copy says "uw
bezoekers", "uw team" then puts both registers in one email, which a round-3 reviewer
marked down ("je/u mixed"). The sender's register wins: the templates' phrases are rewritten
to "u" with the verb forms that go with it ("Heeft u", "kunt u", "vindt u").
"""

from __future__ import annotations

import re

from cadenza.writing.sender_copy import SenderCopy

_U = re.compile(r"(?i)(?<!\w)(?:u|uw|uwe)(?!\w)")

#: (pattern, replacement) for every "je" phrase of ``prompts/drafts/nl``; longest first.
_FORMAL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl) for pattern, repl in (
        (r"\bHeb je\b", "Heeft u"),
        (r"\bkun je\b", "kunt u"),
        (r"\bvind je\b", "vindt u"),
        (r"\bJe bericht\b", "Uw bericht"),
        (r"\bje bericht\b", "uw bericht"),
        (r"\bJe uitspraak\b", "Uw uitspraak"),
        (r"\bje uitspraak\b", "uw uitspraak"),
        (r"\bje nieuwe\b", "uw nieuwe"),
        (r"\bje inbox\b", "uw inbox"),
        (r"\bhet jouwe\b", "het uwe"),
        (r"\bjouw\b", "uw"),
        (r"\b(ik|me met|van|bij) je\b", r"\1 u"),
        (r"\blaat je\b", "laat u"),
    ))


def formal(text: str) -> str:
    """``text`` with the templates' "je" phrases in the "u" register."""
    for pattern, repl in _FORMAL:
        text = pattern.sub(repl, text)
    return text


def sender_says_u(copy: SenderCopy) -> bool:
    """Whether the sender's Dutch copy addresses the reader as "u"."""
    texts = [v.body for v in copy.localized_values.get("nl", ())]
    texts += [p.sentence for p in copy.localized_proofs.get("nl", ())]
    texts.append(copy.localized_description.get("nl", ""))
    return any(_U.search(t) for t in texts)
