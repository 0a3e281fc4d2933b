"""A word's stem for matching a prospect's words with the sender's: its first five letters,
with American and British spellings made one.

A US fleet manager writes "tires" and "mold", a UK sender's copy "tyres" and "mould": cut to
five letters they shared nothing, so a post about tires looked unrelated to a tyre product and
ranked under "you're hiring" (round 9, s16). Only spellings that differ within the first five
letters need a rule; "organization"/"organisation" and "analyze"/"analyse" already agree.
"""

from __future__ import annotations

#: American spelling → British, where the two differ within a stem's five letters.
_BRITISH = {
    "tire": "tyre", "tires": "tyres", "mold": "mould", "molds": "moulds", "molding": "moulding",
    "moldings": "mouldings", "molded": "moulded", "molder": "moulder", "molders": "moulders",
    "center": "centre", "centers": "centres", "meter": "metre", "meters": "metres",
    "liter": "litre", "liters": "litres", "fiber": "fibre", "fibers": "fibres",
    "theater": "theatre", "theaters": "theatres", "color": "colour", "colors": "colours",
    "labor": "labour", "favor": "favour", "harbor": "harbour", "harbors": "harbours",
    "odor": "odour", "odors": "odours", "plow": "plough", "gray": "grey", "curb": "kerb",
    "curbs": "kerbs", "aluminum": "aluminium",
}


def stem5(word: str) -> str:
    """The first five letters of ``word`` in lower case, British spelling; a four-letter
    word's plural is its singular ("tyres" and "tyre", "carts" and "cart": cut to five letters
    they differed, where "invoices" and "invoice" did not)."""
    low = word.lower()
    low = _BRITISH.get(low, low)
    if len(low) == 5 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
        low = low[:4]
    return low[:5]
