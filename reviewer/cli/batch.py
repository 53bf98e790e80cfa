"""``reviewer scan PATH...`` for several packages: one progress display, a summary
table, JSON Lines for programs (a thin shell over :mod:`reviewer.service.batch`).

stdout carries the summary table, or the JSON Lines with ``--jsonl -`` (the
table then goes to stderr); the progress display is drawn on stderr when it
is a terminal.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import IO

import click

from reviewer.cli.common import fail, fail_error, open_store
from reviewer.i18n import os_reason, t


def scan_many(paths: list[str], *, lexicons: tuple[str, ...], only_lexicons: tuple[str, ...],
              lang: str, db_path: str | None, jobs: int | None, jsonl: str | None,
              cluster: str | None) -> None:
    """Scan ``paths`` side by side and exit with the worst package's status."""
    from rich.console import Console

    from reviewer.service.batch import BatchError, scan_batch
    from reviewer.service.scan import ScanCancelled

    db = open_store(db_path)
    table_to = sys.stderr if jsonl == "-" else sys.stdout
    with ExitStack() as stack:
        sink: IO[str] | None = None
        if jsonl == "-":
            sink = sys.stdout
        elif jsonl:
            try:
                sink = stack.enter_context(open(jsonl, "w", encoding="utf-8"))
            except OSError as exc:
                fail(t("errors.file.unwritable", lang, path=jsonl, reason=os_reason(exc, lang)))
        err = Console(file=sys.stderr, highlight=False)
        display = _Display(err, len(paths), lang) if sys.stderr.isatty() else None
        if display is not None:
            stack.enter_context(display)

        def on_event(event) -> None:
            if display is not None:
                display.update(event)
            if event.kind != "done":
                return
            result = event.result
            if sink is not None:
                sink.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                sink.flush()
            for msg in result.rule_errors:
                click.echo(f"reviewer: {result.path}: {t('cli.scan.rule_skipped', lang, error=msg)}",
                           err=True)
            if result.status != "ok":
                click.echo(f"reviewer: {result.path}: {result.said or result.message}", err=True)

        try:
            outcome = scan_batch(db, paths, on_progress=on_event, jobs=jobs, cluster=cluster,
                                 lexicons=lexicons, only_lexicons=only_lexicons or None,
                                 lang=lang, report=sink is not None)
        except BatchError as exc:
            fail_error(exc)
        except (ScanCancelled, KeyboardInterrupt):
            fail(t("cli.scan.interrupted", lang), code=130)
    _summary(table_to, outcome, lang)
    sys.exit(outcome.exit_code)


class _Display:
    """One rich progress display for the whole batch: a bar for the packages and
    one line per package being scanned (its stage and file)."""

    def __init__(self, console, total: int, lang: str):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                 transient=True)
        self.overall = self.progress.add_task(t("batch.progress", lang), total=total)
        self.rows: dict[int, int] = {}

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def update(self, event) -> None:
        name = event.path[-40:]
        if event.kind == "done":
            row = self.rows.pop(event.index, None)
            if row is not None:
                self.progress.remove_task(row)
            self.progress.update(self.overall, completed=event.finished)
            return
        row = self.rows.get(event.index)
        if row is None:
            row = self.rows[event.index] = self.progress.add_task(f"  {name}", total=None)
        if event.kind == "step" and event.total:
            self.progress.update(row, total=event.total, completed=event.done,
                                 description=f"  {name} · {event.stage} {event.label[-30:]}")


def _summary(out: IO[str], outcome, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


    tty = out.isatty()
    console = Console(file=out, force_terminal=tty, highlight=False,
                      width=None if tty else 160)
    table = Table(show_edge=False, pad_edge=False)
    for key, justify in (("index", "right"), ("package", "left"), ("status", "left"),
                         ("files", "right"), ("errors", "right"), ("warnings", "right"),
                         ("infos", "right"), ("seconds", "right")):
        table.add_column(t(f"batch.column.{key}", lang), justify=justify,
                         overflow="fold" if key == "package" else "ellipsis")
    colours = {"ok": "", "error": "red", "failed": "bold red"}
    for r in outcome.results:
        name = f"{r.title}  {r.path}" if r.title else r.path
        table.add_row(str(r.index + 1), name,
                      Text(t(f"batch.status.{r.status}", lang), style=colours.get(r.status, "")),
                      str(r.files), Text(str(r.errors), style="red" if r.errors else ""),
                      str(r.warnings), str(r.infos), f"{r.seconds:.2f}")
    console.print(table)
    done = sum(1 for r in outcome.results if r.status == "ok")
    rate = len(outcome.results) / outcome.seconds if outcome.seconds else 0.0
    console.print(Text(t("batch.total", lang, packages=len(outcome.results),
                         seconds=f"{outcome.seconds:.1f}", rate=f"{rate:.1f}",
                         engine=outcome.engine, jobs=outcome.jobs, ok=done,
                         bad=len(outcome.results) - done), style="bold"))
