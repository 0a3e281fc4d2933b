"""The shipped reply model was trained on the current cue lists and feature code."""

from __future__ import annotations

import shutil
from pathlib import Path

from cadenza.evals.train_model import RETRAIN_COMMAND
from cadenza.replies.classify.cue_files import CUE_DIR
from cadenza.replies.classify.fingerprint import cue_lists_digest, features_fingerprint
from cadenza.replies.classify.model import MODEL_PATH, ReplyModel, load_model


def test_shipped_model_matches_the_cue_lists_and_the_feature_code() -> None:
    model = load_model(MODEL_PATH)
    assert model is not None, f"no reply model at {MODEL_PATH}; train it: {RETRAIN_COMMAND}"
    current = features_fingerprint()
    stale = {part: {"model": model.fingerprint.get(part), "now": value}
             for part, value in current.items() if model.fingerprint.get(part) != value}
    assert not stale, (
        f"the reply model ({MODEL_PATH.name}) was trained on other features than the current "
        f"ones {stale} (cue_lists: a pattern in replies/classify/cue_lists/*.yaml changed; "
        "extractor or probe: the feature code changed). Retrain it from the repository's root "
        f"and commit the model and the report:\n  {RETRAIN_COMMAND}")


def test_cue_digest_follows_patterns_not_examples(tmp_path: Path) -> None:
    folder = tmp_path / "cue_lists"
    shutil.copytree(CUE_DIR, folder)
    original = cue_lists_digest(str(folder))
    path = folder / "not_now.yaml"
    text = path.read_text(encoding="utf-8")
    # an example more: the regexes, hence the features, are the same
    path.write_text(text.replace("    not_matches:\n",
                                 "    not_matches:\n      - 'probe text that matches nothing'\n",
                                 1), encoding="utf-8")
    assert "probe text" in path.read_text(encoding="utf-8")
    assert cue_lists_digest(str(folder)) == original
    # a pattern more: other features
    path.write_text(text.replace("    pattern:\n", "    pattern:\n      - 'zzqx-never-said'\n",
                                 1), encoding="utf-8")
    assert "zzqx" in path.read_text(encoding="utf-8")
    assert cue_lists_digest(str(folder)) != original


def test_fingerprint_round_trips_through_the_model_file() -> None:
    model = ReplyModel(labels=["a", "b"], weights={"w:x": [0.5, -0.5]}, bias=[0.0, 0.0],
                       fingerprint={"cue_lists": "abc", "extractor": "1", "probe": "def"})
    again = ReplyModel.from_json(model.to_json())
    assert again.fingerprint == model.fingerprint
    assert ReplyModel.from_json({"labels": ["a"], "weights": {}, "bias": [0.0]}).fingerprint == {}
