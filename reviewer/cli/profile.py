"""``reviewer profile``: who you are when you review (name, institution, key).

Answers, dispositions, decisions and the audit trail record this name; without
a profile (or ``--actor`` / ``$REVIEWER_NAME``), commands that record something
refuse and say how to set it.
"""

from __future__ import annotations

import json

import click

from reviewer.cli.common import EXIT_PROBLEMS, EXIT_USAGE, resolve_lang
from reviewer.cli.help_catalog import HelpGroup


def _show(profile, lang: str, fmt: str) -> None:
    from reviewer.i18n import t

    if fmt == "json":
        click.echo(json.dumps(profile.to_dict() if profile else None, ensure_ascii=False,
                              indent=2))
        return
    if profile is None:
        click.echo(t("errors.no-identity", lang))
        return
    click.echo(t("profile.shown", lang, name=profile.name,
                 institution=profile.institution or "—", keyid=profile.keyid or "—"))


@click.group(cls=HelpGroup)
def profile() -> None:
    """Your reviewer profile: the name review records and signatures carry."""


@profile.command("set")
@click.option("--name", default=None, help="Your name as it goes on review records.")
@click.option("--institution", default=None, help="Your university.")
@click.option("--key", "key", type=click.Path(dir_okay=False), default=None,
              help="Your signing key's .pub file: name and institution are read from it.")
def set_(name: str | None, institution: str | None, key: str | None) -> None:
    """Set your profile (from --name/--institution, or from your key's .pub)."""
    from reviewer.service.api import ReviewError
    from reviewer.service.profile import save_profile

    lang = resolve_lang()
    try:
        result = save_profile(name, institution, key)
    except ReviewError as exc:
        click.echo(f"reviewer: {exc.msg(lang)}", err=True)
        raise SystemExit(EXIT_USAGE if exc.usage else EXIT_PROBLEMS) from None
    _show(result, lang, "text")


@profile.command("show")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def show(fmt: str) -> None:
    """Show your profile (or how to set one)."""
    from reviewer.service.api import ReviewError
    from reviewer.service.profile import load_profile

    lang = resolve_lang()
    try:
        result = load_profile()
    except ReviewError as exc:
        click.echo(f"reviewer: {exc.msg(lang)}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    _show(result, lang, fmt)
