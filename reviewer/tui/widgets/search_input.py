"""A one-line search box that hands focus back on Escape or Enter (room: tui)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchInput(Input):
    """Escape leaves the box (posting :class:`SearchInput.Left`) instead of closing the screen."""

    BINDINGS = [Binding("escape", "leave", show=False)]

    class Left(Message):
        """The reviewer left the box with Escape."""

    def action_leave(self) -> None:
        self.post_message(self.Left())
