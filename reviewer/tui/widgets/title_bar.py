"""The one-line bar at the top of every screen: where you are, and the language (room: tui)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from reviewer.i18n import t
from reviewer.tui.localized import FollowsLanguage


class TitleBar(FollowsLanguage, Horizontal):
    """``title`` on the left; the current language and the F2 hint on the right."""

    DEFAULT_CSS = """
    TitleBar { height: 1; dock: top; background: $primary; color: $text; }
    TitleBar > #tb-title { width: 1fr; text-style: bold; padding: 0 1; }
    TitleBar > #tb-lang { width: auto; padding: 0 1; }
    """

    def __init__(self, title: str = "", lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Label(self._title, id="tb-title", markup=False)
        yield Label(t("tui.title.lang", self.lang), id="tb-lang")

    def set_title(self, title: str) -> None:
        self._title = title
        if self.is_mounted:
            self.query_one("#tb-title", Label).update(title)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#tb-lang", Label).update(t("tui.title.lang", lang))
