"""``reviewer lexicon``: import word lists, test and check rule files (room: cli).

A thin shell over :mod:`reviewer.service.lexicons` and
:mod:`reviewer.checks.lexicon`.  stdout carries the command's output (the
generated rule file, test results, matches); warnings go to stderr.
Exit status: 0 fine, 1 a failing rule file or test, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from reviewer.cli.common import EXIT_PROBLEMS, fail, resolve_lang, write_output
from reviewer.cli.help_catalog import HelpGroup


def _t(key: str, **values: Any) -> str:
    """This group's strings (``cli.lexicon.<key>`` in the catalogs), in the language asked for."""
    from reviewer.i18n import t

    return t(f"cli.lexicon.{key}", resolve_lang(), **values)


@click.group("lexicon", cls=HelpGroup)
def lexicon() -> None:
    """Import, test and check lexicon rule files (lexicons/*.yaml)."""


@lexicon.command("import")
@click.argument("wordlist", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "rule_id", required=True, help="Id of the new rule file (a-z, 0-9, . _ -).")
@click.option("--category", required=True, help="Category of its findings (e.g. political).")
@click.option("--severity", required=True, type=click.Choice(["error", "warning", "info"]),
              help="Severity of its findings.")
@click.option("--name", default=None, help="Display name (default: the id).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the rule file here (default: stdout).")
@click.option("--keep-common", is_flag=True,
              help="Keep entries that would flood ordinary text (single characters, common words).")
def import_(wordlist: Path, rule_id: str, category: str, severity: str, name: str | None,
            out: Path | None, keep_common: bool) -> None:
    """Turn a one-term-per-line word list (UTF-8 or GBK) into a rule file."""
    import re

    from reviewer.service.api import DecodeError, RuleFileError
    from reviewer.service.lexicons import LEFT_OUT_REASONS, import_wordlist

    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", rule_id):
        fail(_t("bad_id", id=repr(rule_id)))
    try:
        result = import_wordlist(wordlist.read_bytes(), rule_id=rule_id, category=category,
                                 severity=severity, name=name, keep_common=keep_common,
                                 source=wordlist.name)
    except DecodeError as exc:
        fail(f"{wordlist}: {exc}")
    except (RuleFileError, OSError) as exc:
        fail(str(exc))
    lang = resolve_lang()
    if result.flooding:
        verb = _t("kept_common" if keep_common else "left_out_common")
        click.echo(_t("flooding", n=len(result.flooding), verb=verb), err=True)
        for entry, reason in result.flooding:
            click.echo(f"  {entry}\t{LEFT_OUT_REASONS[reason][lang]}", err=True)
    other = [(e, r) for e, r in result.left_out if r in ("empty", "duplicate")]
    if other:
        click.echo(_t("left_out_other", n=len(other)), err=True)
    if not result.kept:
        fail(_t("no_entries"), code=EXIT_PROBLEMS)
    if out is None:
        click.echo(result.text, nl=False)
    else:
        write_output(out, result.text)
        click.echo(_t("wrote", out=out, n=len(result.kept), encoding=result.encoding), err=True)


@lexicon.command("test")
@click.argument("rulefile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("text", required=False)
def test(rulefile: Path, text: str | None) -> None:
    """Run a rule file's embedded tests, or show what it matches in TEXT."""
    from reviewer.service.api import Lexicon, RuleFileError, example_segment, run_embedded_tests
    from reviewer.service.lexicons import load_rule_file

    try:
        parsed = load_rule_file(rulefile, use_cache=False, run_tests=False)
    except RuleFileError as exc:
        fail(str(exc), code=EXIT_PROBLEMS)
    rules = parsed.rules
    if not isinstance(rules, Lexicon):
        fail(_t("not_terms", file=rulefile, kind=repr(parsed.kind)))
    if text is not None:
        _show_matches(rules, example_segment(text))
        return
    failures = run_embedded_tests(rules)
    total = len(rules.tests["match"]) + len(rules.tests["no_match"])
    for line in failures:
        click.echo(f"FAIL {line}")
    if failures:
        click.echo(_t("tests_failed", file=rulefile, n=len(failures), total=total))
        sys.exit(EXIT_PROBLEMS)
    click.echo(_t("tests_passed", file=rulefile, total=total))


def _show_matches(rules, segment) -> None:
    hits = rules.find([segment])
    if not hits:
        click.echo(_t("no_match"))
        return
    marked, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < pos:
            continue
        marked.append(segment.text[pos:hit.start])
        marked.append(click.style(f"[{hit.text}]", bold=True, fg="red"))
        pos = hit.end
    marked.append(segment.text[pos:])
    click.echo("".join(marked))
    for hit in hits:
        click.echo(f"{hit.start}-{hit.end}\t{hit.severity}\t{hit.category}\t{hit.term}\t{hit.text!r}")


@lexicon.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate every rule file and run every embedded test (default: the shipped lexicons)."""
    from reviewer.paths import lexicons_dir
    from reviewer.service.lexicons import load_rule_files

    # The paths stand alone (the shipped files are the default, not a base to replace):
    # one id in two files is an error, the same file named twice is read once.
    loaded, errors = load_rule_files(paths or [lexicons_dir()], include_shipped=False,
                                     use_cache=False)
    for parsed in loaded:
        click.echo(f"ok\t{parsed.source}\t{parsed.id}\t{parsed.kind}")
    for exc in errors:
        click.echo(f"FAIL\t{exc}")
    if not loaded and not errors:
        fail(_t("no_rule_files"))
    ok = len(loaded)
    click.echo(_t("checked", ok=ok, failed=len(errors)), err=True)
    if errors:
        sys.exit(EXIT_PROBLEMS)
