"""The interface language: texts given in both languages, and switching (room: tui).

Bindings are built from :mod:`reviewer.tui.actions` with labels in one
language; :func:`relabel_bindings` swaps a node's binding labels for another
language in place, so the footer follows the F2 key.  :func:`in_lang` picks
one language from a ``{"zh", "en"}`` text (checklist questions, blockers).
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from reviewer.i18n import t
from reviewer.tui.actions import SCOPES


def relabel_bindings(node: DOMNode, lang: str) -> None:
    """Re-translate the descriptions of ``node``'s registry bindings into ``lang``."""
    bindings = node._bindings.key_to_bindings  # noqa: SLF001 - Textual has no public setter
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=t(f"tui.action.{b.action}", lang))
            if b.id and b.id.split(".", 1)[0] in SCOPES else b
            for b in items
        ]
