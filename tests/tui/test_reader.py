"""The reader: jump from a finding to its place, page through long files, search the package."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from reviewer.tui.app import create_app
from reviewer.tui.widgets.reader_view import CHUNK, ReaderView
from tests.tui.conftest import make_package, record_scan
from tests.tui.helpers import open_package, open_view, sync, wait_for


@pytest.fixture
def reader_pkg(tmp_path):
    pkg = make_package(tmp_path)
    lines = "\n".join(f"第 {i} 行的内容，关于排序算法" for i in range(1, 2 * CHUNK + 11))
    (pkg / "notes" / "long.md").write_text(lines + "\n", encoding="utf-8")
    (pkg / "notes" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (pkg / "notes" / "gbk.txt").write_bytes("这是 GBK 编码的讲义：栈和队列".encode("gbk"))
    db = tmp_path / "state.db"
    record_scan(db, pkg)
    return db, pkg


def _marked(reader: ReaderView) -> Static:
    return reader.query_one("#rv-text").query_one(".-marked", Static)


@sync
async def test_jump_from_a_subtitle_finding_opens_its_cue_with_the_match_marked(reader_pkg):
    db, pkg = reader_pkg
    app = create_app(db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_package(pilot, pkg)
        view = app.screen.query_one("#findings")
        rows = view.model.rows
        target = next(r for r in rows if r.finding.match == "考试答案")
        view.table.cursor = view.model.view.index(rows.index(target))
        await pilot.press("j")
        reader = app.screen.query_one(ReaderView)
        await wait_for(pilot, lambda: app.screen.current == "reader" and reader.mark is not None)
        assert reader.file == "transcripts/第01讲.srt"
        seg = reader.segments[reader.mark.index]
        assert seg.locator.cue == 3
        assert seg.text[reader.mark.start:reader.mark.end] == "考试答案"
        await pilot.pause()
        text = str(_marked(reader).content)
        assert "00:01:02.500" in text and "考试答案" in text


@sync
async def test_long_files_page_in_chunks_and_unreadable_files_say_why(reader_pkg):
    db, pkg = reader_pkg
    app = create_app(db, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, pkg, "2", lambda: app.screen.query_one(ReaderView)
                        .query_one("#rv-list", OptionList).option_count > 0)
        reader = app.screen.query_one(ReaderView)
        reader.open_file("notes/long.md")
        await pilot.pause()
        assert reader.chunks == 3 and reader.chunk == 0
        await pilot.press("t", "right_square_bracket")
        assert reader.chunk == 1
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert reader.chunk == 2  # stops at the last part
        await pilot.press("left_square_bracket")
        assert reader.chunk == 1
        await pilot.pause()
        first = reader.query_one("#rv-text").query(Static).first()
        assert f"第 {CHUNK + 1} 行" in str(first.content)

        reader.open_file("notes/broken.pdf")
        await pilot.pause()
        shown = str(reader.query_one("#rv-text").query(Static).first().content)
        assert shown.strip() and "第" not in shown  # the extraction error, not text

        reader.open_file("notes/gbk.txt")
        await pilot.pause()
        shown = str(reader.query_one("#rv-text").query(Static).first().content)
        assert "栈和队列" in shown  # decoded from GBK


async def _search(pilot, reader, text: str) -> None:
    """Type ``text`` into the reader's search field and press Enter."""
    reader.query_one("#rv-search").value = text
    reader.query_one("#rv-search").focus()
    await pilot.press("enter")


@sync
async def test_full_text_search_lists_hits_and_opens_one(reader_pkg):
    db, pkg = reader_pkg
    app = create_app(db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_view(pilot, pkg, "2")
        await pilot.press("slash")
        reader = app.screen.query_one(ReaderView)
        reader.query_one("#rv-search").value = "栈"
        await pilot.press("enter")
        await wait_for(pilot, lambda: reader.mode == "hits")
        files = {seg.file for seg, _ in reader.hits}
        assert {"notes/讲义.md", "transcripts/第01讲.srt"} <= files
        assert reader.query_one("#rv-list", OptionList).option_count == len(reader.hits)
        await pilot.press("enter")  # open the first hit
        await wait_for(pilot, lambda: reader.mark is not None)
        seg = reader.segments[reader.mark.index]
        assert seg.text[reader.mark.start:reader.mark.end] == "栈"

        await _search(pilot, reader, "不存在的词语")
        await pilot.pause()
        assert reader.hits == [] and reader.query_one("#rv-list", OptionList).option_count == 0
        await pilot.press("l")  # back to the file list
        assert reader.mode == "files"


@sync
async def test_a_hit_location_stays_on_one_line_beside_the_scrollbar(reader_pkg):
    """At 80×24 the hit list scrolls and 第 7 页 wrapped: 页 stood alone on the next line."""
    db, pkg = reader_pkg
    app = create_app(db, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, pkg, "2")
        reader = app.screen.query_one(ReaderView)
        await _search(pilot, reader, "排序")
        await wait_for(pilot, lambda: reader.mode == "hits")
        await pilot.pause()
        options = reader.query_one("#rv-list", OptionList)
        assert len(reader.hits) > 10 and options.show_vertical_scrollbar
        first, second = (options.render_line(i).text.strip() for i in (0, 1))
        seg = reader.hits[0][0]
        assert first.endswith(seg.file.rsplit("/", 1)[-1]), first  # a hit shows its file
        assert second.endswith(seg.locator.label("zh")), second  # and, whole, where in it
