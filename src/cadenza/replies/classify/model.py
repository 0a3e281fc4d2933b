"""A small multinomial logistic-regression model over words, character n-grams and cues.

Pure Python on purpose: the offline classifier ships inside the package and must run without
numpy or scikit-learn. Softmax regression (rather than naive Bayes) gives probabilities that
mean something, which the confidence threshold relies on. The cue features
(:mod:`cadenza.replies.classify.cues`) are shared by all languages, so what the model learns from a
frequent language carries over to a rare one. Weights live in ``model/replies.json``.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cadenza.replies.classify.cues import cue_hits
from cadenza.replies.classify.intents import costly_if

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).parent / "model" / "replies.json"
_WORD = re.compile(r"[^\W\d_]+|\d+|[?!]")
_MAX_WORDS = 160
_CUE_WEIGHT = 10.0
#: The feature code's version, part of the model's fingerprint
#: (:mod:`cadenza.replies.classify.fingerprint`): bump it when :func:`featurize` or
#: :func:`~cadenza.replies.classify.classifier.reply_input` changes what a reply's features are,
#: then retrain.
FEATURES_VERSION = "2"


def featurize(text: str, hits: frozenset[str] | None = None, *,
              subject: str = "") -> dict[str, float]:
    """Sparse, L2-normalised features of a reply's new text (injection sentences removed).

    ``hits`` are the cue names already computed for ``text``; they are found when omitted.
    ``subject`` words (of a short reply) are features of their own, prefixed ``s:``.
    """
    low = text.lower()
    words = _WORD.findall(low)[:_MAX_WORDS]
    counts: Counter[str] = Counter()
    previous = "<s>"
    for word in words:
        if word.isdigit():
            word = "0" * min(len(word), 4)
        counts["w:" + word] += 1
        counts["b:" + previous + "_" + word] += 1
        previous = word
        if len(word) > 3 and word.isalpha():
            padded = f"<{word}>"
            for i in range(len(padded) - 3):
                counts["c:" + padded[i:i + 4]] += 1
    for word in _WORD.findall(subject.lower())[:20]:
        counts["s:" + word] += 1
    features = {k: 1.0 + math.log(v) for k, v in counts.items()}
    for cue in cue_hits(text) if hits is None else hits:
        features["cue:" + cue] = _CUE_WEIGHT
    n = len(words)
    size = "empty" if n == 0 else "short" if n < 8 else "mid" if n < 40 else "long"
    features["len:" + size] = 1.0
    if "@" in text:
        features["has:at"] = 1.0
    norm = math.sqrt(sum(v * v for v in features.values())) or 1.0
    return {k: v / norm for k, v in features.items()}


@dataclass
class ReplyModel:
    """Class weights per feature; ``predict`` returns a probability per label."""

    labels: list[str]
    weights: dict[str, list[float]]
    bias: list[float]
    version: str = ""
    #: Per predicted intent, the most probability the model may give to the intents that
    #: would make acting on it a costly error (:func:`~cadenza.replies.classify.intents.
    #: costly_if`) before a person decides instead; chosen on writers the model never saw.
    risk_limits: dict[str, float] = field(default_factory=dict)
    #: What the weights were fitted on: the cue lists and the feature code
    #: (:func:`cadenza.replies.classify.fingerprint.features_fingerprint`, set by the trainer).
    fingerprint: dict[str, str] = field(default_factory=dict)

    def risk(self, scores: dict[str, float], intent: str) -> float:
        """The probability that acting on ``intent`` is a costly error, by these scores."""
        return sum(p for label, p in scores.items() if label in costly_if(intent))

    def predict(self, features: dict[str, float]) -> dict[str, float]:
        """Softmax probabilities of each label for one feature vector."""
        scores = list(self.bias)
        weights = self.weights
        for name, value in features.items():
            row = weights.get(name)
            if row is not None:
                scores = [s + w * value for s, w in zip(scores, row, strict=True)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}

    def to_json(self) -> dict[str, object]:
        """A compact JSON-able form (weights rounded; near-zero rows dropped)."""
        rows = {k: [round(w, 3) for w in row] for k, row in self.weights.items()
                if max(abs(w) for w in row) >= 0.01}
        return {"version": self.version, "fingerprint": dict(sorted(self.fingerprint.items())),
                "labels": self.labels,
                "risk_limits": {k: round(v, 4) for k, v in sorted(self.risk_limits.items())},
                "bias": [round(b, 4) for b in self.bias], "weights": rows}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ReplyModel:
        """Rebuild a model written by :meth:`to_json`."""
        labels = [str(x) for x in data["labels"]]  # type: ignore[attr-defined]
        raw = data["weights"]
        if not isinstance(raw, dict):
            raise ValueError("model weights must be an object")
        weights = {str(k): [float(w) for w in v] for k, v in raw.items()}
        bias = [float(b) for b in data["bias"]]  # type: ignore[attr-defined]
        raw_limits = data.get("risk_limits") or {}
        if not isinstance(raw_limits, dict):
            raise ValueError("model risk_limits must be an object")
        limits = {str(k): float(v) for k, v in raw_limits.items()}
        raw_print = data.get("fingerprint") or {}
        if not isinstance(raw_print, dict):
            raise ValueError("model fingerprint must be an object")
        return cls(labels=labels, weights=weights, bias=bias,
                   version=str(data.get("version", "")), risk_limits=limits,
                   fingerprint={str(k): str(v) for k, v in raw_print.items()})


def train(samples: Sequence[dict[str, float]], labels: Sequence[str], *, epochs: int = 80,
          rate: float = 3.0, l2: float = 1e-5, min_count: int = 2, seed: int = 7) -> ReplyModel:
    """Fit softmax regression with SGD (deterministic for a given seed)."""
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    seen: Counter[str] = Counter(f for s in samples for f in s)
    keep = {f for f, c in seen.items() if c >= min_count or f.startswith(("cue:", "len:", "has:"))}
    data = [({f: v for f, v in s.items() if f in keep}, index[y])
            for s, y in zip(samples, labels, strict=True)]
    k = len(classes)
    weights: dict[str, list[float]] = {f: [0.0] * k for f in keep}
    bias = [0.0] * k
    prior = Counter(y for _, y in data)
    class_weight = [len(data) / (k * prior[i]) if prior[i] else 0.0 for i in range(k)]
    rng = random.Random(seed)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        step = rate / (1.0 + epoch * 0.15)
        for i in order:
            feats, y = data[i]
            scores = list(bias)
            for f, v in feats.items():
                row = weights[f]
                for j in range(k):
                    scores[j] += row[j] * v
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            grads = [(e / total - (1.0 if j == y else 0.0)) * class_weight[y]
                     for j, e in enumerate(exps)]
            for j in range(k):
                bias[j] -= step * grads[j] * 0.1
            for f, v in feats.items():
                row = weights[f]
                for j in range(k):
                    row[j] -= step * (grads[j] * v + l2 * row[j])
    return ReplyModel(labels=classes, weights=weights, bias=bias)


def save_model(model: ReplyModel, path: Path = MODEL_PATH) -> None:
    """Write ``model`` as compact JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), separators=(",", ":"), ensure_ascii=False),
                    encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> ReplyModel | None:
    """The shipped model, or ``None`` when it has not been trained yet (rules still work)."""
    if not path.exists():
        log.warning("reply model %s not found; the offline classifier uses rules only", path)
        return None
    return ReplyModel.from_json(json.loads(path.read_text(encoding="utf-8")))
