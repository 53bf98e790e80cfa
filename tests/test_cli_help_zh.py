"""The CLI's own help speaks the interface language (issue 11, item 4): with ``--lang zh``
(the default) every command's description, every option's help, the command lists and
the placeholders come from ``reviewer/i18n/cli_help.yaml``; with ``--lang en`` the
docstrings and ``help=`` texts stand, as before.  The catalog covers the whole command
tree, so a new command or option cannot ship with English help only."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reviewer.cli import COMMANDS, cli
from reviewer.cli.click_lang import catalog as click_catalog
from reviewer.cli.help_catalog import (ROOT, CatalogHelp, catalog, english_metavar, param_key,
                                       width)
from tests.test_cli_help import _walk  # the whole command tree, groups included
from tests.test_cli_usage_errors_zh import english_lines

REPO = Path(__file__).resolve().parent.parent
ENTRY_KEYS = {"short", "help", "options", "arguments"}


TREE = dict(_walk(cli))
PATHS = list(TREE)
IDS = [" ".join(p) or ROOT for p in PATHS]


def _key(path: tuple[str, ...]) -> str:
    return " ".join(path) or ROOT


def _documented(cmd: click.Command) -> dict[str, dict[str, click.Parameter]]:
    """The parameters whose help the catalog must hold: every option and argument with
    help, but Click's own (--version: its text is Click's, translated by click.yaml)."""
    own = click_catalog()
    found: dict[str, dict[str, click.Parameter]] = {"options": {}, "arguments": {}}
    for param in cmd.params:
        text = getattr(param, "help", None)
        if text and text not in own:
            section = "options" if isinstance(param, click.Option) else "arguments"
            found[section][param_key(param)] = param
    return found


def catalog_problems(tree: dict[tuple[str, ...], click.Command], commands: dict) -> list[str]:
    """What the catalog lacks for ``tree``, and what it holds for nothing in it."""
    problems = []
    keys = {_key(p) for p in tree}
    problems += [f"stale: {k}" for k in sorted(set(commands) - keys)]
    for path, cmd in tree.items():
        key = _key(path)
        entry = commands.get(key)
        if entry is None:
            problems.append(f"missing: {key}")
            continue
        problems += [f"unknown field: {key}: {f}" for f in sorted(set(entry) - ENTRY_KEYS)]
        if not str(entry.get("help") or "").strip():
            problems.append(f"missing: {key}: help")
        if path and not str(entry.get("short") or "").strip():
            problems.append(f"missing: {key}: short")
        for section, params in _documented(cmd).items():
            have = set(entry.get(section) or {})
            problems += [f"missing: {key}: {section}: {n}" for n in sorted(set(params) - have)]
            problems += [f"stale: {key}: {section}: {n}" for n in sorted(have - set(params))]
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], obj={})
    assert result.exit_code == 0, result.output
    return result.output


# ---------------------------------------------------------------- (a) coverage

def test_the_catalog_covers_every_command_and_option_and_nothing_else():
    assert catalog_problems(TREE, catalog()["commands"]) == []
    documented = sum(len(p) for c in TREE.values() for p in _documented(c).values())
    assert len(TREE) == 42 and documented >= 85, (len(TREE), documented)


def test_the_coverage_check_fails_for_an_option_or_command_without_chinese():
    commands = catalog()["commands"]
    scan = TREE[("scan",)]
    grown = click.Command("scan", help=scan.help, params=[
        *scan.params, click.Option(["--new-thing"], help="A new option."),
        click.Option(["--quiet"])])  # no help: nothing to translate
    tree = {**TREE, ("scan",): grown, ("extra",): click.Command("extra", help="New.")}
    assert catalog_problems(tree, commands) == ["missing: scan: options: new-thing",
                                                "missing: extra"]
    assert "stale: trust add" in catalog_problems({(): cli}, commands)


def test_every_option_explains_itself():
    """An option without help= shows a bare --flag in either language, and the catalog
    (which mirrors help=) would not ask for its Chinese."""
    bare = [f"{_key(p)}: {param_key(o)}" for p, c in TREE.items() for o in c.params
            if isinstance(o, click.Option) and not (o.help or "").strip()]
    assert bare == []


def test_every_command_shows_its_help_from_the_catalog():
    plain = [_key(p) for p, c in TREE.items() if not isinstance(c, CatalogHelp)]
    assert plain == []  # cls=HelpCommand / HelpGroup, or a group's command_class


def test_every_placeholder_an_option_shows_has_chinese():
    metavars = catalog()["metavars"]
    missing = set()
    for path, cmd in TREE.items():
        ctx = click.Context(cmd)
        for param in cmd.params:
            if isinstance(param, click.Option) and not (param.is_flag or param.count):
                shown = english_metavar(param, ctx)
                if not shown.startswith("[") and shown not in metavars:  # [a|b]: the values
                    missing.add(shown)
        missing |= {m for m in (cmd.options_metavar, getattr(cmd, "subcommand_metavar", None))
                    if m and m not in metavars}
    assert missing == set()


# ---------------------------------------------------------------- (b) Chinese help

@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_help_is_chinese(path):
    out = _help(["--lang", "zh", *path])
    entry = catalog()["commands"][_key(path)]
    assert english_lines(out) == [], out
    assert _squash(entry["help"]) in _squash(out), out
    for text in (entry.get("options") or {}).values():
        assert _squash(text) in _squash(out), (text, out)
    cmd = TREE[path]
    if isinstance(cmd, click.Group):  # the command list: the subcommands' short help
        for name in cmd.list_commands(click.Context(cmd)):
            short = catalog()["commands"][_key(path + (name,))]["short"]
            assert _squash(short) in _squash(out), (name, out)
    assert out.startswith("用法：") and "选项：" in out and "[选项]" in out


@pytest.mark.parametrize("path", [(), ("scan",), ("review", "answer"), ("review", "team"),
                                  ("trust", "add"), ("keys", "new")], ids=_key)
def test_chinese_is_the_default(path, monkeypatch):
    monkeypatch.delenv("REVIEWER_LANG", raising=False)
    out = _help(list(path))
    assert english_lines(out) == [], out
    assert _squash(catalog()["commands"][_key(path)]["help"]) in _squash(out)


def test_the_command_list_and_placeholders_are_chinese():
    out = _help([])
    assert "scan         读取课程包并运行全部检查。" in out
    assert "--db 文件       保存审查状态的 SQLite 文件" in out
    assert "--version       显示版本并退出。" in out
    # [命令] since Click 8.5 (the root runs without a command too)
    assert re.match(r"用法：\S+ \[选项\] \[?命令\]? \[参数\]\.\.\.", out), out
    out = _help(["scan"])
    assert "-j, --jobs 整数" in out and "--out 文件 " in out and "--cluster 地址" in out
    assert "[默认：text]" in out and "[x>=1]" in out
    assert " trust [选项] 命令 [参数]...\n" in _help(["trust"])
    assert "--out 文件夹 " in _help(["keys", "new"])


@pytest.mark.parametrize("path", [(), ("scan",), ("review", "answer"), ("sign",), ("keys", "new"),
                                  ("report",)], ids=_key)
def test_chinese_help_fits_the_terminal_and_keeps_its_columns(path):
    """Laid out by display width (a Chinese character takes two columns): Click's own
    layout counts characters and would run twice as wide."""
    out = _help(["--lang", "zh", *path])
    assert max(width(line) for line in out.splitlines()) <= 80, out
    starts = set()
    for line in out.splitlines():
        m = re.match(r"  (-\S.*?\S)  +(\S)", line)
        if m and not line.startswith("   "):
            starts.add(width(line[:m.start(2)]))
    assert len(starts) == 1, out  # each option's text in one column


def test_reviewer_help_imports_no_command_module():
    code = ("import sys\nfrom reviewer.cli import cli\n"
            "try:\n    cli.main(['--lang', 'zh', '--help'], prog_name='reviewer')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('reviewer.cli.')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert "读取课程包并运行全部检查。" in run.stdout
    loaded = eval(run.stdout.strip().splitlines()[-1])  # noqa: S307 - our own output
    assert loaded == ["reviewer.cli.click_lang", "reviewer.cli.help_catalog"]


# ---------------------------------------------------------------- (c) English as before

def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n") if p.strip()]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_english_help_is_the_docstrings(path):
    _help(["--lang", "zh", *path])  # Chinese first, in the same process
    out = _help(["--lang", "en", *path])
    flat = " ".join(out.split())
    cmd = TREE[path]
    assert out.startswith("Usage: ") and "Options:" in out and "[OPTIONS]" in out
    for paragraph in _paragraphs(cmd.help):
        assert paragraph in flat, (paragraph, out)
    for params in _documented(cmd).values():
        for param in params.values():
            assert " ".join(param.help.split()) in flat, (param.help, out)
    assert "Show this message and exit." in out and "显示本帮助" not in out
    zh = catalog()["commands"][_key(path)]
    assert _squash(zh["help"]) not in _squash(out)


def test_english_command_list_and_placeholders_are_clicks():
    _help(["--lang", "zh", "scan"])
    out = _help(["--lang", "en"])
    for name, (_, short) in COMMANDS.items():
        assert re.search(rf"^  {name} +{re.escape(short)}$", out, re.M), name
    out = _help(["--lang", "en", "scan"])
    assert "-j, --jobs INTEGER RANGE" in out and "--out FILE " in out and "[default: text]" in out
    assert "--out DIRECTORY " in _help(["--lang", "en", "keys", "new"])


def test_a_paths_placeholder_is_english_whatever_language_it_was_made_in():
    option = click.Option(["--out"], type=click.Path(dir_okay=False))
    option.type.name = "文件"  # Click names a path type when it is made: here, in Chinese
    assert english_metavar(option, click.Context(click.Command("x"))) == "FILE"


def test_the_shared_commands_are_left_as_they_are():
    scan = TREE[("scan",)]
    before = [(getattr(p, "help", None), p.metavar) for p in scan.params]
    _help(["--lang", "zh", "scan"])
    assert [(getattr(p, "help", None), p.metavar) for p in scan.params] == before
    assert scan.help.startswith("Ingest the course package at PATH")


# ---------------------------------------------------------------- (d) placeholders kept

#: options, $VARIABLES, `commands`, file names and upper-case placeholders (PATH, REC …)
TOKEN = re.compile(r"--[a-z][a-z0-9-]*|\$[A-Z_]+|`[^`]+`|\b[\w*]+\.(?:key|pub|yaml|zip|pdf)\b"
                   r"|\B\.zip\b|\b[A-Z][A-Z0-9_]+\b")
#: English words the Chinese may put in Chinese
TRANSLATED = {"UI"}  # "terminal UI": 终端界面


def _tokens(text: str) -> set[str]:
    return set(TOKEN.findall(text))


def _pairs():
    """(where, English, Chinese, what the Chinese may leave out) for every catalog text."""
    commands = catalog()["commands"]
    for path, cmd in TREE.items():
        entry = commands.get(_key(path)) or {}  # a missing one: the coverage test says so
        yield _key(path), cmd.help, entry.get("help", ""), TRANSLATED
        if len(path) == 1:
            yield f"{path[0]} (short)", COMMANDS[path[0]][1], entry.get("short", ""), TRANSLATED
        ctx = click.Context(cmd)
        for section, params in _documented(cmd).items():
            for name, param in params.items():
                # the option's own value placeholder (--jsonl FILE) is shown in Chinese
                own = {english_metavar(param, ctx)} if section == "options" else set()
                chinese = (entry.get(section) or {}).get(name, "")
                yield f"{_key(path)} {name}", param.help, chinese, TRANSLATED | own


@pytest.mark.parametrize("where, english, chinese, may_drop", list(_pairs()),
                         ids=[p[0] for p in _pairs()])
def test_chinese_keeps_the_placeholders_and_options(where, english, chinese, may_drop):
    assert _tokens(english) - _tokens(chinese) - may_drop == set()
    options = {t for t in _tokens(english) | _tokens(chinese) if t.startswith(("--", "$"))}
    assert {t for t in options if t in _tokens(chinese)} == {t for t in options
                                                             if t in _tokens(english)}
    assert re.search(r"[\u3400-\u9fff]", chinese), chinese  # translated, not copied
    assert english_lines(chinese) == []


def test_the_token_check_sees_a_lost_placeholder():
    assert _tokens("Write FILE.yaml for PATH (--out, $REVIEWER_DB, `reviewer x`).") == {
        "FILE.yaml", "PATH", "--out", "$REVIEWER_DB", "`reviewer x`"}
    lost = _tokens("Answer ITEM with --comment") - _tokens("回答检查项（--comment）")
    assert lost == {"ITEM"}
