"""Snapshots of the main screens in both languages (pytest-textual-snapshot).

Deterministic: a fixed small package scanned into a fresh database, HOME set
to its parent so the library shows ``~/course``, no clocks on screen.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from reviewer.tui.app import create_app
from tests.tui.helpers import steady_cursors, wait_for, wait_screen
from tests.tui.test_groups import handouts  # noqa: F401 - the fixture

LANGS = ["zh", "en"]


def _open(view: str | None = None, keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        app = pilot.app
        await wait_screen(pilot, "LibraryScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "PackageScreen")
        await wait_for(pilot, lambda: app.focused is not None)
        if view:
            await pilot.press(view)
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        await steady_cursors(pilot)

    return run_before


@pytest.mark.parametrize("lang", LANGS)
def test_library(snap_compare, seeded, lang):
    async def run_before(pilot):
        await wait_screen(pilot, "LibraryScreen")
        await pilot.pause(0.2)

    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_findings(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=_open(keys=("down",)))


@pytest.mark.parametrize("lang", LANGS)
def test_findings_80x24(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(80, 24),
                        run_before=_open())


@pytest.mark.parametrize("lang", LANGS)
def test_checklists(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=_open("4", ("down", "down")))


@pytest.mark.parametrize("lang", LANGS)
def test_summary(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=_open("5"))


@pytest.mark.parametrize("lang", LANGS)
def test_reader_at_a_finding(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=_open(keys=("down", "j")))


@pytest.mark.parametrize("lang", LANGS)
def test_coverage(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(100, 32),
                        run_before=_open("3"))


@pytest.mark.parametrize("lang", LANGS)
def test_false_alarm_dialog(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(80, 24),
                        run_before=_open(keys=("x",)))


def test_help_en(snap_compare, seeded):
    assert snap_compare(create_app(seeded.db, "en"), terminal_size=(100, 32),
                        run_before=_open(keys=("f1",)))


def test_decision_dialog_zh(snap_compare, seeded):
    assert snap_compare(create_app(seeded.db, "zh"), terminal_size=(80, 24),
                        run_before=_open("5", ("D",)))


@pytest.mark.parametrize("lang", LANGS)
def test_category_filter_list(snap_compare, seeded, lang):
    assert snap_compare(create_app(seeded.db, lang), terminal_size=(80, 24),
                        run_before=_open(keys=("g",)))


@pytest.mark.parametrize("lang", LANGS)
def test_findings_grouped(snap_compare, handouts, lang):
    """A lecturer's address on 20 handouts: one row, ×20, 20 files, its places listed."""
    async def run_before(pilot):
        await _open()(pilot)
        view = pilot.app.screen.query_one("#findings")
        model = view.model
        target = next(p for p, i in enumerate(model.view) if model.group_size(model.rows[i]) > 1)
        for _ in range(target):
            await pilot.press("down")
        await pilot.pause(0.3)

    assert snap_compare(create_app(handouts.db, lang), terminal_size=(100, 32),
                        run_before=run_before)
