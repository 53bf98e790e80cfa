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
    assert "用法：" in result.output  # Click's headings in the default language (issue 11)
    english = CliRunner().invoke(cli, ["--lang", "en", *path, "--help"], obj={})
    assert english.exit_code == 0 and "Usage:" in english.output
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


@pytest.mark.parametrize("lang, expect", [
    ("zh", ["找不到文件或文件夹", "是单个文件，不是课程包", "请把 syllabus.pdf 放进一个文件夹", "不是完好的 zip 压缩包"]),
    ("en", ["no such file or folder", "is a single file, not a course package",
            "put syllabus.pdf in a folder", "is not a sound zip archive"]),
])
def test_paths_that_are_not_packages_say_why_in_the_users_language(tmp_path, monkeypatch, lang,
                                                                    expect):
    monkeypatch.setenv("REVIEWER_LANG", lang)
    single = tmp_path / "syllabus.pdf"
    single.write_bytes(b"%PDF-1.4\n")
    broken = tmp_path / "course.zip"
    broken.write_bytes(b"not a zip")
    db = tmp_path / "r.db"
    said = []
    for target in (tmp_path / "absent", single, broken):
        result = CliRunner().invoke(cli, ["scan", str(target), "--db", str(db)], obj={})
        assert result.exit_code == 2
        said.append(result.stderr if hasattr(result, "stderr") else result.output)
    text = "\n".join(said)
    for phrase in expect:
        assert phrase in text, text
