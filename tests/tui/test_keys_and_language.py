"""F2 switches every label, F1 shows this screen's keys, the palette runs registry actions."""

from __future__ import annotations

from textual.widgets import DataTable, Label

from reviewer.tui.app import create_app
from reviewer.tui.widgets.coverage_view import CoverageView
from reviewer.tui.widgets.reader_view import ReaderView
from tests.tui.helpers import open_view, package_open, press_for, sync, wait_for, wait_screen


def _footer_labels(screen) -> set[str]:
    return {b.description for _, b, _, _ in screen.active_bindings.values() if b.show}


@sync
async def test_f2_switches_the_language_everywhere_and_back(seeded):
    async with package_open(seeded, "zh") as pilot:
        app = pilot.app
        screen = app.screen
        assert "误报" in _footer_labels(screen)
        assert "测试课程 · 审核中" in str(screen.query_one("#tb-title", Label).content)
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en"
        assert "False alarm" in _footer_labels(screen)
        title = str(screen.query_one("#tb-title", Label).content)
        assert "in review" in title and "Test course" in title  # the manifest's English title
        assert "Findings" in str(screen.query_one("#views").content)
        assert "sev:all" in str(screen.query_one("#fv-filters", Label).content)
        await pilot.press("4")
        await pilot.pause()
        table = screen.query_one("#ck-table", DataTable)
        assert str(table.ordered_columns[1].label) == "Question"
        # the library below was relabelled too
        await pilot.press("escape", "escape")
        await wait_screen(pilot, "LibraryScreen")
        assert str(app.screen.query_one(DataTable).ordered_columns[0].label) == "Course"
        # its title bar too (it was below the package screen when F2 was pressed)
        assert str(app.screen.query_one("#tb-lang", Label).content) == "English · F2 中文"
        await pilot.press("f2")
        await pilot.pause()
        assert str(app.screen.query_one(DataTable).ordered_columns[0].label) == "课程"


@sync
async def test_help_lists_the_keys_of_the_current_view_and_closes(seeded):
    async with package_open(seeded, "en", size=(80, 24)) as pilot:
        app = pilot.app
        await press_for(pilot, "f1", "HelpScreen")
        help_screen = app.screen
        assert help_screen.scopes == ["findings", "package", "app"]
        await press_for(pilot, "escape", "PackageScreen")
        await pilot.press("4")
        await pilot.pause()
        await press_for(pilot, "question_mark", "HelpScreen")
        assert app.screen.scopes[0] == "checklists"
        await press_for(pilot, "f1", "PackageScreen")


@sync
async def test_the_command_palette_offers_every_action_of_the_view(seeded):
    async with package_open(seeded, "en") as pilot:
        app = pilot.app
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert any(t.startswith("False alarm") for t in titles)
        assert any(t.startswith("Checklists") for t in titles)
        assert any(t.startswith("Help") for t in titles)
        # running one from the palette acts on the right node
        reader_cmd = next(c for c in commands if c.title.startswith("Reader"))
        reader_cmd.callback()
        await pilot.pause()
        assert app.screen.current == "reader"
        await press_for(pilot, "ctrl+p", "CommandPalette")
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Type the name of an action…"
        await pilot.press(*"coverage")
        await pilot.pause(0.5)
        await press_for(pilot, "enter", "PackageScreen")
        await wait_for(pilot, lambda: app.screen.current == "coverage")


@sync
async def test_coverage_lists_topics_and_opens_evidence_in_the_reader(seeded):
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_view(pilot, seeded.pkg, "3",
                        lambda: app.screen.query_one("#cv-table", DataTable).row_count == 2)
        view = app.screen.query_one(CoverageView)
        table = view.query_one("#cv-table", DataTable)
        assert "1/2" in str(view.query_one("#cv-summary", Label).content)
        assert "✗" in str(table.get_row_at(1)[1])
        await pilot.press("down")
        await pilot.press("j")  # no evidence for the uncovered topic: stays here
        await pilot.pause()
        assert app.screen.current == "coverage"
        await pilot.press("up", "j")
        reader = app.screen.query_one(ReaderView)
        await wait_for(pilot, lambda: app.screen.current == "reader" and reader.mark is not None)
        assert reader.file == "notes/讲义.md"
        assert "线性表" in reader.segments[reader.mark.index].text


@sync
async def test_lower_case_d_opens_the_decision_dialog_as_the_footer_suggests(seeded):
    """The footer said "D": a reviewer pressing d (no Shift) got nothing."""
    app = create_app(seeded.db, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, seeded.pkg, "5")
        assert "d" in {b.key_display or b.key for _, b, _, _ in app.screen.active_bindings.values()
                       if b.show}
        await press_for(pilot, "d", "DecisionModal")
        await press_for(pilot, "escape", "PackageScreen")
        await press_for(pilot, "n", "TextPrompt")


@sync
async def test_a_refused_note_is_shown_not_a_crash(seeded):
    from reviewer.review.errors import ReviewError
    from tests.tui.helpers import type_into_prompt

    app = create_app(seeded.db, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, seeded.pkg, "5")

        def refuse(text):
            raise ReviewError("not-scanned", {"zh": "未扫描", "en": "never scanned"}, usage=True)

        app.screen.session.add_note = refuse
        await pilot.press("n")
        await type_into_prompt(pilot, "a note")
        await wait_screen(pilot, "PackageScreen")
        assert any("never scanned" in str(n.message) for n in app._notifications)


@sync
async def test_the_checklist_item_heading_keeps_its_id_on_the_question_line(seeded):
    """Rich broke the line after "P1 ": a Chinese question has no space to wrap at."""
    from textual.widgets import Static

    async with package_open(seeded, "zh", size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.press("4")
        await pilot.pause(0.3)
        view = app.screen.query_one("#checklists")
        first = view.items[0]
        detail = view.query_one("#ck-detail", Static)
        line = detail.render_lines(detail.region.reset_offset)[0].text
        assert line.strip().startswith(f"{first['id']}：")


@sync
async def test_the_findings_badge_counts_up_like_the_checklist_badge(seeded):
    """It showed undecided/total (16/16 meant none done) beside answered/total (0/24)."""
    async with package_open(seeded, "zh", size=(80, 24)) as pilot:
        app = pilot.app
        bar = app.screen.query_one("#views")
        total = app.screen.session.model.counts()["total"]
        assert f"问题 0/{total}" in str(bar.content)
        await pilot.press("c")
        await wait_for(pilot, lambda: f"问题 1/{total}" in str(bar.content))


@sync
async def test_a_view_follows_the_language_by_itself_and_stops_when_removed():
    """FollowsLanguage: a widget watches the app's one reactive language — no walk of the
    DOM tells it — and a removed widget is no longer called."""
    from textual.app import App, ComposeResult
    from textual.reactive import reactive
    from textual.widgets import Static

    from reviewer.tui.localized import FollowsLanguage

    calls: list[str] = []

    class Shown(FollowsLanguage, Static):
        def __init__(self) -> None:
            super().__init__("")
            self.lang = "zh"

        def set_lang(self, lang: str) -> None:
            self.lang = lang
            calls.append(lang)

    class Host(App):
        lang = reactive("zh")

        def compose(self) -> ComposeResult:
            yield Shown()

    app = Host()
    async with app.run_test() as pilot:
        app.lang = "en"
        await pilot.pause()
        assert calls == ["en"] and app.query_one(Shown).lang == "en"
        app.lang = "en"  # unchanged: nothing to do
        await app.query_one(Shown).remove()
        app.lang = "zh"
        await pilot.pause()
        assert calls == ["en"]
