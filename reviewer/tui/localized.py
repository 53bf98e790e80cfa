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


class FollowsLanguage:
    """Mixin for a screen or widget that follows the app's language (F2).

    On mount it watches the app's reactive ``lang`` and, when it changes, calls its own
    ``set_lang(lang)`` — nobody walks the DOM to tell it, and a view added later follows
    by inheriting this.  Watchers run in mount order, children before their screen.
    """

    lang: str

    def _on_mount(self, event: object) -> None:
        self.watch(self.app, "lang", self._follow_language, init=False)  # type: ignore[attr-defined]

    def _follow_language(self, lang: str) -> None:
        if lang != self.lang:
            self.set_lang(lang)  # type: ignore[attr-defined]
