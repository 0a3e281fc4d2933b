"""The eval reports as a person sees them: opened in real headless Chromium, screenshotted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cadenza.demo import sample_file
from cadenza.evals.drafts import run_draft_eval
from cadenza.evals.replies import run_reply_eval

from support.browser import png_is_blank


def test_drafts_report_renders_with_its_sections(tmp_path: Path, page: Any) -> None:
    out = tmp_path / "drafts"
    run_draft_eval(sample_file("prospects", "prospects.jsonl"),
                   sender_path=sample_file("prospects", "sender.json"), out=out,
                   today=dt.date(2026, 11, 24))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "report.html").as_uri())
    for testid in ("headline", "charts", "per-step-table", "per-prospect-table", "drafts",
                   "hard-violations"):
        assert page.get_by_test_id(testid).count() == 1, testid
    assert page.locator("svg").count() >= 3           # charts are drawn, not listed
    assert page.evaluate("() => document.querySelectorAll('script').length") == 0
    assert page.evaluate("() => window.__pwned") is None
    shot = page.screenshot(full_page=False)
    (tmp_path / "drafts.png").write_bytes(shot)
    assert not png_is_blank(shot)
    assert all(u.startswith("file://") for u in requests), requests  # nothing remote loads


def test_replies_report_draws_the_confusion_matrix(tmp_path: Path, page: Any) -> None:
    out = tmp_path / "replies"
    metrics = run_reply_eval(Path(str(sample_file("replies"))), labels=None, out=out, llm=None)
    page.goto((out / "report.html").as_uri())
    assert page.get_by_role("heading", name="Confusion matrix").count() == 1
    matrix = page.locator("table.hm")
    assert matrix.count() == 1
    assert matrix.locator("tr").count() >= 11          # a row per labeled intent
    colours = matrix.locator("td").evaluate_all(
        "cells => new Set(cells.map(c => getComputedStyle(c).backgroundColor)).size")
    assert colours > 3                                 # a heat map, not a plain table
    assert f"{metrics['n']}" in page.inner_text("body")
    shot = page.screenshot(full_page=True)
    (tmp_path / "replies.png").write_bytes(shot)
    assert not png_is_blank(shot)


def test_blank_page_is_detected_as_blank(page: Any) -> None:
    """The screenshot check above can fail: an empty page is reported blank."""
    page.set_content("<html><body style='background:#fff'></body></html>")
    assert png_is_blank(page.screenshot())
    page.set_content("<h1>Cadenza</h1><p>" + "text " * 200 + "</p>")
    assert not png_is_blank(page.screenshot())


def test_drafts_report_filters_by_step_status_and_language(tmp_path: Path, page: Any) -> None:
    """The filters work without a script: choosing a step hides every other step's drafts,
    and a held draft shows its reason and the facts beside it."""
    out = tmp_path / "drafts"
    run_draft_eval(sample_file("prospects", "prospects.jsonl"),
                   sender_path=sample_file("prospects", "sender.json"), out=out,
                   today=dt.date(2026, 11, 24))
    page.goto((out / "report.html").as_uri())
    drafts = page.locator("details[data-testid=draft]")
    total = drafts.count()
    visible = "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
    assert drafts.evaluate_all(visible) == total
    page.locator("#f-step-2").check()
    shown = drafts.evaluate_all(visible)
    assert 0 < shown < total
    assert page.locator("details[data-step='2']").count() == shown
    page.locator("#f-status-held").check()
    held = page.locator("details[data-step='2'][data-status='held']").count()
    assert drafts.evaluate_all(visible) == held
    page.locator("#f-step-all").check()
    page.locator("#f-status-all").check()
    page.locator("#f-language-en").check()
    english = page.locator("details[data-language='en']").count()
    assert 0 < english == drafts.evaluate_all(visible)
    first_held = page.locator("details[data-status='held']").first
    assert first_held.get_by_test_id("held-reason").count() == 1
    assert first_held.get_by_test_id("facts").count() == 1
    assert page.get_by_test_id("failed-first").count() == 1
