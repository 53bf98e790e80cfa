"""Scanning from the UI: real progress, cancel with Escape, errors shown, progress coalesced."""

from __future__ import annotations

import threading

from textual.widgets import Label, ProgressBar

from reviewer.service.scan import ScanCancelled, ScanProgress
from reviewer.service.ui_support import has_scan
from reviewer.store import open_db
from reviewer.tui.app import create_app
from reviewer.tui.screens.scan import ProgressRelay
from tests.tui.conftest import make_package
from tests.tui.helpers import sync, wait_for, wait_screen


async def _open_scanning(pilot, path, **kw):
    """From the library, open ``path``; once the scan screen is up, return it."""
    await wait_screen(pilot, "LibraryScreen")
    pilot.app.open_package(str(path), **kw)
    await wait_screen(pilot, "ScanScreen")
    return pilot.app.screen


@sync
async def test_scanning_a_sample_course_shows_progress_then_its_findings(tmp_path, samples_dir):
    db = tmp_path / "state.db"
    pkg = samples_dir / "zh-data-structures"
    app = create_app(db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        scan_screen = await _open_scanning(pilot, pkg)
        await wait_screen(pilot, "PackageScreen", timeout=120)
        assert scan_screen.updates > 0
        done, total = scan_screen.last["ingest"]
        assert total > 0 and done == total
        assert "checks" in scan_screen.last
        session = app.screen.session
        check = open_db(db)
        try:
            stored = check.execute("SELECT count(*) FROM findings").fetchone()[0]
        finally:
            check.conn.close()
        assert session.model.counts()["total"] == stored
        assert {f["path"] for f in session.files} >= {"course.yaml", "notes/课程笔记.md"}


def _slow_scan(started: threading.Event):
    """A stand-in for the scan service that runs until cancelled."""

    def fake(db, path, *, on_progress=None, cancel=None, **kw):
        started.set()
        i = 0
        while True:
            if cancel():
                raise ScanCancelled()
            i += 1
            on_progress(ScanProgress("ingest", f"file-{i}.md", i % 1000, 1000))
            threading.Event().wait(0.001)

    return fake


def _install_slow_scan(monkeypatch) -> threading.Event:
    """Replace the scan service by ``_slow_scan``; the event is set once it runs."""
    started = threading.Event()
    monkeypatch.setattr("reviewer.service.scan.scan", _slow_scan(started))
    return started


@sync
async def test_escape_cancels_the_scan_and_records_nothing(tmp_path, monkeypatch):
    started = _install_slow_scan(monkeypatch)
    pkg = make_package(tmp_path)
    app = create_app(tmp_path / "state.db", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_scanning(pilot, pkg)
        await wait_for(pilot, lambda: screen.updates >= 3)
        # the UI stays responsive: labels keep changing while the worker runs
        first = str(screen.query_one("#files-label", Label).content)
        await wait_for(pilot, lambda: str(screen.query_one("#files-label", Label).content) != first)
        await pilot.press("escape")
        await wait_screen(pilot, "LibraryScreen")
        assert not has_scan(app.db, pkg)
    assert started.is_set()


@sync
async def test_a_path_that_is_not_a_package_shows_the_error_and_escape_goes_back(tmp_path):
    not_a_package = tmp_path / "notes.txt"
    not_a_package.write_text("just a file", encoding="utf-8")
    app = create_app(tmp_path / "state.db", "en")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_scanning(pilot, not_a_package / "missing")
        await wait_for(pilot, lambda: screen.finished is not None, timeout=60)
        assert screen.finished.status == "error"
        assert "Scan failed" in str(screen.query_one("#status", Label).content)
        assert "no such file or folder" in str(screen.query_one("#status", Label).content)
        # no bar goes on sweeping as if work were still under way
        assert all(bar.total is not None for bar in screen.query(ProgressBar))
        assert screen.has_class("failed")
        await pilot.press("escape")
        await wait_screen(pilot, "LibraryScreen")


@sync
async def test_a_single_file_is_told_in_chinese_with_the_hint(tmp_path):
    single = tmp_path / "大纲.pdf"
    single.write_bytes(b"%PDF-1.4\n")
    app = create_app(tmp_path / "state.db", "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _open_scanning(pilot, single)
        await wait_for(pilot, lambda: screen.finished is not None, timeout=60)
        status = str(screen.query_one("#status", Label).content)
        assert "是单个文件，不是课程包" in status and "请把 大纲.pdf 放进一个文件夹" in status


@sync
async def test_scan_new_from_the_library_asks_for_a_path_and_refuses_a_missing_one(tmp_path):
    app = create_app(tmp_path / "state.db", "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        assert app.screen.query_one("#empty", Label).display
        await pilot.press("n")
        await wait_screen(pilot, "TextPrompt")
        app.screen.query_one("#answer").value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        await wait_screen(pilot, "LibraryScreen")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


def test_progress_relay_coalesces_a_flood_but_keeps_edges_and_stage_changes():
    sent = []
    now = [0.0]
    relay = ProgressRelay(sent.append, interval=0.05, clock=lambda: now[0])
    for i in range(1, 1000):  # all within the same instant
        relay(ScanProgress("ingest", f"f{i}", i, 1000))
    relay(ScanProgress("ingest", "last", 1000, 1000))
    relay(ScanProgress("checks", "lexicon", 0, 5))
    assert relay.seen == 1001
    assert [p.label for p in sent] == ["f1", "last", "lexicon"]
    now[0] = 0.2
    relay(ScanProgress("checks", "pii", 1, 5))
    assert sent[-1].label == "pii"


@sync
async def test_rule_files_with_errors_are_reported_after_the_scan(seeded, monkeypatch):
    from types import SimpleNamespace

    def fake(db, path, *, on_progress=None, cancel=None, **kw):
        on_progress(ScanProgress("ingest", "a.md", 1, 1))
        return SimpleNamespace(findings=[], rule_errors=["lexicons/mine.yaml:3: kind 'x' unknown"])

    monkeypatch.setattr("reviewer.service.scan.scan", fake)
    app = create_app(seeded.db, "en")
    shown = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: shown.append(message))
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        app.open_package(str(seeded.pkg), rescan=True)
        await wait_screen(pilot, "PackageScreen")
        await pilot.pause()  # let the package screen finish mounting before the app closes
    assert any("1 rule file(s) have errors" in m and "mine.yaml:3" in m for m in shown)


@sync
async def test_a_findings_view_removed_before_its_mount_is_handled_does_not_crash(seeded):
    """A CI run closed the app while the findings view's mount was still queued: its
    table was gone and on_mount raised NoMatches."""
    from reviewer.tui.widgets.findings_view import FindingsView

    app = create_app(seeded.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        app.open_package(str(seeded.pkg))
        await wait_screen(pilot, "PackageScreen")
        await pilot.pause()
        view = app.screen.query_one(FindingsView)
        await view.query_one("#fv-table").remove()
        view.on_mount()  # must not raise


@sync
async def test_a_scan_ending_under_the_help_screen_leaves_once_help_closes(seeded, monkeypatch):
    release = threading.Event()

    def fake(db, path, *, on_progress=None, cancel=None, **kw):
        release.wait(30)
        from types import SimpleNamespace

        return SimpleNamespace(findings=[], rule_errors=[])

    monkeypatch.setattr("reviewer.service.scan.scan", fake)
    app = create_app(seeded.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        scan_screen = await _open_scanning(pilot, seeded.pkg, rescan=True)
        await pilot.press("f1")
        await wait_screen(pilot, "HelpScreen")
        release.set()
        await wait_for(pilot, lambda: scan_screen.finished is not None)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "HelpScreen"  # not popped by the scan
        await pilot.press("escape")
        await wait_screen(pilot, "PackageScreen")


@sync
async def test_f2_while_scanning_switches_the_scan_screen_too(tmp_path, monkeypatch):
    """Its headings and hint stayed in the language the scan started in."""
    _install_slow_scan(monkeypatch)
    pkg = make_package(tmp_path)
    app = create_app(tmp_path / "state.db", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_scanning(pilot, pkg)
        await wait_for(pilot, lambda: screen.updates >= 1)
        await pilot.press("f2")
        await pilot.pause()
        assert str(screen.query_one("#files-heading", Label).content) == "Reading files"
        assert str(screen.query_one("#status", Label).content) == "Press Esc to cancel the scan."
        assert str(screen.query_one("#tb-lang", Label).content) == "English · F2 中文"
        await pilot.press("escape")
        await wait_screen(pilot, "LibraryScreen")
