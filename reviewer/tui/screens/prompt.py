"""A modal asking for one line of text: a reason, a justification, a comment, a path (room: tui).

Returns the text through ``dismiss`` (``None`` when the reviewer pressed
Escape).  When ``required`` the dialog refuses to close on an empty answer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reviewer.i18n import t


class TextPrompt(ModalScreen[str | None]):
    """Ask for text; ``dismiss(text)`` on Enter, ``dismiss(None)`` on Escape."""

    CSS_PATH = "prompt.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, prompt: str = "", *, initial: str = "",
                 required: bool = True, lang: str = "zh") -> None:
        super().__init__()
        self.title_text = title
        self.prompt_text = prompt
        self.initial = initial
        self.required = required
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="title", markup=False)
            if self.prompt_text:
                yield Label(self.prompt_text, id="prompt", markup=False)
            yield Input(value=self.initial, id="answer")
            yield Label(t("tui.prompt.keys", self.lang), id="keys")
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            error = self.query_one("#error", Label)
            error.update(t("tui.prompt.required", self.lang))
            error.add_class("-shown")  # hidden until needed: no blank line in the dialog
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
