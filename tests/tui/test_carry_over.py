"""A changed package: rescanning from the UI carries answers and dispositions over and marks what is new."""

from __future__ import annotations

from reviewer.tui.app import create_app
from tests.tui.conftest import make_package
from tests.tui.helpers import (
    fresh_status,
    open_package,
    package_open,
    press_for,
    sync,
    type_into_prompt,
    wait_for,
    wait_screen,
)


@sync
async def test_rescan_after_a_change_keeps_the_review_and_flags_new_findings(tmp_path):
    pkg = make_package(tmp_path)
    db = tmp_path / "state.db"
    app = create_app(db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        app.open_package(str(pkg))  # never scanned: the UI scans it first
        await wait_screen(pilot, "PackageScreen", timeout=120)
        await wait_for(pilot, lambda: app.focused is not None)
        view = app.screen.query_one("#findings")
        target = next(r for r in view.model.rows if r.finding.match == "代刷网课")
        view.table.cursor = view.model.view.index(view.model.rows.index(target))
        await pilot.press("x")
        await type_into_prompt(pilot, "example of a scam in a lecture on fraud")
        await pilot.press("4")
        await wait_for(pilot, lambda: app.screen.query_one("#ck-table").row_count > 0
                       and app.focused is app.screen.query_one("#ck-table"))
        await pilot.press("p")
        await pilot.pause()
        first_item = app.screen.session.items()[0]["id"]
        assert fresh_status(db, pkg).item(first_item).answer == "pass"
        before = {r.finding.id for r in view.model.rows}

        # the teacher adds a line; the reviewer rescans with F5
        notes = pkg / "notes" / "讲义.md"
        notes.write_text(notes.read_text("utf-8") + "\n期末考试代考，价格私聊。\n", "utf-8")
        old_session = app.screen.session
        await pilot.press("f5")
        await wait_for(pilot, lambda: getattr(app.screen, "session", old_session) is not old_session,
                       timeout=120)
        await wait_for(pilot, lambda: app.focused is not None)
        session = app.screen.session
        rows = {r.finding.id: r for r in session.model.rows}
        assert rows[target.finding.id].disposition == "false-alarm"
        assert rows[target.finding.id].reason == "example of a scam in a lecture on fraud"
        new = [r for r in rows.values() if r.finding.id not in before]
        assert new and all(r.new and r.disposition is None for r in new)
        assert session.item(first_item)["answer"] == "pass"
        status = fresh_status(db, pkg)
        assert status.carried_from is not None
        assert status.finding(target.finding.id).disposition == "false-alarm"


@sync
async def test_opening_a_package_whose_files_changed_says_so(seeded):
    from textual.widgets import Label

    async with package_open(seeded, "en") as pilot:
        app = pilot.app
        first = app.screen
        await wait_for(pilot, lambda: first.digest_checked)
        assert not first.changed
        await press_for(pilot, "escape", "LibraryScreen")
        (seeded.pkg / "notes" / "new.md").write_text("新增的一页\n", "utf-8")
        await open_package(pilot, seeded.pkg)
        screen = app.screen
        await wait_for(pilot, lambda: screen.changed)
        assert "files changed" in str(screen.query_one("#tb-title", Label).content)
