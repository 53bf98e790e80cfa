"""Messages the package views send up to the package screen (room: tui)."""

from __future__ import annotations

from textual.message import Message


class ShowInReader(Message):
    """Open ``file`` in the reader at the segment ``locator_key``, highlighting ``match``."""

    def __init__(self, file: str, locator_key: str | None = None, match: str = "") -> None:
        super().__init__()
        self.file = file
        self.locator_key = locator_key
        self.match = match


class ReviewChanged(Message):
    """An answer, disposition or decision was recorded: views refresh what they show."""
