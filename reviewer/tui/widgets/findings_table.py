"""A virtual findings table that draws only the rows on screen (room: tui).

Textual's DataTable builds every row up front (about a second for 10,000
findings on this machine), which is too slow to redo on each filter change.
This table is a Line API widget over :class:`FindingsModel`: it renders the
visible lines from ``model.view`` on demand, so filtering or sorting costs a
list comprehension and a repaint.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reviewer.i18n import t
from reviewer.tui.cells import fit
from reviewer.tui.findings_model import DISPOSITIONS, FindingRow, FindingsModel

#: Column ids in display order.
COLUMNS = ("severity", "check", "file", "location", "match", "disposition")


@lru_cache(maxsize=8)
def _label_widths(lang: str) -> tuple[int, int]:
    """Cells needed by the longest severity and disposition labels in ``lang``.

    A disposition may carry the one-cell ↻ of a finding to look at again.
    """
    severity = max(cell_len(t(f"severity.{s}", lang)) for s in ("error", "warning", "info"))
    disposition = 1 + max(cell_len(t(f"tui.disposition.{d}", lang))
                          for d in ("none", "new", "partial", "mixed", *DISPOSITIONS))
    return severity, disposition


@lru_cache(maxsize=32)
def column_widths(total: int, lang: str = "zh") -> dict[str, int]:
    """Widths for the columns so that they and their separators fill ``total`` cells.

    The severity and disposition columns are as wide as their longest label
    in ``lang`` (确认问题 must not read 确认…), the others shrink below 90 cells.
    """
    severity, disposition = _label_widths(lang)
    fixed = {"severity": 6, "check": 10, "location": 16, "disposition": 8}
    if total < 90:
        fixed = {"severity": 5, "check": 8, "location": 13, "disposition": 6}
    fixed["severity"] = max(fixed["severity"], severity)
    fixed["disposition"] = max(fixed["disposition"], min(disposition, 12))
    rest = max(10, total - sum(fixed.values()) - (len(COLUMNS) - 1))
    file_w = max(6, rest * 2 // 5)
    out = dict(fixed)
    out["file"] = file_w
    out["match"] = max(4, rest - file_w)
    return out


def check_label(check: str, lang: str, width: int | None = None) -> str:
    """A check's name from the catalog (``check.*``); where it is wider than ``width``
    cells, its abbreviation (``check_short.*``: *sensitive terms* → *terms*) rather
    than a cut name; an unknown check as written."""
    label = t(f"check.{check}", lang)
    if label == f"check.{check}":
        return check
    if width is not None and cell_len(label) > width:
        short = t(f"check_short.{check}", lang)
        if short != f"check_short.{check}":
            return short
    return label


def category_label(category: str, lang: str) -> str:
    """A category's name from the catalog; unknown categories (new rule files) as written."""
    key = f"tui.category.{category}"
    label = t(key, lang)
    return category if label == key else label


def disposition_label(row: FindingRow, lang: str, members: list[FindingRow] | None = None) -> str:
    """The disposition of ``row`` — or of its group, ``members``, when it has several.

    A group reads as its members' disposition when they agree; while any member
    is open it reads "new" (an occurrence not seen before is among them), "not
    decided" (none decided) or "partly"; disposed in different ways, "mixed".
    """
    if members is not None and len(members) > 1:
        open_ = [m for m in members if m.disposition is None]
        if open_:
            if any(m.new for m in open_):
                return t("tui.disposition.new", lang)
            return t("tui.disposition.none" if len(open_) == len(members)
                     else "tui.disposition.partial", lang)
        values = {m.disposition for m in members}
        if len(values) > 1:
            return t("tui.disposition.mixed", lang)
        label = t(f"tui.disposition.{values.pop()}", lang)
        return f"↻{label}" if any(m.recheck for m in members) else label
    if row.disposition is None:
        return t("tui.disposition.new" if row.new else "tui.disposition.none", lang)
    label = t(f"tui.disposition.{row.disposition}", lang)
    return f"↻{label}" if row.recheck else label


def group_done(members: list[FindingRow]) -> bool:
    """Every finding of the group has a disposition."""
    return all(m.disposition is not None for m in members)


def location_label(row: FindingRow, lang: str) -> str:
    loc = row.finding.locator
    if loc is None:
        return t("tui.findings.whole_package" if row.finding.file is None
                 else "tui.findings.whole_file", lang)
    return row.finding.location_label(lang)


def compact_location(row: FindingRow, lang: str, width: int) -> str:
    """The location in ``width`` cells without cutting a time: a cue too long for the
    column (字幕 17 00:01:45.220–00:01:50.550) becomes its number and start
    (17 00:01:45), then the start alone; a paragraph loses its heading path."""
    full = location_label(row, lang)
    loc = row.finding.locator
    if loc is None or cell_len(full) <= width:
        return full
    if loc.cue is not None and loc.start_ms is not None:
        seconds = loc.start_ms // 1000
        start = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        for text in (f"{loc.cue} {start}", start):
            if cell_len(text) <= width:
                return text
        return start
    if loc.paragraph is not None and loc.heading:
        return replace(loc, heading=None).label(lang)
    return full


def cells(row: FindingRow, lang: str, members: list[FindingRow] | None = None) -> dict[str, str]:
    """The text of each column for ``row`` (a group's row when ``members`` has several):
    a group spread over files names how many, and its location column its count (×20)."""
    f = row.finding
    file = f.file or "—"
    location = location_label(row, lang)
    if members is not None and len(members) > 1:
        files = {m.finding.file for m in members}
        if len(files) > 1:
            file = t("tui.findings.files", lang, n=len(files))
        location = t("tui.findings.count", lang, n=len(members))
    return {
        "severity": t(f"severity.{f.severity}", lang),
        "check": check_label(f.check, lang),
        "file": file,
        "location": location,
        "match": f.match or f.msg(lang),
        "disposition": disposition_label(row, lang, members),
    }


def header_text(width: int, lang: str, sort_key: str, reverse: bool) -> str:
    """The header line matching :func:`column_widths`, with the sort column marked."""
    widths = column_widths(width, lang)
    parts = []
    for col in COLUMNS:
        label = t(f"tui.findings.col.{col}", lang)
        if col == sort_key:
            label += "▼" if reverse else "▲"
        parts.append(fit(label, widths[col]))
    return " ".join(parts)


class FindingsTable(ScrollView, can_focus=True):
    """Rows of ``model.view``; the cursor is an index into that view."""

    COMPONENT_CLASSES = {
        "findings-table--cursor", "findings-table--error", "findings-table--warning",
        "findings-table--info", "findings-table--done",
    }
    DEFAULT_CSS = """
    FindingsTable { height: 1fr; overflow-x: hidden; }
    FindingsTable > .findings-table--cursor { background: $accent 40%; text-style: bold; }
    FindingsTable:focus > .findings-table--cursor { background: $accent; color: $text; }
    FindingsTable > .findings-table--error { color: $error; text-style: bold; }
    FindingsTable > .findings-table--warning { color: $warning; }
    FindingsTable > .findings-table--info { color: $text-muted; }
    FindingsTable > .findings-table--done { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "cursor_to(0)", show=False),
        Binding("end", "cursor_to(-1)", show=False),
        Binding("enter", "select", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to ``row`` (``None``: the view is empty)."""

        def __init__(self, row: FindingRow | None) -> None:
            super().__init__()
            self.row = row

    class Selected(Message):
        """Enter was pressed on ``row``."""

        def __init__(self, row: FindingRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, model: FindingsModel, lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.lang = lang

    # -- data
    @property
    def current(self) -> FindingRow | None:
        view = self.model.view
        if 0 <= self.cursor < len(view):
            return self.model.rows[view[self.cursor]]
        return None

    def reload(self, keep: FindingRow | None = None) -> None:
        """The view changed (filter, sort): resize, keep the cursor on ``keep`` if shown."""
        view = self.model.view
        self.virtual_size = Size(self.size.width, len(view))
        target = 0
        if keep is not None:
            rows = self.model.rows
            for pos, i in enumerate(view):
                if rows[i] is keep:
                    target = pos
                    break
        self.cursor = min(target, max(0, len(view) - 1))
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.model.view))

    def watch_cursor(self, value: int) -> None:
        self._ensure_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _ensure_visible(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    # -- actions
    def action_cursor(self, delta: int) -> None:
        n = len(self.model.view)
        if n:
            self.cursor = max(0, min(n - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_cursor_to(self, index: int) -> None:
        n = len(self.model.view)
        if n:
            self.cursor = n - 1 if index < 0 else min(index, n - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < len(self.model.view):
            self.cursor = index

    # -- drawing
    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        view = self.model.view
        if index >= len(view):
            return Strip([Segment(" " * width, base)], width)
        row = self.model.rows[view[index]]
        members = self.model.members(row)
        texts = cells(row, self.lang, members)
        widths = column_widths(width, self.lang)
        texts["check"] = check_label(row.finding.check, self.lang, widths["check"])
        if len(members) <= 1:  # a group's location column holds its count
            texts["location"] = compact_location(row, self.lang, widths["location"])
        line_style = base
        if group_done(members):
            line_style = base + self.get_component_rich_style("findings-table--done")
        if index == self.cursor:
            line_style = base + self.get_component_rich_style("findings-table--cursor")
        sev_style = line_style + self.get_component_rich_style(
            f"findings-table--{row.finding.severity}"
            if row.finding.severity in ("error", "warning", "info") else "findings-table--info")
        if index == self.cursor:
            sev_style = line_style
        first = fit(texts["severity"], widths["severity"]) + " "
        rest = " ".join(fit(texts[c], widths[c], keep_end=(c == "file")) for c in COLUMNS[1:])
        segments = [Segment(first, sev_style), Segment(rest, line_style)]
        strip = Strip(segments).adjust_cell_length(width, base)
        return strip
