"""Options and helpers shared by the subcommands.

stdout carries a command's output only; diagnostics go to stderr.  Exit
status: 0 success, 1 a finding/verification failure the user must act on,
2 bad input or arguments (one line on stderr says why).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def db_option(fn):
    """``--db FILE`` on a subcommand (falls back to the group's option and $REVIEWER_DB)."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), default=None,
        help="SQLite state file (default: $REVIEWER_DB or the user data dir).",
    )(fn)


def resolve_db(db_path: str | None) -> Path:
    ctx = click.get_current_context(silent=True)
    if db_path is None and ctx is not None and ctx.find_root().obj:
        db_path = ctx.find_root().obj.get("db")
    if db_path:
        return Path(db_path)
    from reviewer.paths import default_db

    return default_db()


def resolve_lang(lang: str | None = None) -> str:
    if lang:
        return lang
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().obj and ctx.find_root().obj.get("lang"):
        return ctx.find_root().obj["lang"]
    import os

    return os.environ.get("REVIEWER_LANG") or "zh"


def open_store(db_path: str | None):
    """Open the state database or exit 2 with the reason."""
    from reviewer.service.api import StoreError, open_db

    try:
        return open_db(resolve_db(db_path))
    except StoreError as exc:
        fail_error(exc)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """One line on stderr, then exit (2 by default)."""
    click.echo(f"reviewer: {message}", err=True)
    sys.exit(code)


def fail_error(exc: BaseException, lang: str | None = None, code: int = EXIT_USAGE) -> NoReturn:
    """:func:`fail` with ``exc`` said in the user's language (its ``errors.<code>``
    entry; an OSError, JSON or YAML error in words), its English message with ``--lang en``."""
    from reviewer import i18n

    fail(i18n.error_text(exc, resolve_lang(lang)), code)


def write_output(path: str | Path, text: str) -> None:
    """Write a command's output to ``path`` atomically (a temporary file renamed into
    place: never half a report), or exit 2 saying why the place is unusable."""
    from reviewer.files import write_text

    from reviewer.i18n import CodedError

    try:
        write_text(path, text)
    except OSError as exc:
        fail_error(CodedError(f"cannot write {path}: {exc}", "file.unwritable", path=str(path),
                              reason=exc))
