"""``reviewer`` (no command) and ``reviewer open PATH``: launch the terminal UI.

Room: cli.  Both build the app with :func:`reviewer.tui.app.create_app`, the
same factory the tests use.
"""

from __future__ import annotations

from pathlib import Path

import click

from reviewer.cli.common import db_option, fail, resolve_db, resolve_lang
from reviewer.cli.help_catalog import HelpCommand


def _usable_db(db_path: str | None) -> Path:
    """The state file, opened once here so a broken one is a one-line error, not a traceback."""
    from reviewer.service.api import StoreError, open_store

    path = resolve_db(db_path)
    try:
        open_store(path).conn.close()
    except StoreError as exc:
        fail(str(exc))
    return path


def run_library(db_path: str | None, lang: str | None) -> None:
    """Open the UI on the package library."""
    from reviewer.tui.app import create_app

    create_app(_usable_db(db_path), resolve_lang(lang)).run()


@click.command("open", cls=HelpCommand)
@click.argument("path", type=click.Path(path_type=Path))
@db_option
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Interface language (default zh; F2 switches while running).")
def open_(path: Path, db_path: str | None, lang: str | None) -> None:
    """Open one package (a folder or .zip) in the terminal UI, scanning it first if needed."""
    if not path.exists():
        from reviewer.i18n import t

        fail(t("errors.no-such-path", resolve_lang(lang), path=str(path)))
    from reviewer.tui.app import create_app

    create_app(_usable_db(db_path), resolve_lang(lang), open_path=path).run()
