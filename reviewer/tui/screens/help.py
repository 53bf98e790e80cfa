"""The help screen: every key that works here, built from the action registry (room: tui)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from reviewer.i18n import t
from reviewer.tui.actions import actions_for


def help_table(scopes: list[str], lang: str) -> Table:
    """A two-column table (key, what it does) grouped by scope."""
    table = Table(show_header=False, box=None, expand=True, padding=(0, 1))
    table.add_column(width=12, no_wrap=True, style="bold cyan")
    table.add_column(ratio=1)
    for scope in scopes:
        table.add_row(Text(t(f"tui.scope.{scope}", lang), style="bold underline"), "")
        for spec in actions_for(scope):
            table.add_row(spec.keys_shown, f"{spec.label(lang)} — {spec.help(lang)}")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys for the current screen and view, then the ones that work everywhere."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", show=False)]

    def __init__(self, scopes: list[tuple[object, str]], lang: str = "zh") -> None:
        super().__init__()
        seen: list[str] = []
        for _node, scope in scopes:
            if scope not in seen:
                seen.append(scope)
        self.scopes = seen
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label(t("tui.help.title", self.lang), id="help-title")
            yield Static(help_table(self.scopes, self.lang), id="help-table")
            yield Label(t("tui.help.footer", self.lang), id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
