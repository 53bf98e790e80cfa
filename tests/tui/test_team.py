"""The chair's view of a review team in the terminal UI (issue 11): two reviewers disagree on
two items, the chair resolves both with the keyboard and decides; a non-chair is refused.
Pilot at 100×32 and 80×24, zh and en; snapshots of the view at both sizes."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Label, Static

from reviewer.tui.app import create_app
from tests.tui.helpers import (
    fresh_status, open_package, package_open, recommend, sync, type_into_prompt, wait_for, wait_screen,
)

WANG, LI = "王明", "李华"
SIZES = [(100, 32), (80, 24)]


@pytest.fixture
def team_seeded(seeded):
    """The seeded course reviewed by 王明 (chair) and 李华: they disagree on A2 and Q11."""
    from reviewer.service import review as rv
    from reviewer.service import team as tm
    from reviewer.store import open_db

    db = open_db(seeded.db)
    try:
        tm.add_member(db, seeded.pkg, WANG, chair=True, actor=WANG)
        tm.add_member(db, seeded.pkg, LI, actor=WANG)
        status = rv.review_status(db, seeded.pkg)
        for f in status.findings:  # the evidence first: a pass over open errors needs confirming
            if f.severity == "error":
                rv.dispose_finding(db, seeded.pkg, f.id, "false-alarm", "测试数据", actor=LI)
        for item in status.items:
            for who in (WANG, LI):
                if (item.id, who) == ("A2", WANG):
                    rv.answer_item(db, seeded.pkg, "A2", "fail", "第3讲引用已废止的《合同法》", actor=WANG)
                elif (item.id, who) == ("A2", LI):
                    rv.answer_item(db, seeded.pkg, "A2", "pass", "作为法制史讲授，可以接受", actor=LI)
                elif (item.id, who) == ("Q11", LI):
                    rv.answer_item(db, seeded.pkg, "Q11", "na", "平台不提供在线辅导", actor=LI)
                else:
                    rv.answer_item(db, seeded.pkg, item.id, "pass", actor=who)
    finally:
        db.conn.close()
    return seeded


async def _open_team(pilot, pkg) -> None:
    await wait_screen(pilot, "LibraryScreen")
    await open_package(pilot, pkg)
    await pilot.press("6")
    await wait_screen(pilot, "TeamScreen")
    await wait_for(pilot, lambda: pilot.app.screen.rows)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
@sync
async def test_chair_resolves_two_disagreements_and_decides(team_seeded, size, lang, monkeypatch):
    app = create_app(team_seeded.db, lang)
    async with app.run_test(size=size) as pilot:
        await _open_team(pilot, team_seeded.pkg)
        screen = app.screen
        assert [r.item for r in screen.rows] == ["A2", "Q11"]
        table = screen.query_one("#tm-table", DataTable)
        assert table.row_count == 2
        detail = str(screen.query_one("#tm-detail", Static).render())
        assert "第3讲引用已废止的《合同法》" in detail and "作为法制史讲授，可以接受" in detail
        assert WANG in detail and LI in detail

        # 李华 is not the chair: refused, with the reason, nothing recorded
        monkeypatch.setenv("REVIEWER_NAME", LI)
        await pilot.press("p")
        await type_into_prompt(pilot, "可以")
        await wait_screen(pilot, "TeamScreen")
        assert fresh_status(team_seeded.db, team_seeded.pkg).item("A2").answer is None
        assert any(WANG in str(n.message) for n in app._notifications)

        # the chair resolves A2 as pass, then Q11 as n/a (a comment is required)
        monkeypatch.setenv("REVIEWER_NAME", WANG)
        await pilot.press("p")
        await type_into_prompt(pilot, "已核对：作法制史讲授")
        await wait_screen(pilot, "TeamScreen")
        a2 = fresh_status(team_seeded.db, team_seeded.pkg).item("A2")
        assert (a2.answer, a2.source, a2.actor) == ("pass", "chair", WANG)
        assert table.cursor_row == 1  # moved on to Q11
        await pilot.press("n")
        await wait_screen(pilot, "TextPrompt")
        await pilot.press("enter")  # empty: refused in the dialog
        assert type(app.screen).__name__ == "TextPrompt"
        await type_into_prompt(pilot, "平台确无在线辅导")
        await wait_screen(pilot, "TeamScreen")
        status = fresh_status(team_seeded.db, team_seeded.pkg)
        assert (status.item("Q11").answer, status.item("Q11").comment) == ("na", "平台确无在线辅导")
        summary = str(screen.query_one("#tm-summary", Label).render())
        assert ("待裁定 0 项" if lang == "zh" else "0 to resolve") in summary
        assert status.can_recommend

        # back to the package; the chair decides
        await pilot.press("escape")
        await wait_screen(pilot, "PackageScreen")
        await recommend(pilot, "审核组一致推荐")
        decision = fresh_status(team_seeded.db, team_seeded.pkg).decision
        assert (decision.decision, decision.actor) == ("recommend", WANG)


@sync
async def test_without_a_team_the_view_says_how_to_form_one(seeded):
    async with package_open(seeded, "en") as pilot:
        app = pilot.app
        await pilot.press("6")
        await wait_screen(pilot, "TeamScreen")
        await pilot.pause(0.1)
        screen = app.screen
        assert screen.rows == []
        assert "reviewer review team add" in str(screen.query_one("#tm-detail", Static).render())
        await pilot.press("p")  # nothing to resolve: nothing happens
        assert type(app.screen).__name__ == "TeamScreen"
        await pilot.press("escape")
        await wait_screen(pilot, "PackageScreen")


def _snap(team_seeded):
    async def run_before(pilot) -> None:
        await _open_team(pilot, team_seeded.pkg)
        await pilot.pause(0.3)

    return run_before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_team_view_snapshot_100x32(snap_compare, team_seeded, lang):
    assert snap_compare(create_app(team_seeded.db, lang), terminal_size=(100, 32),
                        run_before=_snap(team_seeded))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_team_view_snapshot_80x24(snap_compare, team_seeded, lang):
    assert snap_compare(create_app(team_seeded.db, lang), terminal_size=(80, 24),
                        run_before=_snap(team_seeded))


@sync
async def test_the_checklists_show_each_members_answer_and_the_disputes(team_seeded, monkeypatch):
    monkeypatch.setenv("REVIEWER_NAME", LI)
    app = create_app(team_seeded.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        await open_package(pilot, team_seeded.pkg)
        await pilot.press("4")
        view = app.screen.query_one("#checklists")
        await wait_for(pilot, lambda: view.items)
        table = view.query_one("#ck-table", DataTable)
        a2 = [i["id"] for i in view.items].index("A2")
        assert "≠" in str(table.get_row_at(a2)[2])
        assert "≠" not in str(table.get_row_at(a2 - 1)[2])
        table.move_cursor(row=a2)
        await pilot.pause(0.1)
        detail = str(view.query_one("#ck-detail", Static).render())
        assert "王明：不通过 — 第3讲引用已废止的《合同法》" in detail
        assert "李华：通过 — 作为法制史讲授，可以接受" in detail
        await pilot.press("f")  # 李华 changes her own answer: now both say fail
        await type_into_prompt(pilot, "再看一遍确实过时")
        await wait_screen(pilot, "PackageScreen")
        a2_status = fresh_status(team_seeded.db, team_seeded.pkg).item("A2")
        assert (a2_status.answer, a2_status.agreement) == ("fail", "agreed")


@sync
async def test_the_chair_passing_over_open_errors_confirms_with_a_comment(seeded, monkeypatch):
    """P3's evidence holds two undisposed error findings; 王明 fails it, 李华 passes it
    (confirmed).  The chair's ``p`` opens the same confirmation as the checklist: Escape
    records nothing, Enter with a comment records the pass, audited with the findings."""
    from reviewer.service import review as rv
    from reviewer.service import team as tm
    from reviewer.service.review import audit_log
    from reviewer.store import open_db

    db = open_db(seeded.db)
    try:
        tm.add_member(db, seeded.pkg, WANG, chair=True, actor=WANG)
        tm.add_member(db, seeded.pkg, LI, actor=WANG)
        rv.answer_item(db, seeded.pkg, "P3", "fail", "含代刷广告", actor=WANG)
        rv.answer_item(db, seeded.pkg, "P3", "pass", "反面案例", actor=LI, confirm_open_findings=True)
    finally:
        db.conn.close()
    monkeypatch.setenv("REVIEWER_NAME", WANG)
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await _open_team(pilot, seeded.pkg)
        assert [r.item for r in app.screen.rows] == ["P3"]
        await pilot.press("p")
        await type_into_prompt(pilot, "")
        await wait_screen(pilot, "ConfirmPassModal")
        listing = str(app.screen.query_one("#findings", Static).content)
        assert "代刷网课" in listing and "考试答案" in listing
        await pilot.press("escape")
        await wait_screen(pilot, "TeamScreen")
        assert fresh_status(seeded.db, seeded.pkg).item("P3").answer is None
        assert any("未记录" in str(n.message) for n in app._notifications)

        await pilot.press("p")
        await type_into_prompt(pilot, "")
        await wait_screen(pilot, "ConfirmPassModal")
        await pilot.press(*"yi he dui")
        await pilot.press("enter")
        await wait_screen(pilot, "TeamScreen")
        item = fresh_status(seeded.db, seeded.pkg).item("P3")
        assert (item.answer, item.comment, item.source) == ("pass", "yi he dui", "chair")
        db = open_db(seeded.db)
        try:
            entry = audit_log(db, seeded.pkg)[-1]
        finally:
            db.conn.close()
        assert entry.action == "resolve" and len(entry.new["confirmed_open_findings"]) == 2
