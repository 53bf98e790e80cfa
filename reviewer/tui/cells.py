"""Fitting text into a number of terminal cells, CJK aware (room: tui).

A Chinese character takes two cells: ``len`` is the wrong measure for every
column and label on screen, so tables, lists and the reader share these.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size


def tail(text: str, width: int) -> str:
    """``text`` cut from the left to at most ``width`` cells: the end of a path says most."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in reversed(text):
        if cell_len(out) + cell_len(ch) > width - 1:
            break
        out = ch + out
    return "…" + out


def fit(text: str, width: int, *, keep_end: bool = False) -> str:
    """``text`` on one line, cut or padded to exactly ``width`` cells.

    With ``keep_end`` a long text loses its beginning instead of its end (file
    paths: the file name says more than the folder).
    """
    text = text.replace("\n", " ").replace("\r", " ")
    if width <= 0:
        return ""
    if cell_len(text) > width:
        if keep_end:
            return set_cell_size(tail(text, width), width)
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
