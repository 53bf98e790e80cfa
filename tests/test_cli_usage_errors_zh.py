"""Click's own usage errors speak the interface language (issue 11, item 4): with
``--lang zh`` (the default) no line on stderr is an English sentence; with ``--lang en``
Click's English stands.  Walks every command: a missing argument, an unknown option
and (where there is one) a bad choice."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.cli.click_lang import catalog, lang_from_args
from tests.english import english_lines


def _walk(cmd: click.Command, path: tuple[str, ...] = ()):
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _walk(cmd.get_command(ctx, name), path + (name,))
    else:
        yield path, cmd


LEAVES = list(_walk(cli))
REQUIRED = [(p, c) for p, c in LEAVES if any(getattr(x, "required", False) for x in c.params)]


def _errors(args: list[str], monkeypatch, tmp_path) -> str:
    monkeypatch.setenv("REVIEWER_DB", str(tmp_path / "state.db"))
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 2, (args, result.output)
    return result.output


@pytest.mark.parametrize("path", [p for p, _ in REQUIRED], ids=[" ".join(p) for p, _ in REQUIRED])
def test_a_missing_argument_is_said_in_chinese(path, monkeypatch, tmp_path):
    out = _errors(["--lang", "zh", *path], monkeypatch, tmp_path)
    assert "用法：" in out and "错误：" in out and english_lines(out) == [], out


@pytest.mark.parametrize("path", [p for p, _ in LEAVES], ids=[" ".join(p) for p, _ in LEAVES])
def test_an_unknown_option_is_said_in_chinese(path, monkeypatch, tmp_path):
    out = _errors([*path, "--no-such-option"], monkeypatch, tmp_path)  # zh: the default
    assert "没有 '--no-such-option' 这个选项" in out and english_lines(out) == [], out


def test_a_bad_choice_and_a_bad_number_are_said_in_chinese(monkeypatch, tmp_path):
    out = _errors(["review", "answer", "x", "P1", "maybe"], monkeypatch, tmp_path)
    assert "不在可选值" in out and english_lines(out) == [], out
    out = _errors(["scan", "--jobs", "many", "x"], monkeypatch, tmp_path)
    assert "不是有效的数值" in out and english_lines(out) == [], out


def test_english_is_clicks_own(monkeypatch, tmp_path):
    out = _errors(["--lang", "en", "scan"], monkeypatch, tmp_path)
    assert "Usage:" in out and "Error: Missing argument 'PATH...'." in out
    monkeypatch.setenv("REVIEWER_LANG", "en")
    assert "No such option" in _errors(["scan", "--bogus"], monkeypatch, tmp_path)


def test_the_checker_sees_english():
    assert english_lines("Error: Missing argument 'PATH'.") == ["Error: Missing argument 'PATH'."]
    assert english_lines("错误：缺少参数 'PATH'.") == []


def test_the_language_is_read_before_click_parses():
    assert lang_from_args(["scan", "--lang", "en"], None) == "en"
    assert lang_from_args(["--lang=en", "scan"], "zh") == "en"
    assert lang_from_args(["scan", "--", "--lang", "en"], None) == "zh"
    assert lang_from_args(["scan"], "en") == "en"


def test_every_catalog_entry_keeps_its_placeholders():
    for english, chinese in catalog().items():
        assert set(re.findall(r"\{\w+(?:![rs])?\}|%\(\w+\)s", english)) == \
            set(re.findall(r"\{\w+(?:![rs])?\}|%\(\w+\)s", chinese)), english
