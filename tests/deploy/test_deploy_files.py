"""The deployment files run real commands: every command line in ``deploy/Procfile`` and the
systemd units parses with the CLI's own parser, and every variable they set is a setting.

A renamed option or command, or a misspelt variable (which pydantic-settings would silently
ignore), fails here instead of on the machines.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import typer.main

# typer (0.29) carries its own copy of click: the parser the ``cadenza`` script really runs
from typer._click.exceptions import UsageError

from cadenza.cli import app
from cadenza.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _procfile() -> list[tuple[str, str]]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return [tuple(line.split(":", 1)) for line in lines  # type: ignore[misc]
            if line.strip() and not line.startswith("#")]


def _unit_values(path: Path, key: str) -> list[str]:
    return [line.split("=", 1)[1].strip() for line in path.read_text().splitlines()
            if line.startswith(f"{key}=")]


def _commands() -> list[tuple[str, str]]:
    found = [(f"Procfile {name}", command.strip()) for name, command in _procfile()]
    for unit in UNITS:
        found += [(unit.name, command) for command in _unit_values(unit, "ExecStart")]
    return found


def _parse(argv: list[str]) -> list[str]:
    """Parse ``argv`` as ``cadenza`` would, down to the command that runs; its name path."""
    command = typer.main.get_command(app)
    ctx = command.make_context("cadenza", list(argv))
    names = []
    while hasattr(command, "resolve_command"):  # a group: on to its command
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        assert rest, f"{argv}: a command group with no command"
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        names.append(name)
        ctx = sub.make_context(name, rest, parent=ctx)
        command = sub
    return names


def test_there_is_something_to_check() -> None:
    names = {name for name, _ in _procfile()}
    assert {"api", "worker", "watch"} <= names
    assert {u.name for u in UNITS} >= {"cadenza-api.service", "cadenza-worker@.service",
                                       "cadenza-watch@.service"}


@pytest.mark.parametrize(("where", "command"), _commands())
def test_every_command_is_a_real_cli_command_with_valid_options(where: str,
                                                                command: str) -> None:
    program, *argv = shlex.split(command)
    assert program == "cadenza" or program.endswith("/bin/cadenza"), where
    assert _parse(argv), where


def test_the_parser_check_catches_a_wrong_option_and_a_wrong_command() -> None:
    with pytest.raises(UsageError):
        _parse(["watch", "--mailboxes", "1"])
    with pytest.raises(UsageError):
        _parse(["watcher"])


def _known_variables() -> set[str]:
    """Every variable a Cadenza process reads: the settings' and the CLI's own."""
    prefix = Settings.model_config.get("env_prefix", "")
    names = set()
    for name, info in Settings.model_fields.items():
        names.add(f"{prefix}{name}".upper())
        alias = info.validation_alias
        for choice in getattr(alias, "choices", []):
            names.add(str(choice).upper())
    command = typer.main.get_command(app)
    for param in command.params:
        names.update(e.upper() for e in ([param.envvar] if isinstance(param.envvar, str)
                                         else param.envvar or []))
    return names


def test_every_variable_the_files_set_is_a_setting() -> None:
    known = _known_variables()
    env_file = DEPLOY / "systemd" / "cadenza.env"
    named = [line.split("=", 1)[0] for line in env_file.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    for unit in UNITS:
        for value in _unit_values(unit, "Environment"):
            named += [item.split("=", 1)[0] for item in shlex.split(value)]
        for value in _unit_values(unit, "EnvironmentFile"):
            assert value.lstrip("-") == "/etc/cadenza/cadenza.env", unit.name
    assert "CADENZA_DATABASE_URL" in named and "CADENZA_WATCH_LEASE_SECONDS" in named
    assert [n for n in named if n not in known] == []
    for line in env_file.read_text().splitlines():  # systemd takes a trailing "# …" as value
        assert line.startswith("#") or "#" not in line, line
