"""A modal list to pick one value, e.g. a filter (room: tui).

Returns a :class:`Choice` through ``dismiss`` (``None`` on Escape) so that
"all" (``Choice(None)``) and "cancelled" (``None``) stay distinct.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class Choice:
    value: str | None  # None: no filter ("all")


class ChooseModal(ModalScreen[Choice | None]):
    """``options`` are ``(value, label)`` pairs; ``value`` None stands for "all"."""

    CSS_PATH = "choose.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, options: list[tuple[str | None, str]],
                 current: str | None = None, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="title", markup=False)
            yield OptionList(*[Option(Text(label), id=str(i))
                               for i, (_, label) in enumerate(self.options)], id="choices")
            if self.hint:
                yield Label(self.hint, id="keys", markup=False)

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        values = [v for v, _ in self.options]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(Choice(self.options[int(event.option.id or 0)][0]))

    def action_cancel(self) -> None:
        self.dismiss(None)
