"""The library: every package this database knows, with its state (room: tui).

Enter opens a package, ``n`` scans a new folder or zip (asking for its path),
``s`` scans the highlighted package again.  The rows come from
:func:`reviewer.service.ui_support.library_rows`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import relabel_bindings
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.widgets.title_bar import TitleBar


class LibraryScreen(Screen):
    """A table of packages: title, state, counts of findings, location."""

    CSS_PATH = "library.tcss"
    ACTION_SCOPE = "library"
    BINDINGS = bindings_for("library", "zh")

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        relabel_bindings(self, lang)
        self.lang = lang
        self.rows: list[dict] = []

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

        table = self.query_one("#packages", DataTable)
        keep = self.current_path()
        self.rows = library_rows(self.app.db)
        table.clear(columns=True)
        lang = self.lang
        for col in ("title", "state", "errors", "warnings", "infos", "path"):
            table.add_column(t(f"tui.library.col.{col}", lang), key=col)
        for row in self.rows:
            table.add_row(
                Text(row["title"] or Path(row["path"]).name),
                t(f"tui.state.{row['state']}", lang),
                str(row["errors"] if row["errors"] is not None else "—"),
                str(row["warnings"] if row["warnings"] is not None else "—"),
                str(row["infos"] if row["infos"] is not None else "—"),
                Text(row["display_path"]),
                key=row["path"],
            )
        if keep:
            for i, row in enumerate(self.rows):
                if row["path"] == keep:
                    table.move_cursor(row=i)
        self.query_one("#empty", Label).update("" if self.rows else t("tui.library.empty", lang))
        self.query_one("#empty", Label).display = not self.rows
        table.display = bool(self.rows)
        if self.rows:
            table.focus()

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
