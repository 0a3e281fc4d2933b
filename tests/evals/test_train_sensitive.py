"""The sensitive-fact model: trained on independent writers, gated on one it never saw, read
only for the fact kinds and lengths it was measured on, and only ever adding caution."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cadenza.errors import InputError
from cadenza.evals.train_sensitive import (
    LabelledFact,
    choose_threshold,
    figures,
    fit,
    load_draft_facts,
    load_facts,
    main,
)
from cadenza.prospects import ProspectIn
from cadenza.writing.facts import _screen, screen_facts
from cadenza.writing.sensitive import sensitive_terms
from cadenza.writing.sensitive_model import (
    MODEL_MIN_WORDS,
    SensitiveModel,
    fact_features,
    model_says_sensitive,
    reads,
    shipped_model,
)

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "corpus" / "facts"
HELD_OUT = "fc"


def test_the_shipped_model_holds_on_the_writer_it_never_saw() -> None:
    """The gate: the held-out writer's 330 facts (eleven languages), read by the lists and the
    shipped model together, as the drafter reads them. The floors sit under what the shipped
    model measured (recall 0.91 against the lists' 0.70; work facts screened 0.126 against
    0.106), so a change to the features without a retrain fails here."""
    model = shipped_model()
    assert model is not None
    held = [f for f in load_facts(FACTS) if f.writer == HELD_OUT]
    assert len(held) == 330
    result = figures([(f, model.probability(f.text)) for f in held], model.threshold)
    assert result["both"]["recall"] >= 0.88
    assert result["both"]["recall"] >= result["lists"]["recall"] + 0.15
    assert result["both"]["work_screened"] <= 0.14


def test_the_model_never_read_the_held_out_writer() -> None:
    report = json.loads((FACTS / "report.json").read_text(encoding="utf-8"))
    assert HELD_OUT in report["holdout_writers"]
    assert HELD_OUT not in report["training_writers"]
    assert report["threshold"] == shipped_model().threshold  # type: ignore[union-attr]


@pytest.mark.parametrize(("kind", "words", "read"), [
    ("post", MODEL_MIN_WORDS, True), ("news", MODEL_MIN_WORDS, True),
    ("role_change", MODEL_MIN_WORDS, True), ("post", MODEL_MIN_WORDS - 1, False),
    ("hiring", 30, False), ("pain_point", 30, False), ("tech_stack", 30, False),
    ("funding", 30, False), ("product_launch", 30, False),
])
def test_the_model_reads_only_what_it_was_measured_on(kind: str, words: int,
                                                      read: bool) -> None:
    text = " ".join(["word"] * words)
    assert reads(kind, text) is read


def test_a_model_that_says_everything_is_sensitive_cannot_drop_a_short_headline() -> None:
    always = SensitiveModel(bias=10.0, threshold=0.5)
    assert always.is_sensitive("Acme opens a site in Leeds")
    assert not reads("news", "Acme opens a site in Leeds")


def test_names_are_no_features_but_german_nouns_are() -> None:
    english = fact_features("The new Tidewater Mills site in Leeds will have 60 dock doors.")
    assert "w:leeds" not in english and "w:tidewater" not in english and "w:dock" in english
    german = fact_features("Nach dem Abschied von meinem Vater bin ich zurück im Lager.")
    assert "w:vater" in german and "w:abschied" in german


def _prospect(*texts: str) -> ProspectIn:
    return ProspectIn.model_validate({
        "id": "p1", "email": "a@b.example", "first_name": "Ana", "company": "Nordlager",
        "facts": [{"id": f"f{i}", "kind": "post", "text": t, "date": "2026-11-01"}
                  for i, t in enumerate(texts, 1)]})


def test_the_model_only_adds_caution_to_the_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a model that finds nothing, the screen is the lists' alone; with one that finds
    everything, every long post is dropped as sensitive — never the other way round."""
    import cadenza.writing.sensitive_model as sm

    listed = "Back at work after my mother's funeral last week; the racking audit is on Monday."
    plain = ("Our pickers walked past the same bent upright for three weeks before anyone "
             "reported it to the shift lead.")
    assert sensitive_terms(listed) and not sensitive_terms(plain)
    for bias, dropped in ((-10.0, {"f1"}), (10.0, {"f1", "f2"})):
        monkeypatch.setattr(sm, "shipped_model", lambda b=bias: SensitiveModel(bias=b))
        model_says_sensitive.cache_clear()
        _screen.cache_clear()
        screen = screen_facts(_prospect(listed, plain), today=dt.date(2026, 11, 30))
        assert {k for k, v in screen.dropped.items() if v == "sensitive"} == dropped
    model_says_sensitive.cache_clear()
    _screen.cache_clear()


def _write(folder: Path, rows: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True)
    (folder / "facts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                        encoding="utf-8")


@pytest.mark.parametrize(("row", "field"), [
    ({"text": "x y", "label": "maybe"}, "label"),
    ({"text": "", "label": "work"}, "text"),
])
def test_a_bad_line_names_file_line_and_field(tmp_path: Path, row: dict[str, object],
                                              field: str) -> None:
    _write(tmp_path / "w1", [{"text": "a fine fact", "label": "work"}, row])
    with pytest.raises(InputError) as info:
        load_facts(tmp_path)
    assert info.value.line == 2 and info.value.field == field


def test_training_leaves_writers_out_and_never_reads_the_held_out_one(tmp_path: Path) -> None:
    sad = ["My father passed away on Sunday and the funeral is on Friday in our village church",
           "After six months of chemotherapy I am finally back at my desk and grateful to all",
           "We said goodbye to forty colleagues today after the plant closure was announced"]
    fine = ["We opened a new cross dock with twelve doors and a bigger yard for trailers now",
            "Our team moved the whole warehouse to barcode scanning and picking errors dropped",
            "Hiring two planners for the night shift to cover the new customer volumes soon"]
    for w in ("w1", "w2", "w3"):
        _write(tmp_path / "corpus" / w, [{"text": f"{t} {w}", "label": "sensitive",
                                          "kind": "post"} for t in sad]
               + [{"text": f"{t} {w}", "label": "work", "kind": "post"} for t in fine])
    _write(tmp_path / "corpus" / "held", [{"text": "nonsense never read", "label": "maybe"}])
    out, report = tmp_path / "model.json", tmp_path / "report.json"
    with pytest.raises(InputError):  # every folder is read: the bad held-out line is named
        main([str(tmp_path / "corpus"), "--holdout", "held", "--out", str(out)])
    _write(tmp_path / "corpus2" / "held", [{"text": t, "label": "sensitive", "kind": "post"}
                                           for t in sad])
    for w in ("w1", "w2"):
        (tmp_path / "corpus2" / w).mkdir(parents=True)
        (tmp_path / "corpus2" / w / "facts.jsonl").write_text(
            (tmp_path / "corpus" / w / "facts.jsonl").read_text())
    assert main([str(tmp_path / "corpus2"), "--holdout", "held", "--c", "8", "--out", str(out),
                 "--report", str(report)]) == 0
    data = json.loads(report.read_text())
    assert data["training_writers"] == ["w1", "w2"] and data["holdout_writers"] == ["held"]
    assert set(data["out_of_writer_by_writer"]) == {"w1", "w2"}
    model = SensitiveModel.from_json(json.loads(out.read_text()))
    assert model.probability(sad[0]) > model.probability(fine[0])


def test_the_threshold_keeps_to_the_work_budget() -> None:
    work = [(LabelledFact("w", "en", " ".join(["long"] * 20), False, kind="post"), p)
            for p in (0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97)]
    assert choose_threshold(work) == 1.0  # two in ten over any threshold: never screen
    assert not SensitiveModel(bias=40.0, threshold=1.0).is_sensitive("anything at all")
    few = work[:4] + [(f, 0.1) for f, _ in work] * 3
    threshold = choose_threshold(few)
    screened = [SensitiveModel(threshold=threshold).screens(f.text, p) for f, p in few]
    assert sum(screened) / len(few) <= 0.04 and threshold < 1.0


def test_under_sure_the_model_screens_only_a_personal_fact() -> None:
    from cadenza.writing.sensitive_model import SURE, first_person

    model = SensitiveModel(threshold=0.3)
    work = "Third belt rip this year on the feed. Every one started at a splice we had checked."
    private = "Third week off work for me now. My father is still in hospital, thanks all."
    assert not first_person(work) and first_person(private)
    assert not model.screens(work, 0.55) and model.screens(private, 0.55)
    assert model.screens(work, SURE)  # sure enough on its own
    assert not model.screens(private, 0.2)  # under the threshold nothing is screened


def test_the_draft_corpora_labels_come_from_their_writers_notes() -> None:
    facts = load_draft_facts(ROOT / "corpus" / "drafts")
    unread = set((ROOT / "corpus" / "drafts" / "UNREAD").read_text().split())
    assert facts and not any(f.writer.removeprefix("drafts-") in unread for f in facts)
    assert any(f.sensitive for f in facts) and any(f.hook for f in facts)
    assert not any(f.hook and f.sensitive for f in facts)


def test_fit_is_deterministic() -> None:
    facts = [LabelledFact("w", "en", t, s, kind="post") for t, s in (
        ("a long sad text about a funeral and grief and loss in the family", True),
        ("a long text about dock doors and yard trucks and pallets moving", False))]
    assert fit(facts, c=2).to_json() == fit(facts, c=2).to_json()
