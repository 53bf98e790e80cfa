"""``reviewer scan`` and ``reviewer search``."""

from __future__ import annotations

import json
import sys
from itertools import groupby

import click

from reviewer import __version__
from reviewer.i18n import t
from reviewer.cli.common import (EXIT_OK, EXIT_PROBLEMS, db_option, fail, open_store, resolve_lang,
                                 write_output)
from reviewer.cli.help_catalog import HelpCommand


@click.command(cls=HelpCommand)
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(exists=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True, help="text for people, json/sarif for programs.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True),
              help="Extra rule file or folder, added to the shipped lexicons (repeatable).")
@click.option("--only-lexicon", "only_lexicons", multiple=True, type=click.Path(exists=True),
              help="Use only these rule files or folders (repeatable).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages (default zh).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Several packages: worker processes (default: every core).")
@click.option("--jsonl", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Several packages: one JSON object per package (its report inside) "
                   "to FILE, or to stdout with '-'.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Several packages: run them on this Dask scheduler (tcp://host:8786).")
@db_option
def scan(paths: tuple[str, ...], fmt: str, lexicons: tuple[str, ...],
         only_lexicons: tuple[str, ...], lang: str | None, out: str | None, jobs: int | None,
         jsonl: str | None, cluster: str | None, db_path: str | None) -> None:
    """Ingest the course package at PATH (folder or .zip) and run every check.

    Several PATHs, or a folder whose subfolders (with course.yaml) and zips are
    packages, are scanned side by side, one worker per core (--jobs), with one
    progress display and a summary table; --jsonl gives programs one line per
    package.

    Exit status: 0 when no finding has severity error, 1 when one does, 2 when
    PATH can't be read as a package or the arguments are wrong; for several
    packages, the worst of theirs.
    """
    from reviewer.service.found import expand_paths

    packages = expand_paths(paths)
    if len(paths) == 1 and packages == [paths[0]] and not (jsonl or cluster):
        _scan_one(paths[0], fmt, lexicons, only_lexicons, lang, out, db_path)
        return
    from reviewer.cli.batch import scan_many

    if fmt != "text" or out:
        fail(t("cli.scan.several_formats", resolve_lang(lang)))
    if not packages:
        fail(t("cli.scan.no_packages", resolve_lang(lang), paths=", ".join(paths)))
    scan_many(packages, lexicons=lexicons, only_lexicons=only_lexicons,
              lang=resolve_lang(lang), db_path=db_path, jobs=jobs, jsonl=jsonl, cluster=cluster)


def _scan_one(path: str, fmt: str, lexicons: tuple[str, ...], only_lexicons: tuple[str, ...],
              lang: str | None, out: str | None, db_path: str | None) -> None:
    from reviewer.i18n import error_text
    from reviewer.service.scan import ScanError, scan as run_scan

    lang = resolve_lang(lang)
    db = open_store(db_path)
    progress = _progress_printer(lang) if fmt == "text" and sys.stderr.isatty() else None
    try:
        outcome = run_scan(db, path, lexicons=lexicons, only_lexicons=only_lexicons or None,
                           on_progress=progress, lang=lang)
    except ScanError as exc:
        fail(error_text(exc, lang))
    for err in outcome.rule_errors:
        click.echo(f"reviewer: {t('cli.scan.rule_skipped', lang, error=err)}", err=True)
    if outcome.continued is not None and outcome.continued.linked_now:
        click.echo(f"reviewer: {outcome.continued.text(lang)}", err=True)
    text = _render(outcome, fmt, lang, db)
    if out:
        write_output(out, text)
    elif fmt == "text":
        sys.stdout.write(text)
    else:
        click.echo(text)
    has_error = any(f.severity == "error" for f in outcome.findings)
    sys.exit(EXIT_PROBLEMS if has_error else EXIT_OK)


def _progress_printer(lang: str):
    stages = {stage: t(f"cli.scan.stage.{stage}", lang) for stage in ("ingest", "checks")}

    def show(p) -> None:
        label = p.label[-50:]
        click.echo(f"\r\x1b[2K{stages.get(p.stage, p.stage)} {p.done}/{p.total} {label}", err=True,
                   nl=False)
        if p.stage == "checks" and p.done == p.total:
            click.echo("\r\x1b[2K", err=True, nl=False)

    return show


def _render(outcome, fmt: str, lang: str, db) -> str:
    from reviewer.service.api import report_dict, sarif_dict

    if fmt == "json":
        doc = report_dict(outcome.package, outcome.findings, outcome.coverage,
                          version=__version__, lang=lang)
        return json.dumps(doc, ensure_ascii=False, indent=2)
    if fmt == "sarif":
        doc = sarif_dict(outcome.package, outcome.findings, version=__version__, lang=lang,
                         dispositions=_dispositions(db, outcome))
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return render_text(outcome, lang)


def _dispositions(db, outcome) -> dict[str, tuple[str, str]]:
    """Dispositions recorded in the review of this package version, if any."""
    from reviewer.service.review import dispositions_for

    return dispositions_for(db, outcome.package_id, outcome.package.digest)


def render_text(outcome, lang: str, tty: bool | None = None) -> str:
    """Findings grouped by check and severity, context with the match highlighted.

    On a terminal (``tty``, default: whether stdout is one) rich wraps the lines to its width
    and colours them; into a file or pipe each line is written whole and plain, as rich
    writes it there (:func:`plain_lines`), without importing rich (~40 ms of a re-scan).
    """
    tty = sys.stdout.isatty() if tty is None else tty
    lines = list(_text_lines(outcome, lang))
    return rich_lines(lines, terminal=True) if tty else plain_lines(lines)


def rich_lines(lines, terminal: bool) -> str:
    """``lines`` through rich: on a ``terminal``, styled and wrapped to its width; else
    soft-wrapped (one line each, whole) and unstyled, what :func:`plain_lines` writes."""
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buf = StringIO()
    console = Console(file=buf, force_terminal=terminal, highlight=False, soft_wrap=not terminal,
                      width=None if terminal else 10_000)
    if terminal:
        console.width = Console().width
    for parts in lines:
        text = Text()
        for piece, style in parts:
            text.append(piece, style=style)
        console.print(text)
    return buf.getvalue()


#: What a line of the text report is made of: ``(text, rich style)`` pieces.
Line = list[tuple[str, str]]


def _text_lines(outcome, lang: str):
    """The lines of the text report, as :data:`Line`\\ s."""
    from reviewer.service.api import severity_counts

    colours = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    findings = sorted(outcome.findings, key=lambda f: (f.check, f.sort_key()))
    for check, group in groupby(findings, key=lambda f: f.check):
        yield [(f"■ {t('check.' + check, lang)} ({check})", "bold")]
        for sev, items in groupby(group, key=lambda f: f.severity):
            items = list(items)
            yield [(f"  {t('severity.' + sev, lang)} × {len(items)}", colours.get(sev, ""))]
            for f in items:
                where = f.file or "—"
                if f.locator is not None and f.locator.kind != "file":
                    where += " · " + f.location_label(lang)
                yield [("    ", ""), (where, "blue"), (f"  [{f.rule}] {f.msg(lang)}", "")]
                if f.context:
                    start, end = f.context_start, f.context_start + len(f.match)
                    yield [("      ", ""), (f.context[:start], "dim"),
                           (f.context[start:end], "reverse " + colours.get(sev, "")),
                           (f.context[end:], "dim")]
    counts = severity_counts(outcome.findings)
    if not outcome.findings:
        yield [(t("scan.no_findings", lang), "")]
    cov = outcome.coverage
    if cov is not None and cov.topics:
        covered = sum(1 for topic in cov.topics if topic.covered)
        yield [(t("scan.coverage", lang, covered=covered, total=len(cov.topics),
                  ratio=f"{cov.ratio:.0%}"), "")]
    yield [(t("scan.summary", lang, package=outcome.package.title,
              files=len(outcome.package.files), errors=counts["error"],
              warnings=counts["warning"], infos=counts["info"]), "bold")]
    yield [(f"digest {outcome.package.digest}", "dim")]


#: The control codes rich leaves out of a text (bell, backspace, vertical tab, form feed, CR).
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


def plain_lines(lines) -> str:
    """``lines`` as rich prints them, soft-wrapped and unstyled, into a file or pipe: the
    pieces joined without the control codes it strips, each tab widened to the next multiple
    of 8 cells (East Asian wide characters count two), one ``\\n`` after each."""
    out = []
    for parts in lines:
        text = "".join(piece for piece, _ in parts).translate(_STRIPPED)
        if "\t" in text:
            text = "\n".join(_expand_tabs(row) for row in text.split("\n"))
        out.append(text + "\n")
    return "".join(out)


def _expand_tabs(row: str, size: int = 8) -> str:
    from rich.cells import cell_len

    out, column = [], 0
    for part in row.split("\t")[:-1]:
        column += cell_len(part) + 1
        pad = -column % size
        out.append(part + " " * (1 + pad))
        column += pad
    out.append(row.rsplit("\t", 1)[-1])
    return "".join(out)


@click.command(cls=HelpCommand)
@click.argument("path", type=click.Path())
@click.argument("query")
@click.option("--limit", default=50, show_default=True, help="Most hits to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages (default zh).")
@db_option
def search(path: str, query: str, limit: int, fmt: str, lang: str | None,
           db_path: str | None) -> None:
    """Full-text search of the scanned package at PATH (Chinese works: trigram index).

    Lists each hit with its file and page, slide, timestamp or line.
    """
    from reviewer.service.api import snippet
    from reviewer.i18n import error_text
    from reviewer.service.scan import ScanError, search as run_search

    lang = resolve_lang(lang)
    db = open_store(db_path)
    try:
        hits = run_search(db, path, query, limit)
    except ScanError as exc:
        fail(error_text(exc, lang))
    size = len(query.strip())  # the service searches for the stripped query

    def context(seg, off: int) -> str:
        return snippet(seg.text, max(off, 0), max(off, 0) + size)[0]

    if fmt == "json":
        click.echo(json.dumps([
            {"file": seg.file, "location": seg.locator.to_dict(), "context": context(seg, off)}
            for seg, off in hits
        ], ensure_ascii=False, indent=2))
        return
    for seg, off in hits:
        click.echo(f"{seg.file}\t{seg.locator.label(lang)}\t{context(seg, off)}")
    click.echo(t("cli.scan.hits", lang, n=len(hits)), err=True)
