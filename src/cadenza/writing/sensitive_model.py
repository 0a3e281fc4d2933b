"""A second reader for sensitive facts: a small model over word and letter features.

The word lists of :mod:`cadenza.writing.sensitive` name what reviewers and writers have shown
us; each new writer words a father's death, a return from chemotherapy or paternity leave in a
way no list had ("sovnet stille inn", "my caregiver leave ends Monday"). This model was
trained on facts written by independent writers in eleven languages, labelled sensitive or
work, and measured on a writer it never saw (``corpus/facts``,
:mod:`cadenza.evals.train_sensitive`).
A fact is screened when the lists *or* the model say so: the model only ever adds caution.

Features are the folded words of the text and the four-letter pieces of its longer words
(" chemo", "krebs", "begrav"), so an inflection or a compound the writers never used still
shares pieces with one they did. The weights ship as JSON in the package; scikit-learn is
needed only to train them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cadenza.writing.language import detect_language, unaccented_lower

MODEL_PATH = Path(__file__).with_name("models") / "sensitive_facts.json"
#: The fact kinds the model reads. The independent writers' sensitive facts were posts, news
#: and role changes (422 of 426); a job ad, a tool list, a launch, a round or a stated work
#: problem read by the model only lost hooks ("… covering open shifts is the hardest part of
#: her week"). The word lists still read every kind.
MODEL_KINDS = frozenset({"post", "news", "role_change"})
#: The fewest words of a fact the model reads: in a headline of eight words one word of a
#: place or a name ("… dock doors in Leeds") outweighs the rest, and a sensitive headline
#: names its topic in words the lists know ("40 redundancies", "dies at 71").
MODEL_MIN_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+")
#: From this probability on, the model's reading holds on its own. Below it, and over the
#: threshold, it holds only for a fact told in the first person singular or about one's
#: family (:func:`first_person`): private life is told that way ("my father", "I'm off for six
#: weeks"), work in "we" or the company's name. Out of writer, the model had screened 13 of the
#: writers' 221 best hooks ("Drukke week: drie keer een staander geraakt in gang C", "Third
#: belt rip this year … a splice we'd checked the week before"); with this gate (and the lower
#: threshold the work budget then allows) 7, recall 0.880 → 0.885, work facts screened 8.7 →
#: 6.7 %; on the held-out writer recall 0.909 → 0.894, work screened 12.6 → 10.1 %
#: (``corpus/facts/report.json``). Job cuts, insolvencies and candidacies told of others are
#: the word lists' to catch.
SURE = 0.8
#: (Words that are another word in another of the eleven languages are left out: "i" is "in"
#: in the Nordic languages, "ja" is "yes", "je" Dutch "you", "mes" Spanish "month", "ma"
#: Italian "but"; the English "I" counts only as a capital.)
_FIRST_PERSON = re.compile(
    r"(?<!\w)I(?:'m|’m|'ve|’ve|'d|’d|'ll|’ll)?(?!\w)|"
    r"(?i:(?<!\w)(?:me|my|myself|ich|mich|mir|mein\w*|j'|j’|"
    r"moi|mon|yo|mí|mi|mis|meu|minha|meus|minhas|ik|mij|mijn|io|mio|mia|miei|mie|"
    r"mnie|mój|moja|moje|mojego|mojej|mojemu|jag|mig|min|mitt|mina|jeg|meg|mine)(?!\w)"
    r"|(?:father|mother|\bdad\b|\bmum\b|\bmom\b|\bwife|husband|\bson\b|daughter|\bkids?\b|"
    r"\bchild|family|vater|mutter|familie|père|mère|famille|padre|madre|familia|\bpai\b|mãe|"
    r"família|vader|moeder|gezin|famiglia|ojciec|matka|rodzin|\btat[aęy]\b|pappa|mamma|familj|"
    r"\bfar\b|\bmor\b|\bbarn\b))")


def first_person(text: str) -> bool:
    """Whether ``text`` is told in the first person singular or about one's family."""
    return _FIRST_PERSON.search(text) is not None


def reading_counts(text: str, probability: float) -> bool:
    """Whether the model's reading may screen ``text`` at all: from :data:`SURE` on, or for a
    fact told in the first person or about one's family. The trainer chooses the threshold on
    the readings that count, so both decide alike."""
    return probability >= SURE or first_person(text)


def fold(text: str) -> str:
    """Lower case without accents ("Beerdigung", "begravelse", "fallecimiento" as typed)."""
    return unaccented_lower(text)


def _common_words(text: str) -> list[str]:
    """The words of ``text`` but the names: a capitalised word inside a sentence ("Leeds",
    "Tidewater") is a place, a company or a person, and the model learnt writers' towns from
    them. German capitalises its nouns, so a German text keeps them all."""
    if detect_language(text) == "de":
        return _WORD.findall(text)
    words = []
    for m in _WORD.finditer(text):
        before = text[:m.start()].rstrip()
        initial = not before or before[-1] in ".!?:;\"“„«»(–—-\n"
        if initial or not m.group(0)[:1].isupper():
            words.append(m.group(0))
    return words


def fact_features(text: str) -> frozenset[str]:
    """The model's features of one fact's text: ``w:<word>`` and ``c:<4 letters>``."""
    feats: set[str] = set()
    for word in (fold(w) for w in _common_words(text)):
        if len(word) >= 4:  # "que", "a", "i", "in" say how long a text is, not what about
            feats.add(f"w:{word}")
        if len(word) >= 5:
            padded = f" {word} "
            feats.update(f"c:{padded[i:i + 4]}" for i in range(len(padded) - 3))
    return frozenset(feats)


@dataclass
class SensitiveModel:
    """Logistic weights per feature, a bias, and the probability over which a fact counts as
    sensitive (chosen out of writer on the training writers)."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    version: str = ""

    def probability(self, text: str) -> float:
        feats = fact_features(text)
        # each feature weighs 1/sqrt(n), as in training: a long post is not more sensitive
        # for having more words
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        score = self.bias + scale * sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, score))))

    def is_sensitive(self, text: str) -> bool:
        """At or over the threshold, where the reading counts (:func:`reading_counts`); a
        threshold of 1.0 means never (no threshold kept the training's budget of work facts
        screened)."""
        return self.screens(text, self.probability(text))

    def screens(self, text: str, probability: float) -> bool:
        """Whether a fact read at ``probability`` is screened (see :meth:`is_sensitive`)."""
        return self.threshold < 1.0 and probability >= self.threshold \
            and reading_counts(text, probability)

    def to_json(self) -> dict[str, object]:
        return {"version": self.version, "threshold": self.threshold, "bias": self.bias,
                "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SensitiveModel:
        weights = data.get("weights", {})
        if not isinstance(weights, dict):
            raise ValueError("sensitive model: 'weights' must be an object")
        return cls(weights={str(k): float(v) for k, v in weights.items()},
                   bias=float(str(data.get("bias", 0.0))),
                   threshold=float(str(data.get("threshold", 0.5))),
                   version=str(data.get("version", "")))


def save_model(model: SensitiveModel, path: Path = MODEL_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0) + "\n",
                    encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_model() -> SensitiveModel | None:
    """The model in the package, or ``None`` when none ships (the word lists still screen)."""
    if not MODEL_PATH.exists():
        return None
    return SensitiveModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


@lru_cache(maxsize=4096)
def model_says_sensitive(text: str, kind: str) -> bool:
    """Whether the shipped model reads ``text``, a fact of ``kind``, as a sensitive or private
    fact (never for a kind outside :data:`MODEL_KINDS` or a text under
    :data:`MODEL_MIN_WORDS` words)."""
    model = shipped_model()
    return model is not None and reads(kind, text) and model.is_sensitive(text)


def reads(kind: str, text: str) -> bool:
    """Whether the model reads a fact of ``kind`` with ``text`` at all."""
    return kind in MODEL_KINDS and len(text.split()) >= MODEL_MIN_WORDS
