"""Pass over open error findings in the checklists: the confirm modal (Pilot).

P3's evidence (lexicon, cheating-ads) holds the seeded course's two error
findings, 代刷网课 and 考试答案, with no disposition.  ``p`` on P3 opens
:class:`ConfirmPassModal` listing them: Enter with a comment records the pass
(audited with the findings), Enter without one is refused in the dialog,
Escape leaves the answer as it was.  Keyboard only.
"""

from __future__ import annotations

from textual.widgets import Input, Label, Static

from reviewer.service.review import audit_log
from reviewer.store import open_db
from reviewer.tui.app import create_app
from tests.tui.helpers import fresh_status, open_view, press_for, sync


async def _pass_p3(pilot, pkg) -> None:
    """Open the package, then the checklists, and press ``p`` on P3: the modal opens."""
    app = pilot.app
    await open_view(pilot, pkg, "4", lambda: app.screen.query_one("#ck-table").row_count > 0
                   and app.focused is app.screen.query_one("#ck-table"))
    view = app.screen.query_one("ChecklistView")
    table = app.screen.query_one("#ck-table")
    table.move_cursor(row=[i["id"] for i in view.items].index("P3"))
    await pilot.pause()
    assert view.current()["id"] == "P3"
    await press_for(pilot, "p", "ConfirmPassModal")


@sync
async def test_pass_with_a_comment_is_recorded_and_audited(seeded):
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await _pass_p3(pilot, seeded.pkg)
        modal = app.screen
        assert "P3" in str(modal.query_one("#title", Label).content)
        listing = str(modal.query_one("#findings", Static).content)
        assert "代刷网课" in listing and "考试答案" in listing
        assert app.focused is modal.query_one("#comment", Input)
        assert fresh_status(seeded.db, seeded.pkg).item("P3").answer is None  # nothing yet

        await pilot.press("enter")  # no comment: refused in the dialog
        assert type(app.screen).__name__ == "ConfirmPassModal"
        assert app.screen.query_one("#error", Label).display

        await pilot.press(*"fan mian an li")
        await press_for(pilot, "enter", "PackageScreen")
        item = fresh_status(seeded.db, seeded.pkg).item("P3")
        assert (item.answer, item.comment) == ("pass", "fan mian an li")
        db = open_db(seeded.db)
        try:
            entry = audit_log(db, seeded.pkg)[-1]
        finally:
            db.conn.close()
        assert entry.action == "answer" and entry.target == "P3"
        assert len(entry.new["confirmed_open_findings"]) == 2
        view = app.screen.query_one("ChecklistView")
        assert view.current()["id"] != "P3"  # moved on, as after any answer


@sync
async def test_escape_leaves_the_answer_unchanged(seeded):
    db = open_db(seeded.db)
    try:
        from reviewer.service.review import answer_item

        answer_item(db, seeded.pkg, "P3", "fail", "含代刷广告")
    finally:
        db.conn.close()
    app = create_app(seeded.db, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _pass_p3(pilot, seeded.pkg)
        assert "have no disposition" in str(app.screen.query_one("#title", Label).content)
        await pilot.press(*"typed then cancelled")
        await press_for(pilot, "escape", "PackageScreen")
        item = fresh_status(seeded.db, seeded.pkg).item("P3")
        assert (item.answer, item.comment) == ("fail", "含代刷广告")
        assert app.screen.query_one("ChecklistView").current()["id"] == "P3"
