"""Every notification the terminal UI raises on a refusal or an error is Chinese in the
Chinese interface (issue 11, item 4): a path that does not exist, a corrupt zip, a package
that can no longer be opened, a failed item without a comment, a refused decision, and a
team resolution by a member who is not the chair.  Each is driven through Pilot and
every message in ``app._notifications`` is checked with the English-sentence checker."""

from __future__ import annotations

from reviewer.tui.app import create_app
from tests.english import CJK, english_lines
from tests.tui.helpers import (
    fresh_status, package_open, recommend, sync, type_into_prompt, wait_for, wait_screen,
)

WANG, LI = "王明", "李华"


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _all_chinese(app, seen: list[str]) -> None:
    """Every notification raised so far: Chinese, no English sentence in it; remembered in ``seen``."""
    for message in _messages(app):
        assert CJK.search(message) and english_lines(message) == [], message
        if message not in seen:
            seen.append(message)


async def _new(pilot, before: int) -> None:
    await wait_for(pilot, lambda: len(pilot.app._notifications) > before)


def _unreadable(db, path):
    raise FileNotFoundError(2, "No such file or directory", str(path))


@sync
async def test_opening_errors_are_said_in_chinese(seeded, tmp_path, monkeypatch):
    from reviewer.tui import session

    corrupt = tmp_path / "broken.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is no zip archive")
    app = create_app(seeded.db, "zh")
    seen: list[str] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")

        # a path that does not exist, typed into "scan a new course"
        await pilot.press("n")
        await type_into_prompt(pilot, str(tmp_path / "没有这个课程"))
        await _new(pilot, 0)
        _all_chinese(app, seen)

        # a corrupt zip: the scan fails, and escape says why
        n = len(app._notifications)
        app.open_package(str(corrupt))
        await wait_screen(pilot, "ScanScreen")
        screen = app.screen
        await wait_for(pilot, lambda: screen.finished is not None, timeout=60)
        await pilot.press("escape")
        await wait_screen(pilot, "LibraryScreen")
        await _new(pilot, n)
        assert any(str(corrupt) in m for m in _messages(app)), _messages(app)
        _all_chinese(app, seen)

        # a scanned package that cannot be read any more (the loader meets an OSError)
        n = len(app._notifications)
        monkeypatch.setattr(session, "PackageSession", _unreadable)
        app.open_package(str(seeded.pkg))
        await _new(pilot, n)
        assert any(f"无法读取 {seeded.pkg}：文件不存在" in m for m in _messages(app)), _messages(app)
        _all_chinese(app, seen)
    assert len(seen) >= 3, seen


@sync
async def test_refused_answers_and_decisions_are_said_in_chinese(seeded):
    seen: list[str] = []
    async with package_open(seeded, "zh") as pilot:
        app = pilot.app

        # "fail" with no comment: the dialog will not take it, nothing is recorded;
        # a comment on an item not yet answered: refused with a note
        await pilot.press("4")
        await pilot.pause()
        item = app.screen.query_one("ChecklistView").current()["id"]
        await pilot.press("f")
        await type_into_prompt(pilot, "")
        await pilot.press("escape")
        await wait_screen(pilot, "PackageScreen")
        assert fresh_status(seeded.db, seeded.pkg).item(item).answer is None
        await pilot.press("m")
        await _new(pilot, 0)
        _all_chinese(app, seen)

        # "recommend" while items are open: refused
        n = len(app._notifications)
        await wait_screen(pilot, "PackageScreen")
        await recommend(pilot, "同意推荐")
        await _new(pilot, n)
        assert fresh_status(seeded.db, seeded.pkg).decision is None
        _all_chinese(app, seen)
    assert len(seen) >= 2, seen


@sync
async def test_a_member_who_is_not_the_chair_is_refused_in_chinese(seeded, monkeypatch):
    from reviewer.service import review as rv
    from reviewer.service import team as tm
    from reviewer.store import open_db

    db = open_db(seeded.db)
    try:
        tm.add_member(db, seeded.pkg, WANG, chair=True, actor=WANG)
        tm.add_member(db, seeded.pkg, LI, actor=WANG)
        item = rv.review_status(db, seeded.pkg).items[0].id
        rv.answer_item(db, seeded.pkg, item, "pass", actor=WANG)
        rv.answer_item(db, seeded.pkg, item, "fail", "不符合要求", actor=LI)
    finally:
        db.conn.close()
    seen: list[str] = []
    async with package_open(seeded, "zh") as pilot:
        app = pilot.app
        await pilot.press("6")
        await wait_screen(pilot, "TeamScreen")
        await wait_for(pilot, lambda: pilot.app.screen.rows)
        monkeypatch.setenv("REVIEWER_NAME", LI)
        await pilot.press("p")
        await type_into_prompt(pilot, "可以")
        await _new(pilot, 0)
        assert fresh_status(seeded.db, seeded.pkg).item(item).source != "chair"
        _all_chinese(app, seen)
    assert seen, seen


def test_the_check_would_see_an_english_notification():
    assert english_lines("cannot open the package: no such file or folder") != []
    assert english_lines("无法打开课程包：找不到文件或文件夹") == []
