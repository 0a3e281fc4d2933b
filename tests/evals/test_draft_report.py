"""report.html: the expected elements are there, and hostile prospect data stays inert text."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from cadenza.evals.draft_report import bar_chart, render_draft_report, write_draft_report
from cadenza.evals.draft_scores import score_drafts
from cadenza.prospects import ProspectIn
from cadenza.sender import SenderProfile

RUN_AT = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)  # the scores' timestamp
SENDER = SenderProfile.model_validate({
    "company": "Northwind Labs", "postal_address": "Northwind Labs, 1 Main St, Portland",
    "unsubscribe": {"text": "Reply unsubscribe to opt out."},
    "sender": {"first_name": "Mara", "last_name": "Lind"},
})
EVIL = "<script>alert(1)</script>"
PROSPECTS = [
    ProspectIn(id="p1", email="a@x.example", first_name=EVIL, last_name="\u202eevil",
               company="Acme"),
    ProspectIn(id="p2", email="b@x.example", first_name="Ana", company="Beta"),
]
BODY = ("Hi there,\n\nAcme looked like a good fit for one queue of exceptions. "
        f"Would a short call make sense?\n\nBest,\nMara Lind\n\n{SENDER.postal_address}\n"
        "Reply unsubscribe to opt out.")
RECORDS: list[dict[str, Any]] = [
    {"prospect_id": "p1", "step": 1, "channel": "email", "status": "drafted",
     "subject": f"hi {EVIL}", "body": BODY.replace("Hi there", f"Hi {EVIL}"),
     "fact_ids": []},
    {"prospect_id": "p1", "step": 2, "channel": "linkedin_connect", "status": "drafted",
     "body": "Glad to connect. \u202eevil"},
    {"prospect_id": "p2", "step": 1, "channel": "email", "status": "skipped",
     "reason": "role_account"},
]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.testids: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("data-testid"):
            self.testids.append(str(values["data-testid"]))
        for key in ("src", "href"):
            if values.get(key):
                self.links.append(str(values[key]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def test_report_has_the_expected_elements(tmp_path: Path) -> None:
    scores = score_drafts(RECORDS, PROSPECTS, SENDER, dataset="test", now=RUN_AT)
    path = write_draft_report(scores, tmp_path / "report.html")
    page = parse(path.read_text(encoding="utf-8"))

    for testid in ("headline", "card-drafted", "card-held", "card-skipped",
                   "card-hard-violations", "card-grounding", "card-median-words", "card-cta",
                   "card-footer", "hard-violations", "charts", "per-step-table",
                   "per-prospect-table", "drafts", "chart-cta"):
        assert testid in page.testids, testid
    assert page.testids.count("prospect-row") == 2
    assert page.testids.count("draft") == 2
    assert "svg" in page.tags and "details" in page.tags and "style" in page.tags
    assert "script" not in page.tags and "link" not in page.tags and page.links == []


def test_hostile_names_are_escaped_and_controls_visible() -> None:
    scores = score_drafts(RECORDS, PROSPECTS, SENDER, now=RUN_AT)
    page_html = render_draft_report(scores)
    page = parse(page_html)

    assert "script" not in page.tags
    assert "<script>" not in page_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "\u202e" not in page_html and "[U+202E]evil" in "".join(page.text)
    assert "bdi" in page.tags


def test_bar_chart_draws_one_bar_per_rate_and_marks_missing() -> None:
    svg = bar_chart("cta", [("step 1", 1.0), ("step 2", 0.5), ("step 3", None)], testid="c")
    chart = parse(svg)
    assert chart.tags.count("rect") == 2
    assert "n/a" in "".join(chart.text)


def test_a_hostile_prospect_file_stays_text_through_the_eval(tmp_path: Path) -> None:
    """The real ``eval drafts`` run: a prospect id, name and fact carrying markup come out of
    report.html as escaped text (the template engine's autoescape), never as tags."""
    from cadenza.demo import sample_file
    from cadenza.evals.drafts import run_draft_eval

    prospect = {"id": "p<script>alert(1)</script>", "email": "dana@kestrel.example",
                "first_name": "<img src=x onerror=alert(2)>", "company": "Kestrel Freight",
                "company_domain": "kestrel.example",
                "facts": [{"id": "f1", "kind": "news",
                           "text": "Kestrel <script>alert(3)</script> opened a hub in Leeds."}]}
    path = tmp_path / "prospects.jsonl"
    path.write_text(json.dumps(prospect) + "\n", encoding="utf-8")
    run_draft_eval(path, sender_path=sample_file("prospects", "sender.json"),
                   out=tmp_path / "out", today=RUN_AT.date())
    page_html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    page = parse(page_html)
    assert "script" not in page.tags and "img" not in page.tags and page.links == []
    assert "p&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "p<script>alert(1)</script>" in "".join(page.text)  # shown, as text
