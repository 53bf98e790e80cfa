"""The decision dialog: recommend, revise and resubmit, or reject, with a comment (room: tui).

Returns a :class:`DecisionResult` through ``dismiss`` (``None`` on Escape).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reviewer.i18n import t

DECISIONS = ("recommend", "revise", "reject")


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision: str  # recommend | revise | reject
    comment: str


class DecisionModal(ModalScreen[DecisionResult | None]):
    """Pick a decision (↑/↓), write the comment, Enter to record it."""

    CSS_PATH = "decide.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, lang: str = "zh", current: str | None = None, comment: str = "") -> None:
        super().__init__()
        self.lang = lang
        self.current = current if current in DECISIONS else None
        self.comment = comment

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog"):
            yield Label(t("tui.decide.title", lang), id="title")
            yield OptionList(*[Option(t(f"tui.decision.{d}", lang), id=d) for d in DECISIONS],
                             id="choices")
            yield Label(t("tui.decide.comment", lang))
            yield Input(value=self.comment, id="comment")
            yield Label(t("tui.decide.keys", lang), id="keys")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = DECISIONS.index(self.current) if self.current else 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#choices", OptionList).highlighted or 0
        self.dismiss(DecisionResult(DECISIONS[index], event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
