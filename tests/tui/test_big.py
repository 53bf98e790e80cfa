"""10,000 findings: they load, the search box filters them, and the table never rebuilds per key."""

from __future__ import annotations

from reviewer.tui.app import create_app
from reviewer.tui.widgets.findings_view import FindingsView
from tests.tui.helpers import open_package, sync, wait_for, wait_screen


@sync
async def test_ten_thousand_findings_load_filter_and_search(big, monkeypatch):
    searches = []
    original = FindingsView.apply_search

    def counting(self, text):
        searches.append(text)
        return original(self, text)

    monkeypatch.setattr(FindingsView, "apply_search", counting)
    app = create_app(big.db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_package(pilot, big.pkg)
        view = app.screen.query_one(FindingsView)
        table = view.table
        assert view.model.counts()["total"] == 10_000
        assert table.virtual_size.height == 10_000
        await pilot.press("end")
        assert table.cursor == 9_999
        assert table.current is view.model.rows[view.model.view[-1]]

        await pilot.press("slash")
        await pilot.press(*"9999")
        await wait_for(pilot, lambda: searches)
        await pilot.pause(0.3)
        assert searches == ["9999"]  # four keys, one filter pass (debounced)
        assert len(view.model.view) == 1
        assert table.virtual_size.height == 1
        assert table.current.finding.message["en"] == "number 9999"

        await pilot.press("escape")  # leave the box, back on the table
        assert app.focused is table
        await pilot.press("r")  # clear filters
        assert len(view.model.view) == 10_000
        await pilot.press("v")  # the severity list: all, error, warning, info
        await wait_screen(pilot, "ChooseModal")
        await pilot.press("down", "enter")  # errors only
        await wait_screen(pilot, "PackageScreen")
        assert view.model.filters.severity == "error"
        assert 0 < len(view.model.view) < 10_000
        assert all(view.model.rows[i].finding.severity == "error" for i in view.model.view)

        # dispose one at the bottom of a long list: recorded, the row updates in place
        await pilot.press("end", "c")
        await pilot.pause()
        confirmed = [r for r in view.model.rows if r.disposition == "confirmed"]
        assert len(confirmed) == 1
