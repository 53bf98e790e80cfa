"""The library: every package this database knows, with its state (room: tui).

Enter opens a package, ``n`` scans a new folder or zip (asking for its path),
``s`` scans the highlighted package again.  The rows come from
:func:`reviewer.service.ui_support.library_rows`.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.cells import tail
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.widgets.title_bar import TitleBar


class LibraryScreen(FollowsLanguage, Screen):
    """A table of packages: title, state, counts of findings, location."""

    CSS_PATH = "library.tcss"
    ACTION_SCOPE = "library"
    BINDINGS = bindings_for("library", "zh")

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        relabel_bindings(self, lang)
        self.lang = lang
        self.rows: list[dict] = []
        self._cells: list[list[str]] = []  # the table's text but the location, row by row

    def compose(self) -> ComposeResult:
        yield TitleBar(t("tui.library.title", self.lang), self.lang)
        with Vertical(id="library-body"):
            yield DataTable(id="packages", cursor_type="row", zebra_stripes=True)
            yield Label("", id="empty")
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        """Read the library on first show and whenever the reviewer comes back to it."""
        self.reload()

    # -- data
    def reload(self) -> None:
        """Read the packages again and redraw the table, keeping the cursor's package."""
        from reviewer.service.ui_support import library_rows

        keep = self.current_path()
        self.rows = library_rows(self.app.db)
        self.redraw(keep)

    def redraw(self, keep: str | None = None) -> None:
        """Fill the table from ``self.rows`` (no reading), the cursor on package ``keep``."""
        table = self.query_one("#packages", DataTable)
        table.clear(columns=True)
        lang = self.lang
        for col in ("title", "state", "errors", "warnings", "infos", "path"):
            table.add_column(t(f"tui.library.col.{col}", lang), key=col)
        cells = [[row["title"] or Path(row["path"]).name,
                  t(f"tui.state.{row['state']}", lang),
                  *(str(row[n] if row[n] is not None else "—")
                    for n in ("errors", "warnings", "infos"))]
                 for row in self.rows]
        path_width = self._path_width(cells)
        for row, texts in zip(self.rows, cells):
            table.add_row(Text(texts[0]), *texts[1:], Text(tail(row["display_path"], path_width)),
                          key=row["path"])
        self._cells = cells
        if keep:
            for i, row in enumerate(self.rows):
                if row["path"] == keep:
                    table.move_cursor(row=i)
        self.query_one("#empty", Label).update("" if self.rows else t("tui.library.empty", lang))
        self.query_one("#empty", Label).display = not self.rows
        table.display = bool(self.rows)
        if self.rows:
            table.focus()

    def _path_width(self, cells: list[list[str]]) -> int:
        """Cells left for the location once the other columns have their width.

        A long path loses its beginning (``…/课程/数据结构``) instead of running
        off the right edge, where only the folders above the course would show.
        """
        columns = zip(*cells, strict=True) if cells else []
        used = sum(2 + max(cell_len(t(f"tui.library.col.{name}", self.lang)),
                           *(cell_len(c) for c in column))
                   for name, column in zip(("title", "state", "errors", "warnings", "infos"),
                                           columns))
        width = self.size.width or self.app.size.width
        return max(12, width - used - 2 - 2)  # the column's padding, a scrollbar

    def on_resize(self) -> None:
        """Refit the locations to the new width (after the table has laid itself out)."""
        if self.rows:
            self.call_after_refresh(self._refit_paths)

    def _refit_paths(self) -> None:
        table = self.query_one("#packages", DataTable)
        width = self._path_width(self._cells)
        for row in self.rows:
            table.update_cell(row["path"], "path", Text(tail(row["display_path"], width)),
                              update_width=True)

    def current_path(self) -> str | None:
        table = self.query_one("#packages", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]["path"]

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one(TitleBar).set_title(t("tui.library.title", lang))
        self.reload()

    # -- actions
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        path = self.current_path()
        if path:
            self.app.open_package(path)

    def action_rescan(self) -> None:
        path = self.current_path()
        if path:
            self.app.open_package(path, rescan=True)

    def action_refresh(self) -> None:
        self.reload()

    def action_scan_new(self) -> None:
        def chosen(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()
            if not path.exists():
                self.notify(t("tui.library.no_such_path", self.lang, path=text), severity="error",
                            markup=False)
                return
            self.app.open_package(str(path), rescan=True)

        self.app.push_screen(TextPrompt(t("tui.library.scan_title", self.lang),
                                        t("tui.library.scan_prompt", self.lang), lang=self.lang),
                             chosen)
