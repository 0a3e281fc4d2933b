"""Polish address: "Pani Agnieszko", "Panie Tomaszu", and the forms of "you" that go with them.

Polish business mail greets with "Dzień dobry Pani Agnieszko," — "Pani"/"Pan" and the first
name in the vocative. The record gives no gender, but a Polish first name ending in -a is a
woman's (with a handful of exceptions), and the vocative of common first names follows their
ending. A name whose vocative these rules do not know gets "Dzień dobry," and the plural
"Państwo", which is correct for anyone: a wrong case of someone's name is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.prospects import ProspectIn
from cadenza.writing.names import display_first_name

#: Men's names ending in -a.
_MALE_A = frozenset({"kuba", "barnaba", "bonawentura", "kosma", "jarema", "zawisza"})
#: Irregular vocatives.
_IRREGULAR = {"paweł": "Pawle", "ola": "Olu", "ela": "Elu", "kuba": "Kubo"}
_SOFT_DIMINUTIVE = ("sia", "zia", "cia", "nia", "dzia")


@dataclass(frozen=True)
class PolishAddress:
    """How a Polish draft says "you" to one prospect; ``vocative`` is ``None`` when unknown."""

    vocative: str | None   # "Pani Agnieszko" / "Panie Tomaszu"
    nom: str               # Pani / Pan / Państwo
    gen: str               # Pani / Pana / Państwa ("Pani wpis", "dla Pana")
    dat: str               # Pani / Panu / Państwu ("przesłać Panu")


_PLURAL = PolishAddress(None, "Państwo", "Państwa", "Państwu")


def _male_vocative(name: str) -> str | None:
    low = name.lower()
    if low.endswith(("i", "y")):
        return name  # Jerzy, Antoni
    if low.endswith("ek") and len(low) > 3:
        return name[:-2] + "ku"  # Marek → Marku, Jacek → Jacku
    if low.endswith(("sz", "cz", "rz", "ż", "j", "ch", "k", "g", "h", "l")):
        return name + "u"  # Tomasz → Tomaszu, Andrzej → Andrzeju, Kamil → Kamilu
    if low.endswith("ł"):
        return name[:-1] + "le"  # Michał → Michale
    if low.endswith("r"):
        return name + "ze"  # Piotr → Piotrze
    if low.endswith("t"):
        return name[:-1] + "cie"  # Robert → Robercie
    if low.endswith("d"):
        return name + "zie"  # Dawid → Dawidzie
    if low.endswith(("n", "m", "b", "p", "f", "w")):
        return name + "ie"  # Jan → Janie, Jakub → Jakubie, Stanisław → Stanisławie
    return None


def polish_address(prospect: ProspectIn) -> PolishAddress:
    """The prospect's Polish address: by name when its gender and vocative are known."""
    name = display_first_name(prospect)
    if not name or " " in name or "-" in name or not name.isalpha() or len(name) < 3:
        return _PLURAL
    low = name.lower()
    if low in _IRREGULAR:
        voc = _IRREGULAR[low]
        female = low.endswith("a") and low not in _MALE_A
    elif low.endswith("a") and low not in _MALE_A:
        female = True
        voc = name[:-1] + ("u" if low.endswith(_SOFT_DIMINUTIVE) else "o")
    elif low.endswith("a"):
        female, voc = False, name[:-1] + "o"
    else:
        female = False
        found = _male_vocative(name)
        if found is None:
            return _PLURAL
        voc = found
    if female:
        return PolishAddress(f"Pani {voc}", "Pani", "Pani", "Pani")
    return PolishAddress(f"Panie {voc}", "Pan", "Pana", "Panu")
