"""The ``reviewer`` command: a thin shell over :mod:`reviewer.service`.

Subcommands live one module per group in this package and are imported only
when invoked, so ``reviewer --help`` and the TUI start fast.  With no
subcommand, ``reviewer`` opens the terminal UI on the package library.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from reviewer import __version__
from reviewer.cli.help_catalog import HelpGroup

#: name → ("module:attribute", short help in English; the Chinese is in
#: reviewer/i18n/cli_help.yaml).  One line per command group.
COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("reviewer.cli.scan:scan", "Ingest a course package and run every check."),
    "search": ("reviewer.cli.scan:search", "Full-text search of a scanned package."),
    "open": ("reviewer.cli.ui:open_", "Open one package in the terminal UI."),
    "lexicon": ("reviewer.cli.lexicon:lexicon", "Import, test and check lexicon rule files."),
    "review": ("reviewer.cli.review:review", "Checklist answers, dispositions and decisions."),
    "profile": ("reviewer.cli.profile:profile", "Your reviewer profile: name and institution."),
    "keys": ("reviewer.cli.signing:keys", "Make signing keys."),
    "sign": ("reviewer.cli.signing:sign", "Write the signed recommendation for a package."),
    "cosign": ("reviewer.cli.signing:cosign", "Add a review team member's signature."),
    "countersign": ("reviewer.cli.signing:countersign", "Add the committee's signature."),
    "report": ("reviewer.cli.signing:report", "Render a recommendation as a printable report."),
    "verify": ("reviewer.cli.signing:verify", "Verify a recommendation offline."),
    "trust": ("reviewer.cli.signing:trust", "Maintain a platform's trust store."),
    "platform": ("reviewer.cli.signing:platform", "A platform's import of recommendations."),
}


class LazyGroup(HelpGroup):
    """A group whose subcommands are imported on first use (and whose help speaks the
    interface language, :mod:`reviewer.cli.help_catalog`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        target, _ = COMMANDS[name]
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """An unknown command says so in the user's language, with the nearest names."""
        name = click.utils.make_str(args[0])
        if name in COMMANDS or name.startswith("-"):
            return super().resolve_command(ctx, args)
        import difflib

        from reviewer.cli.common import resolve_lang
        from reviewer.i18n import t

        lang = resolve_lang(ctx.params.get("lang"))
        close = difflib.get_close_matches(name, list(COMMANDS), n=3, cutoff=0.5)
        message = t("cli.unknown_command", lang, name=name)
        if close:
            message += t("cli.did_you_mean", lang, names=("、" if lang == "zh" else ", ").join(close))
        ctx.fail(message + t("cli.see_help", lang))

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Click's own messages (usage errors, help headings) speak the language the
        command line asks for, decided before Click parses it."""
        import os
        import sys

        from reviewer.cli import click_lang

        click_lang.install()
        argv = list(sys.argv[1:] if args is None else args)
        click_lang.set_lang(click_lang.lang_from_args(argv, os.environ.get("REVIEWER_LANG")))
        return super().main(args, *rest, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list without importing the commands: their short help is here
        (English) or in the help catalog (Chinese)."""
        from reviewer.cli import help_catalog
        from reviewer.cli.click_lang import translate

        zh = help_catalog.zh()
        rows = [(name, str(help_catalog.entry(name).get("short") or help_) if zh else help_)
                for name, (_, help_) in COMMANDS.items()]
        with formatter.section(translate("Commands")):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reviewer")
@click.option("--db", type=click.Path(dir_okay=False), envvar="REVIEWER_DB",
              help="SQLite file holding the state (default: $REVIEWER_DB or the user data dir).")
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="REVIEWER_LANG", default=None,
              help="Interface language (default zh).")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """reviewer — offline review of online open courses (教高〔2022〕1号).

    Run with no command to open the terminal UI on the package library.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["lang"] = lang
    if ctx.invoked_subcommand is None:
        from reviewer.cli.ui import run_library

        run_library(db, lang)


def main() -> None:
    cli(obj={})
