"""`cadenza workspace list | show | set` (#11 item 1): the policy without SQL, validated."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_policy_set_show_and_refusals() -> None:
    assert _invoke("init", "--workspace", "acme")[0] == 0
    shown = json.loads(_invoke("workspace", "show", "acme", "--json")[1])
    assert shown["policy"]["approval"] == {"mode": "first_n", "first_n": 20}
    for key, value in (("approval.mode", "always"), ("hold_countries", "de, at"),
                       ("domain_daily_cap", "5"), ("gdpr_notice", "yes"),
                       ("timezone", "Europe/Berlin")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 0, out
    policy = json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"]
    assert policy["approval"]["mode"] == "always"
    assert policy["hold_countries"] == ["DE", "AT"]
    assert (policy["domain_daily_cap"], policy["gdpr_notice"]) == (5, True)
    assert policy["timezone"] == "Europe/Berlin"
    for key, value, says in (("approval.mode", "sometimes", "approval.mode"),
                             ("domain_daily_cap", "0", "domain_daily_cap"),
                             ("domain_daily_cap", "many", "whole number"),
                             ("timezone", "Mars/Olympus", "IANA"),
                             ("nonsense", "1", "unknown key")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 2 and says in out, (key, value, out)
    # the refusals stored nothing
    assert json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"] == policy
    listed = json.loads(_invoke("workspace", "list", "--json")[1])
    assert [w["slug"] for w in listed] == ["acme"]


def test_a_workspace_sets_its_own_address_and_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """`public_base_url` and `classify_threshold` override the process's settings for one
    workspace; empty puts it back; in production the address must be public https, as
    CADENZA_PUBLIC_BASE_URL must."""
    assert _invoke("init", "--workspace", "acme")[0] == 0
    for key, value in (("public_base_url", "https://sdr.acme.example"),
                       ("classify_threshold", "0.8")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 0, out
    policy = json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"]
    assert (policy["public_base_url"], policy["classify_threshold"]) == (
        "https://sdr.acme.example", 0.8)
    for key, value, says in (("public_base_url", "sdr.acme.example", "http(s) URL"),
                             ("classify_threshold", "high", "number from 0 to 1"),
                             ("classify_threshold", "2", "classify_threshold")):
        code, out = _invoke("workspace", "set", key, value, "-w", "acme")
        assert code == 2 and says in out, (key, value, out)
    monkeypatch.setenv("CADENZA_ENVIRONMENT", "production")
    for value in ("http://sdr.acme.example", "https://127.0.0.1:8443", "https://10.0.0.5"):
        code, out = _invoke("workspace", "set", "public_base_url", value, "-w", "acme")
        assert code == 2 and "public https address in production" in " ".join(out.split()), out
    assert _invoke("workspace", "set", "public_base_url", "https://sdr2.acme.example",
                   "-w", "acme")[0] == 0
    monkeypatch.delenv("CADENZA_ENVIRONMENT")
    for key in ("public_base_url", "classify_threshold"):
        assert _invoke("workspace", "set", key, "", "-w", "acme")[0] == 0
    policy = json.loads(_invoke("workspace", "show", "acme", "--json")[1])["policy"]
    assert (policy["public_base_url"], policy["classify_threshold"]) == (None, None)
