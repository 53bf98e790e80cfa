"""The library screen: a long location keeps its end on a small terminal; the "opening…" note
leaves when the package has opened."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import DataTable

from reviewer.tui.app import create_app
from tests.tui.conftest import make_package, record_scan
from reviewer.i18n import t
from tests.tui.helpers import sync, wait_for, wait_screen


@sync
async def test_a_long_location_loses_its_beginning_not_the_course_folder(tmp_path, monkeypatch):
    """At 80 columns the path ran off the right edge, showing only the folders above the course."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    deep = tmp_path / ("课程资料" * 6) / "二〇二五年秋季学期" / "待审核"
    deep.mkdir(parents=True)
    pkg = make_package(deep, "数据结构与算法分析")
    db = tmp_path / "state.db"
    record_scan(db, pkg)
    app = create_app(db, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#packages", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        location = str(table.get_row_at(0)[-1])
        assert location.startswith("…") and location.endswith("待审核/数据结构与算法分析")
        width = sum(col.get_render_width(table) for col in table.ordered_columns)
        assert width <= 80 and cell_len(location) < len(str(pkg)) * 2


@sync
async def test_the_opening_note_goes_once_the_package_has_opened(seeded, monkeypatch):
    """A slow package says "opening…" while it loads; the note is withdrawn when the package
    screen comes up, so it never lingers over the view the reviewer is reading."""
    import time

    from reviewer.tui import session as sess

    original = sess.PackageSession.__init__

    def slow(self, *args, **kwargs):
        time.sleep(1.0)
        original(self, *args, **kwargs)

    monkeypatch.setattr(sess.PackageSession, "__init__", slow)
    app = create_app(seeded.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        app.open_package(str(seeded.pkg))
        opening = t("tui.package.opening", "en")
        await wait_for(pilot, lambda: any(n.message == opening for n in app._notifications))
        await wait_screen(pilot, "PackageScreen")
        await pilot.pause(0.1)
        assert [n.message for n in app._notifications if n.message == opening] == []
        assert not [toast for toast in app.screen.query("Toast")
                    if opening in str(toast.render())]
