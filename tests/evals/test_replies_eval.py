from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from cadenza.errors import InputError
from cadenza.evals.replies import Label, compute_metrics, read_labels, run_reply_eval


def _eml(body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "jane@prospect.example"
    msg["To"] = "sam@sender.example"
    msg["Subject"] = "Re: hi <script>"
    msg["Date"] = "Wed, 01 Apr 2026 10:00:00 +0000"
    msg.set_content(body)
    return msg.as_bytes()


def test_eval_writes_metrics_and_lists_critical_errors(tmp_path: Path) -> None:
    data = tmp_path / "set"
    data.mkdir()
    (data / "a.eml").write_bytes(_eml("Please remove me from your list."))
    (data / "b.eml").write_bytes(_eml("Can we do Tuesday at 3pm? Send me an invite."))
    (data / "<c>.eml").write_bytes(_eml("Hmm."))
    labels = [
        {"file": "a.eml", "intent": "unsubscribe", "extra": "ignored"},
        {"file": "b.eml", "intent": "meeting_request", "language": "en"},
        # planted: a message labeled unsubscribe that will not be classified as one
        {"file": "<c>.eml", "intent": "unsubscribe", "language": "de"},
    ]
    (data / "labels.jsonl").write_text("\n".join(json.dumps(x) for x in labels) + "\n")
    out = tmp_path / "out"
    metrics = run_reply_eval(data, labels=None, out=out, llm=None)
    stored = json.loads((out / "metrics.json").read_text())
    for key in ("n", "accuracy", "macro_f1", "per_intent", "confusion", "per_language",
                "field_accuracy", "critical_errors"):
        assert key in stored
    assert stored["n"] == 3
    assert set(stored["field_accuracy"]) == {"return_date", "follow_up_after",
                                             "referral_email", "referral_name", "bounce"}
    assert stored["per_intent"]["unsubscribe"]["support"] == 2
    assert stored["confusion"]["unsubscribe"]["unsubscribe"] == 1
    assert set(stored["per_language"]) == {"en", "de"}
    critical = metrics["critical_errors"]
    assert [(e["file"], e["kind"]) for e in critical] == [("<c>.eml", "missed_opt_out")]
    html = (out / "report.html").read_text()
    assert "&lt;c&gt;.eml" in html and "<c>.eml" not in html
    assert '<table class="hm">' in html and "http" not in html.lower().replace("https", "")


def test_explicit_labels_path_and_missing_file(tmp_path: Path) -> None:
    labels = tmp_path / "mine.jsonl"
    labels.write_text(json.dumps({"file": "nope.eml", "intent": "bounce", "bounce": "hard"}))
    metrics = run_reply_eval(tmp_path, labels=labels, out=tmp_path / "o", llm=None)
    assert metrics["n"] == 1 and metrics["accuracy"] == 0.0
    assert metrics["field_accuracy"]["bounce"] == {
        "n": 1, "accuracy": 0.0, "accuracy_with_intent": 0.0, "intent_right_n": 0,
        "accuracy_given_intent": 0.0}


def test_referral_name_is_scored_like_the_other_fields() -> None:
    def label(file: str, intent: str, **fields: str) -> Label:
        return Label(file, intent, "en", dict(fields))

    gold = [label("a.eml", "referral", referral_name="Dr. Meier"),
            label("b.eml", "referral", referral_name="Isabelle Lefèvre",
                  referral_email="isabelle.lefevre@example.com"),
            label("c.eml", "referral", referral_name="Jeroen Smits"),
            label("d.eml", "referral", referral_name="Tomasz Nowak"),
            label("e.eml", "referral")]
    predictions = {
        "a.eml": {"intent": "referral", "referral_name": "Frau Dr. Meier"},  # the title aside
        "b.eml": {"intent": "referral", "referral_name": "isabelle lefevre",
                  "referral_email": "Isabelle.Lefevre@example.com"},
        "c.eml": {"intent": "unclear", "referral_name": "Jeroen Smits"},  # for a person
        "d.eml": {"intent": "referral", "referral_name": "Tomasza Nowaka"},  # not its name
        "e.eml": {"intent": "referral", "referral_name": "Someone"},  # unlabeled: not counted
    }
    fields = compute_metrics(gold, predictions)["field_accuracy"]
    assert fields["referral_name"] == {"n": 4, "accuracy": 0.75, "accuracy_with_intent": 0.5,
                                       "intent_right_n": 3, "accuracy_given_intent": 0.6667}
    assert fields["referral_email"]["accuracy"] == 1.0


def test_a_first_name_completed_from_the_persons_own_address_is_right() -> None:
    gold = [Label("a.eml", "referral", "en", {"referral_name": "Priya",
                                              "referral_email": "priya.shah@loom.example"}),
            Label("b.eml", "referral", "en", {"referral_name": "Paul"}),
            Label("c.eml", "referral", "en", {"referral_name": "Linda"}),
            Label("d.eml", "referral", "en", {"referral_name": "Rosie",
                                              "referral_email": "rosie@asante.example"})]
    predictions = {
        "a.eml": {"intent": "referral", "referral_name": "Priya Shah"},  # the label's address
        "b.eml": {"intent": "referral", "referral_name": "Paul Girard",  # the one it read
                  "referral_email": "paul.girard@romandie.example"},
        "c.eml": {"intent": "referral", "referral_name": "Linda Ferraro"},  # from nowhere here
        "d.eml": {"intent": "referral", "referral_name": "Rosie Lane"},  # not in the address
    }
    fields = compute_metrics(gold, predictions)["field_accuracy"]
    assert fields["referral_name"]["accuracy"] == 0.5


@pytest.mark.parametrize(("line", "field"), [
    ('{"file": "a.eml", "intent": "maybe"}', "intent"),
    ('{"intent": "bounce"}', "file"),
    ('{"file": "a.eml", "intent": "not_now", "follow_up_after": 5}', "follow_up_after"),
])
def test_bad_label_line_names_file_line_and_field(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"file": "ok.eml", "intent": "bounce"}\n' + line + "\n")
    with pytest.raises(InputError) as info:
        read_labels(path)
    assert info.value.line == 2 and info.value.field == field
    assert f"{path}:2" in str(info.value) and field in str(info.value)


def test_invalid_json_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text("{not json\n")
    with pytest.raises(InputError, match=r"labels.jsonl:1"):
        read_labels(path)


def test_hostile_file_names_and_languages_are_text_on_the_page(tmp_path: Path) -> None:
    """A reply, its file name and its label's language are outside data: the page shows them
    as text (the template engine escapes them), never as markup that runs or loads."""
    data = tmp_path / "set"
    data.mkdir()
    evil_file = "<img src=x onerror=alert(1)>.eml"
    # labeled an opt-out, read as interest: a critical error, listed with its file name
    (data / evil_file).write_bytes(_eml("<script>alert(1)</script> Tell me more about "
                                        "pricing, sounds interesting."))
    label = {"file": evil_file, "intent": "unsubscribe", "language": "<script>alert(2)</script>"}
    (data / "labels.jsonl").write_text(json.dumps(label) + "\n")
    run_reply_eval(data, labels=None, out=tmp_path / "out", llm=None)
    page = (tmp_path / "out" / "report.html").read_text()
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page            # the language row
    assert "&lt;img src=x onerror=alert(1)&gt;.eml" in page           # the critical error
