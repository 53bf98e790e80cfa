"""A modal for answering ``pass`` over error findings nobody has disposed of (room: tui).

The item's own evidence holds error findings without a disposition; the
reviewer sees them listed and, to pass the item anyway, writes why.  Enter
confirms — a comment is required — and returns it through ``dismiss``;
Escape returns ``None`` and nothing is recorded.  Keyboard only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reviewer.i18n import in_lang, t

#: Findings listed in the dialog; the rest are counted.
SHOWN = 8


class ConfirmPassModal(ModalScreen[str | None]):
    """Show the open error findings; ``dismiss(comment)`` on Enter, ``dismiss(None)`` on Escape."""

    CSS_PATH = "confirm_pass.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, item_id: str, findings: list[dict[str, Any]], *, initial: str = "",
                 lang: str = "zh") -> None:
        super().__init__()
        self.item_id = item_id
        self.findings = findings  # the refusal's details: {id, message {zh, en}, …}
        self.initial = initial
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        listing = Text()
        for f in self.findings[:SHOWN]:
            listing.append("• ", style="red")
            listing.append(in_lang(f.get("message"), lang) + "\n")
        if len(self.findings) > SHOWN:
            listing.append(t("tui.confirm_pass.more", lang, n=len(self.findings) - SHOWN) + "\n",
                           style="dim")
        listing.rstrip()
        with Vertical(id="dialog"):
            yield Label(t("tui.confirm_pass.title", lang, item=self.item_id,
                          n=len(self.findings)), id="title", markup=False)
            yield Static(listing, id="findings")
            yield Label(t("tui.confirm_pass.prompt", lang), id="prompt", markup=False)
            yield Input(value=self.initial, id="comment")
            yield Label(t("tui.confirm_pass.keys", lang), id="keys")
            yield Label("", id="error")

    def on_mount(self) -> None:
        self.query_one("#comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            error = self.query_one("#error", Label)
            error.update(t("tui.confirm_pass.required", self.lang))
            error.add_class("-shown")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_to_pass(node: Any, item_id: str, findings: list[dict[str, Any]], comment: str | None,
                lang: str, then: Callable[[str], None]) -> None:
    """Open the dialog from ``node`` (a widget or screen); ``then(comment)`` when the reviewer
    confirms, else say that nothing was recorded."""
    def answered(text: str | None) -> None:
        if text is None:
            node.notify(t("review.open_findings.not_recorded", lang, item=item_id),
                        severity="warning", markup=False)
            return
        then(text)

    node.app.push_screen(ConfirmPassModal(item_id, findings, initial=comment or "", lang=lang),
                         answered)
