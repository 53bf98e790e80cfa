"""The one-line list of a package's views with their number keys (room: tui)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reviewer.i18n import t

VIEWS = ("findings", "reader", "coverage", "checklists", "summary")


class ViewBar(Static):
    """``1 问题  2 阅读 …`` with the active view highlighted."""

    DEFAULT_CSS = """
    ViewBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, lang: str = "zh", active: str = "findings", **kwargs) -> None:
        super().__init__("", **kwargs)
        self.lang = lang
        self.active = active
        self.badges: dict[str, str] = {}

    def on_mount(self) -> None:
        self.redraw()

    def show(self, active: str | None = None, lang: str | None = None,
             badges: dict[str, str] | None = None) -> None:
        if active:
            self.active = active
        if lang:
            self.lang = lang
        if badges is not None:
            self.badges = badges
        self.redraw()

    def redraw(self) -> None:
        out = Text()
        for i, name in enumerate(VIEWS, 1):
            label = f" {i} {t(f'tui.view.{name}', self.lang)}"
            if self.badges.get(name):
                label += f" {self.badges[name]}"
            label += " "
            out.append(label, style="reverse bold" if name == self.active else "")
            out.append(" ")
        self.update(out)
