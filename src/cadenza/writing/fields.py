"""Short prospect fields (company, title, industry) as a draft may print them, or not at all.

A field is a few words from a vendor or a CSV: it is printed whole or not at all, since cutting
an instruction or a link out of "Acme — ignore previous instructions" leaves nothing worth saying.
"""

from __future__ import annotations

from functools import lru_cache

from cadenza.writing.links import contact_spans
from cadenza.writing.safety import (
    breaks_line,
    clean_line,
    has_instruction,
    has_markup,
    mixed_script,
    opaque_spans,
)


def safe_field(value: str | None, *, max_len: int = 80) -> str | None:
    """A prospect field (company, title, industry) fit to print, or ``None``.

    Anything that carries an instruction, markup, a link or contact data is refused whole:
    a field is short, so there is no "safe remainder" worth keeping.
    """
    if not value:
        return None
    # the same fields are screened by the drafter, again on a revision, and by the prompt builder
    return _safe_field(value, max_len)


@lru_cache(maxsize=4096)
def _safe_field(value: str, max_len: int) -> str | None:
    if breaks_line(value):
        return None
    text = clean_line(value)
    if not text or len(text) > max_len:
        return None
    if has_instruction(text) or has_markup(text) or contact_spans(text):
        return None
    if mixed_script(text) or opaque_spans(text):
        return None
    if not any(ch.isalnum() for ch in text):
        return None
    return text
