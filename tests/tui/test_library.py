"""The library screen: a long location keeps its end on a small terminal."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import DataTable

from reviewer.tui.app import create_app
from tests.tui.conftest import make_package, record_scan
from tests.tui.helpers import sync, wait_for


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
