"""Course text is data, never markup: titles, file names and matches with [brackets] show as written."""

from __future__ import annotations

from textual.widgets import DataTable, Label, OptionList

from reviewer.checks.model import finding_at
from reviewer.tui.app import create_app
from tests.tui.conftest import make_package, record_scan
from tests.tui.helpers import open_package, sync, wait_for, wait_screen

NASTY = "[/b][red]代刷网课[/red] [link=x]点我[/link] [bold"


def _findings(package):
    out = []
    for seg in package.segments():
        start = seg.text.find("[/b]")
        if start >= 0:
            out.append(finding_at(seg, start, start + len(NASTY), check="lexicon", rule="r[1]",
                                  category="cheating-ads", severity="error",
                                  message={"zh": "含有“[/b]”", "en": "has [/b]"}))
    return out


@sync
async def test_brackets_in_titles_files_and_matches_render_verbatim(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    pkg = make_package(tmp_path, "course[1]")
    manifest = (pkg / "course.yaml").read_text("utf-8").replace("zh: 测试课程", "zh: '[2025] 测试课程 [/i]'")
    (pkg / "course.yaml").write_text(manifest, "utf-8")
    (pkg / "notes" / "第[1]讲[i].md").write_text(f"# 标题\n\n{NASTY}\n", "utf-8")
    db = tmp_path / "state.db"
    record_scan(db, pkg, _findings)
    app = create_app(db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert str(row[0]) == "[2025] 测试课程 [/i]"
        assert str(row[-1]) == "~/course[1]"
        await open_package(pilot, pkg)
        assert "[2025] 测试课程 [/i]" in str(app.screen.query_one("#tb-title", Label).content)
        view = app.screen.query_one("#findings")
        assert view.table.current.finding.match == NASTY
        assert NASTY in str(view.query_one("#fv-detail").content)
        await pilot.press("x")
        await wait_screen(pilot, "TextPrompt")
        assert NASTY in str(app.screen.query_one("#title", Label).content)
        await pilot.press("escape")
        await wait_screen(pilot, "PackageScreen")
        await pilot.press("j")
        reader = app.screen.query_one("#reader")
        await wait_for(pilot, lambda: reader.mark is not None)
        options = reader.query_one("#rv-list", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "notes/第[1]讲[i].md" in prompts
