"""Every command and subcommand explains itself (``--help``), and the README
documents every top-level command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reviewer.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parent.parent


def _walk(cmd: click.Command, path: tuple[str, ...] = ()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _walk(cmd.get_command(ctx, name), path + (name,))


ALL = [p for p, _ in _walk(cli)]


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "reviewer" for p in ALL])
def test_help_exits_0_and_says_something(path):
    result = CliRunner().invoke(cli, [*path, "--help"], obj={})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    cmd = dict(_walk(cli))[path]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"


def test_the_readme_names_every_top_level_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"reviewer {name}" not in readme]
    assert missing == []


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["frobnicate"], obj={})
    assert result.exit_code == 2


def test_unknown_command_names_the_nearest_in_the_users_language(monkeypatch):
    monkeypatch.delenv("REVIEWER_LANG", raising=False)
    result = CliRunner().invoke(cli, ["scna", "x"], obj={})
    assert result.exit_code == 2
    assert "没有“scna”这个命令。您是不是要用：scan" in result.output
    result = CliRunner().invoke(cli, ["--lang", "en", "reviw"], obj={})
    assert result.exit_code == 2 and "Did you mean: review?" in result.output
    monkeypatch.setenv("REVIEWER_LANG", "en")
    result = CliRunner().invoke(cli, ["frobnicate"], obj={})
    assert result.exit_code == 2 and "No such command 'frobnicate'." in result.output
    assert "Did you mean" not in result.output
