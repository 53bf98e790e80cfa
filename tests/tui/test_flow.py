"""The reviewer's whole day through the UI, driven by Pilot at 100×32 and at 80×24.

Open a package from the library, dismiss a false alarm with its reason,
accept and confirm findings, answer every checklist item, try to recommend
too early (refused, nothing recorded), then recommend.  Every step is read
back through a *separate* database connection: the UI commits at once.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Label

from reviewer.tui.app import create_app
from tests.tui.helpers import (
    fresh_status,
    open_package,
    open_view,
    record_decision,
    sync,
    type_into_prompt,
    wait_for,
    wait_screen,
)

SIZES = [(100, 32), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@sync
async def test_open_dispose_answer_decide(seeded, size):
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        library = app.screen
        assert library.rows[0]["state"] == "in_review"
        assert library.query_one(DataTable).get_row_at(0)[1] == "审核中"
        await pilot.press("enter")
        await wait_screen(pilot, "PackageScreen")
        screen = app.screen
        table = screen.query_one("#fv-table")
        first = table.current
        assert first.finding.severity == "error" and first.finding.match == "代刷网课"

        # x: false alarm needs a reason — an empty one is refused in the dialog
        await pilot.press("x")
        await wait_screen(pilot, "TextPrompt")
        await pilot.press("enter")
        assert type(app.screen).__name__ == "TextPrompt"
        assert app.screen.query_one("#error", Label).content
        assert app.screen.query_one("#error", Label).display  # hidden until then
        await type_into_prompt(pilot, "quoted as an example of a scam")
        await wait_screen(pilot, "PackageScreen")
        status = fresh_status(seeded.db, seeded.pkg)
        assert status.finding(first.finding.id).disposition == "false-alarm"
        assert status.finding(first.finding.id).reason == "quoted as an example of a scam"

        # the cursor moved on: accept the next error with a justification, confirm a warning
        second = table.current
        assert second is not first
        await pilot.press("a")
        await type_into_prompt(pilot, "医学课程：讲授考试纪律")
        third = table.current
        await pilot.press("c")
        await pilot.pause()
        status = fresh_status(seeded.db, seeded.pkg)
        assert status.finding(second.finding.id).disposition == "accepted"
        assert status.finding(third.finding.id).disposition == "confirmed"
        assert first.disposition == "false-alarm" and third.disposition == "confirmed"

        # recommending now is refused: items are unanswered
        await pilot.press("5")
        await wait_for(pilot, lambda: app.focused is app.screen.query_one("#summary"))
        await pilot.press("D")
        await wait_screen(pilot, "DecisionModal")
        await pilot.press("enter")  # recommend (first choice) → comment
        await pilot.press("enter")  # record
        await wait_screen(pilot, "PackageScreen")
        assert fresh_status(seeded.db, seeded.pkg).decision is None

        # answer every item: the first "not applicable" (needs a comment), the rest pass
        await pilot.press("4")
        await wait_for(pilot, lambda: screen.query_one("#ck-table").row_count > 0
                       and app.focused is screen.query_one("#ck-table"))
        items = screen.session.items()
        assert len(items) >= 15
        await pilot.press("n")
        await type_into_prompt(pilot, "no maps in this course")
        for _ in items[1:]:
            await pilot.press("p")
            await pilot.pause()
            if type(app.screen).__name__ == "TextPrompt":
                await type_into_prompt(pilot, "checked")
        status = fresh_status(seeded.db, seeded.pkg)
        answers = {i.id: i.answer for i in status.items}
        assert all(answers.values()), [k for k, v in answers.items() if not v]
        assert answers[items[0]["id"]] == "na"
        assert status.item(items[0]["id"]).comment == "no maps in this course"
        progress = screen.query_one("#ck-progress", Label).content
        assert f"{len(items)}" not in str(progress) or "0/" not in str(progress)

        # now recommend, with a comment
        await pilot.press("5")
        await wait_for(pilot, lambda: app.focused is app.screen.query_one("#summary"))
        await record_decision(pilot, "内容合格，同意推荐")
        status = fresh_status(seeded.db, seeded.pkg)
        assert status.decision.decision == "recommend"
        assert status.decision.comment == "内容合格，同意推荐"
        assert screen.session.state() == "decided"

        # Esc: summary → findings → library, where the package shows as decided
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.current == "findings")
        assert type(app.screen).__name__ == "PackageScreen"
        await pilot.press("escape")
        await wait_screen(pilot, "LibraryScreen")
        await wait_for(pilot, lambda: app.screen.rows and app.screen.rows[0]["state"] == "decided")


@sync
async def test_revise_needs_a_comment_and_is_shown_in_the_summary(seeded):
    app = create_app(seeded.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_view(pilot, seeded.pkg, "5", lambda: app.focused is app.screen.query_one("#summary"))
        await pilot.press("D")
        await wait_screen(pilot, "DecisionModal")
        await pilot.press("down", "enter")  # revise, no comment → refused by the service
        await pilot.press("enter")
        await wait_screen(pilot, "PackageScreen")
        assert fresh_status(seeded.db, seeded.pkg).decision is None
        await pilot.press("D")
        await wait_screen(pilot, "DecisionModal")
        await pilot.press("down", "enter")
        app.screen.query_one("#comment").value = "update chapter 2"
        await pilot.press("enter")
        await wait_screen(pilot, "PackageScreen")
        assert fresh_status(seeded.db, seeded.pkg).decision.decision == "revise"
        text = str(app.screen.query_one("#sv-decision").content)
        assert "revise and resubmit" in text and "update chapter 2" in text


@sync
async def test_escape_in_a_prompt_records_nothing(seeded):
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_package(pilot, seeded.pkg)
        row = app.screen.query_one("#fv-table").current
        await pilot.press("x")
        await wait_screen(pilot, "TextPrompt")
        await pilot.press("q", "u", "escape")
        await wait_screen(pilot, "PackageScreen")
        assert row.disposition is None
        assert fresh_status(seeded.db, seeded.pkg).finding(row.finding.id).disposition is None
