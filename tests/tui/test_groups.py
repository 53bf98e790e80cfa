"""One row per problem in the findings view: ×count, places, and a disposition for all.

A lecturer's private address on 20 handouts is 20 findings and one row; ``x``
on that row asks once and records the false alarm for all 20 (read back
through a separate connection); ``e`` lists the occurrences one by one.
"""

from __future__ import annotations

import pytest

from reviewer.checks.groups import group_id
from reviewer.checks.model import finding_at
from reviewer.tui.app import create_app
from tests.tui.conftest import Seeded, make_package, planted_findings, record_scan
from tests.tui.helpers import fresh_status, open_package, sync, type_into_prompt, wait_for

EMAIL = "wang.laoshi@163.com"
HANDOUTS = 20


def grouped_findings(package):
    out = planted_findings(package)
    for seg in package.segments():
        start = seg.text.find(EMAIL)
        if start >= 0:
            out.append(finding_at(seg, start, start + len(EMAIL), check="pii", rule="email",
                                  category="pii", severity="error",
                                  message={"zh": "个人邮箱", "en": "personal e-mail"}))
    return out


@pytest.fixture
def handouts(tmp_path, monkeypatch) -> Seeded:
    monkeypatch.setenv("HOME", str(tmp_path))
    pkg = make_package(tmp_path)
    for i in range(1, HANDOUTS + 1):
        (pkg / "notes" / f"习题{i:02d}.md").write_text(
            f"# 第{i}次习题\n\n有疑问请发邮件至 {EMAIL}。\n", encoding="utf-8")
    db = tmp_path / "state.db"
    record_scan(db, pkg, grouped_findings)
    return Seeded(db, pkg)


def _email_row(view):
    model = view.model
    return next(model.rows[i] for i in model.view if model.rows[i].finding.match == EMAIL)


async def _open_findings(pilot, pkg):
    """Open ``pkg``; its findings view."""
    from reviewer.tui.widgets.findings_view import FindingsView

    await open_package(pilot, pkg)
    return pilot.app.screen.query_one(FindingsView)


@sync
async def test_a_group_row_shows_its_count_and_places_and_x_disposes_of_all(handouts):
    app = create_app(handouts.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        view = await _open_findings(pilot, handouts.pkg)
        emails = [r for r in view.model.rows if r.finding.match == EMAIL]
        assert len(emails) == HANDOUTS
        row = _email_row(view)
        assert sum(1 for i in view.model.view if view.model.rows[i].group == row.group) == 1
        # move the cursor to the group's row
        while view.table.current is not row:
            await pilot.press("down")
        await pilot.pause()
        detail = view.query_one("#fv-detail").row
        assert detail is row
        text = str(view.query_one("#fv-detail").render())
        assert "共 20 处，20 个文件" in text and "习题01.md" in text
        bar = str(view.query_one("#fv-filters").render())
        assert "组" in bar

        await pilot.press("x")
        await type_into_prompt(pilot, "助教的公开工作邮箱")
        await wait_for(pilot, lambda: all(r.disposition == "false-alarm" for r in emails))
        status = fresh_status(handouts.db, handouts.pkg)
        stored = [f for f in status.findings if f.match == EMAIL]
        assert len(stored) == HANDOUTS
        assert all(f.disposition == "false-alarm" and f.reason == "助教的公开工作邮箱"
                   for f in stored)
        assert {f.group for f in stored} == {group_id(emails[0].finding)}
        # the other findings were not touched
        assert all(f.disposition is None for f in status.findings if f.match != EMAIL)


@sync
async def test_e_lists_each_occurrence_and_c_then_confirms_one_alone(handouts):
    app = create_app(handouts.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        view = await _open_findings(pilot, handouts.pkg)
        grouped = len(view.model.view)
        await pilot.press("e")
        await pilot.pause()
        assert len(view.model.view) == grouped + HANDOUTS - 1
        row = _email_row(view)
        while view.table.current is not row:
            await pilot.press("down")
        await pilot.press("c")
        await pilot.pause()
        status = fresh_status(handouts.db, handouts.pkg)
        confirmed = [f for f in status.findings if f.disposition == "confirmed"]
        assert [f.id for f in confirmed] == [row.finding.id]
        await pilot.press("e")  # back to groups: the group is now partly disposed of
        await pilot.pause()
        row = _email_row(view)
        from reviewer.tui.widgets.findings_table import cells

        assert cells(row, "en", view.model.members(row))["disposition"] == "partly"
