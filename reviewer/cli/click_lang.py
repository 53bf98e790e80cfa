"""Click's own messages in the user's language (room: cli).

Click writes its usage errors, prompts and help headings in English through
``gettext``, each module binding ``_``/``ngettext`` at import.  :func:`install`
rebinds them in Click's modules to look each English template up in
``reviewer/i18n/click.yaml`` while the interface language (:func:`set_lang`) is
Chinese; in English, and for a template the catalog lacks, Click's own text stands.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.formatting",
            "click.termui", "click.decorators", "click.utils")
_state = {"lang": "zh", "installed": False}


@cache
def catalog() -> dict[str, str]:
    """Click's English templates → Chinese (``reviewer/i18n/click.yaml``), read on the
    first template Click asks for (every command asks for its help option's)."""
    from reviewer.i18n import read_catalog

    return {str(k): str(v) for k, v in read_catalog("click.yaml").items()}


def translate(message: str) -> str:
    if _state["lang"] != "zh":
        return message
    return catalog().get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def current() -> str:
    """The interface language Click's texts and the commands' help are shown in."""
    return _state["lang"]


def set_lang(lang: str | None) -> None:
    _state["lang"] = "en" if lang == "en" else "zh"


def install() -> None:
    """Rebind ``_`` and ``ngettext`` in Click's modules (once; idempotent)."""
    if _state["installed"]:
        return
    for name in _MODULES:
        try:
            module: Any = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = ntranslate
    _state["installed"] = True


def lang_from_args(args: list[str], env: str | None) -> str:
    """The language a command line asks for before Click has parsed it: ``--lang X``
    or ``--lang=X`` anywhere, else ``$REVIEWER_LANG``, else Chinese."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return env or "zh"
