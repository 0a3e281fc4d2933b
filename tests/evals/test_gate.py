"""The CI gate: hard rules on drafts, floors on the reply classifier, shipped floors file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.eval_drafts import SENDER, synthetic_prospect, synthetic_record
from cadenza.errors import InputError
from cadenza.evals.draft_scores import score_drafts
from cadenza.evals.gate import check_gate, check_run, load_floors

RUN_AT = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)  # the scores' timestamp
def drafts_scores(canary: bool = False, status: str = "drafted") -> dict[str, Any]:
    prospect = synthetic_prospect(1)
    record = synthetic_record(prospect) | {"status": status}
    if canary:
        record["body"] = "{{ first_name }} " + str(record["body"])
    return score_drafts([record], [prospect], SENDER, now=RUN_AT)


def test_shipped_floors_are_placeholders_with_a_comment() -> None:
    floors = load_floors()
    assert "measure" in floors["comment"]
    assert floors["drafts"]["max_hard_violations"] == 0
    assert 0 < floors["replies"]["accuracy"] < 1 and 0 < floors["replies"]["macro_f1"] < 1


def test_clean_drafts_pass_and_a_hard_violation_fails() -> None:
    floors = load_floors()
    assert check_gate(drafts_scores(), floors=floors) == []
    failures = check_gate(drafts_scores(canary=True), floors=floors)
    assert failures[0].startswith("1 hard-rule violation")
    assert "s0001 step 1" in failures[1] and "unresolved_variables" in failures[1]


def test_a_held_draft_the_checker_stopped_does_not_fail_the_gate() -> None:
    scores = drafts_scores(canary=True, status="held")
    assert scores["hard_violations"]  # still listed in scores.json
    assert check_gate(scores, floors=load_floors()) == []


def test_reply_floors() -> None:
    floors = {"replies": {"accuracy": 0.9, "macro_f1": 0.85, "max_critical_errors": 0}}
    good = {"n": 10, "accuracy": 0.95, "macro_f1": 0.9, "critical_errors": []}
    assert check_gate(good, floors=floors) == []
    bad = {"n": 10, "accuracy": 0.8, "macro_f1": 0.7,
           "critical_errors": [{"file": "1.eml", "expected": "unsubscribe",
                                "predicted": "not_now"}]}
    failures = check_gate(bad, floors=floors)
    assert any("accuracy 0.8000 is under the floor 0.9000" in f for f in failures)
    assert any("macro_f1" in f for f in failures)
    assert any("1 critical error" in f for f in failures)
    assert any("1.eml" in f for f in failures)


def test_check_run_reads_a_folder(tmp_path: Path) -> None:
    (tmp_path / "scores.json").write_text(json.dumps(drafts_scores(canary=True)))
    failures = check_run(tmp_path)
    assert failures and failures[0].startswith("scores.json: ")
    with pytest.raises(InputError):
        check_run(tmp_path / "missing")


@pytest.mark.slow  # the whole shipped set, drafted and scored (scripts/test ends with the gate)
def test_shipped_dataset_drafts_break_no_hard_rule() -> None:
    """The CI gate itself: the offline drafter on the shipped prospects."""
    batch = pytest.importorskip("cadenza.agent.batch")
    import datetime as dt

    from cadenza.prospects import ProspectIn
    from cadenza.sender import SenderProfile

    folder = Path(__file__).parents[2] / "src/cadenza/evals/datasets/prospects"
    prospects = [ProspectIn.model_validate_json(line)
                 for line in (folder / "prospects.jsonl").read_text().splitlines() if line]
    expected = {}
    for line in (folder / "expected.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            expected[row["id"]] = row
    sender = SenderProfile.model_validate_json((folder / "sender.json").read_text())
    steps = [batch.StepSpec(1, "email", "email_opener"),
             batch.StepSpec(2, "linkedin_connect", "linkedin_connect"),
             batch.StepSpec(3, "email", "email_followup"),
             batch.StepSpec(4, "email", "email_value")]
    records = [r.contract() for r in batch.draft_batch(prospects, sender, steps,
                                                       today=dt.date(2026, 11, 24))]
    scores = score_drafts(records, prospects, sender, expected=expected, now=RUN_AT)
    assert check_gate(scores, floors=load_floors()) == []


def test_load_expected_and_write_scores(tmp_path: Path) -> None:
    from cadenza.evals.draft_scores import load_expected, write_scores

    path = tmp_path / "expected.jsonl"
    path.write_text('{"id": "p1", "expect": "skip", "reason": "invalid_email"}\n\n')
    assert load_expected(path)["p1"]["reason"] == "invalid_email"
    path.write_text('{"id": "p1"}\nnot json\n')
    with pytest.raises(InputError, match=":2"):
        load_expected(path)
    out = write_scores(drafts_scores(), tmp_path / "scores.json")
    assert json.loads(out.read_text())["kind"] == "drafts"


def test_costly_error_caps_and_the_share_sent_to_a_person() -> None:
    floors = {"replies": {"accuracy": 0.5, "max_missed_opt_outs": 0, "max_false_opt_outs": 1,
                          "max_positive_as_negative": 0, "max_to_person_share": 0.1}}
    ok = {"accuracy": 0.9, "macro_f1": 0.9, "missed_opt_out": 0, "false_opt_out": 1,
          "positive_as_negative": 0, "to_person_share": 0.1,
          "critical_errors": [{"kind": "missed_opt_out", "file": "a.eml"}]}  # sent to a person
    assert check_gate(ok, floors=floors) == []
    bad = {**ok, "missed_opt_out": 1, "false_opt_out": 2, "positive_as_negative": 1,
           "to_person_share": 0.2}
    lines = check_gate(bad, floors=floors)
    assert len(lines) == 4
    assert any("acted on as something else" in line for line in lines)
    assert any("false opt outs" in line for line in lines)
